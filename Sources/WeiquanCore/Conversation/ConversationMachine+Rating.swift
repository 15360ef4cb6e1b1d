/// The follow-up (回访): after a case ended, the bot waits for the applicant's rating of the service. Whatever
/// they write next, a score (a digit 1–5, or words like 满意 from `words.rating.<n>`) goes to that case with the
/// rest of the message as the comment; anything else is answered as usual, followed once by a reminder. While the
/// bot waits for an answer of its own (numbered options, a form), a digit answers that instead.
extension ConversationMachine {
    /// The turn that records a rating, when the bot waits for one and `event` gives it; nil otherwise.
    func rating(_ event: ConversationEvent, conversation: inout Conversation) -> Turn? {
        // An answer the bot waits for comes first (a form, a confirmation): "1" then answers that, not the rating.
        // Only the menus may stand open: the rating was asked for after them.
        let menusOnly = conversation.state.choices.allSatisfy { choice in
            switch choice {
            case .intent, .faqMenu, .mainMenu: true
            default: false
            }
        }
        guard let awaited = conversation.awaitingRating, case .text(let text) = event, menusOnly,
            case .idle = conversation.state.phase, let (score, comment) = self.score(in: text)
        else { return nil }
        var turn = Turn()
        turn.perform(.rateCase(awaited.caseID, score: score, comment: comment))
        turn.say(self.replies.render("rating.thanks", ["case_id": awaited.caseID.rawValue]))
        conversation.awaitingRating = nil
        return turn
    }

    /// After a message that was not a rating: remind the applicant once, at the end of the reply.
    func remindOfRating(_ conversation: inout Conversation, turn: inout Turn) {
        guard let awaited = conversation.awaitingRating, !awaited.reminded else { return }
        turn.say(self.replies.render("rating.reminder", ["case_id": awaited.caseID.rawValue]))
        conversation.awaitingRating?.reminded = true
    }

    /// A score from 1 to 5 at the start of the message and what follows it, or nil.
    func score(in text: String) -> (Int, String?)? {
        let normalized = self.understander.normalizer.normalize(text)
        let trimmed = normalized.trimmingWhitespace()
        if let first = trimmed.first, let digit = first.wholeNumberValue, (1...5).contains(digit),
            !(trimmed.dropFirst().first?.isNumber ?? false)
        {
            return (digit, Self.comment(String(trimmed.dropFirst())))
        }
        // Words, the longest first (非常不满意 before 不满意 before 满意).
        let words = (1...5).flatMap { score in self.replies.words("words.rating.\(score)").map { ($0, score) } }
        for (word, score) in words.sorted(by: { $0.0.count > $1.0.count }) where trimmed.hasPrefix(word) {
            return (score, Self.comment(String(trimmed.dropFirst(word.count))))
        }
        return nil
    }

    /// What follows the score, without the unit (分, 星) and separators; nil when nothing is left.
    static func comment(_ rest: String) -> String? {
        var text = Substring(rest)
        while let first = text.first, "分星颗 ,.;:!、，。；：！".contains(first) { text = text.dropFirst() }
        let comment = String(text).trimmingWhitespace()
        return comment.isEmpty ? nil : comment
    }
}
