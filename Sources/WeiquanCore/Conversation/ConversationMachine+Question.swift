import Foundation

/// A question of the applicant's own for the volunteers (我要提问, a question left when nobody can take the
/// conversation, or a message the bot did not understand): screened, answered from the knowledge base when it has a
/// good answer, confirmed, then queued (``ConversationEffect/leaveQuestion(_:text:)``).
///
/// - Out of scope (a consumer dispute, a labour or family matter, with no word of IP in it): a pointer to the
///   hotline that can help (12315, 12348, 12345) instead of a place in the queue.
/// - The knowledge base's best answer, if good enough (``ConversationContext/knowledge``), is shown first; the
///   question is queued only when the applicant says it did not help.
/// - The applicant sees the question as it will be queued, with the reminder that personal details are not needed
///   (they are hidden from volunteers anyway) and when the answer comes; 1 submits, 2 rewrites, 取消 leaves.
extension ConversationMachine {
    func handleQuestion(
        _ understanding: Understanding, request: HandoffRequest, state: inout ConversationState,
        context: ConversationContext, turn: inout Turn
    ) {
        if self.cancelLeavingMessage(understanding, state: &state, turn: &turn) { return }
        self.consider(understanding.text, state: &state, context: context, turn: &turn)
    }

    /// The numbered options of the question's steps.
    func applyQuestionChoice(
        _ choice: Choice, state: inout ConversationState, context: ConversationContext, turn: inout Turn
    ) {
        switch choice {
        case .leaveQuestionAbout(let text):
            state.consecutiveFallbacks = 0
            state.phase = .leavingQuestion(self.questionRequest(state))
            self.consider(text, state: &state, context: context, turn: &turn)
        case .knowledgeDidNotHelp(let text):
            self.confirmQuestion(text, state: &state, turn: &turn)
        case .knowledgeHelped:
            self.abandonLeavingMessage(&state)
            turn.say(self.replies.render("volunteer.knowledge_helped"))
            if state.form != nil { self.resumeOrMenu(&state, turn: &turn) }
        case .rewriteQuestion:
            state.phase = .leavingQuestion(self.questionRequest(state))
            turn.say(self.replies.render("handoff.ask_question"))
        case .submitQuestion(let text):
            turn.perform(.leaveQuestion(self.questionRequest(state), text: text))
            self.abandonLeavingMessage(&state)
            turn.say(self.replies.render("volunteer.question_left"))
            if state.form != nil { self.resumeOrMenu(&state, turn: &turn) }
        default:
            break
        }
    }

    /// The request the question is left under: the one the phase holds, else a new one.
    func questionRequest(_ state: ConversationState) -> HandoffRequest {
        if case .leavingQuestion(let request) = state.phase { return request }
        return self.handoffRequest(.requested, state: state)
    }

    /// Screens the question, offers the knowledge base's answer, or asks to confirm it.
    func consider(_ text: String, state: inout ConversationState, context: ConversationContext, turn: inout Turn) {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.count >= 4 else {
            turn.say(self.replies.render("volunteer.too_short"))
            return
        }
        guard trimmed.count <= self.policy.maxAnswerLength else {
            turn.say(self.replies.render("invalid.too_long", ["max": String(self.policy.maxAnswerLength)]))
            return
        }
        if let hotline = self.screen(trimmed) {
            self.abandonLeavingMessage(&state)
            turn.say(self.replies.render("volunteer.screened.\(hotline)"))
            if state.form != nil { self.resumeOrMenu(&state, turn: &turn) }
            return
        }
        if let found = context.knowledge?(trimmed) {
            turn.say(self.replies.render("volunteer.knowledge_offer", ["title": found.title, "answer": found.answer]))
            state.choices = [.knowledgeHelped(found.id), .knowledgeDidNotHelp(trimmed)]
            return
        }
        self.confirmQuestion(trimmed, state: &state, turn: &turn)
    }

    func confirmQuestion(_ text: String, state: inout ConversationState, turn: inout Turn) {
        turn.say(self.replies.render("volunteer.confirm", ["question": text]))
        state.choices = [.submitQuestion(text), .rewriteQuestion]
    }

    /// The hotline for a question outside the service's scope (`words.screen.<hotline>`), unless it mentions
    /// intellectual property (`words.screen.ip`): then it stays, whatever else it says.
    func screen(_ text: String) -> String? {
        let normalized = self.understander.normalizer.normalize(text)
        if self.vocabulary.words("words.screen.ip").contains(where: { normalized.contains($0) }) { return nil }
        for hotline in Self.screeningHotlines
        where self.vocabulary.words("words.screen.\(hotline)").contains(where: { normalized.contains($0) }) {
            return hotline
        }
        return nil
    }

    /// The hotlines out-of-scope questions are pointed to, in the order they are tried: consumer disputes
    /// (12315), legal aid for labour, family and other civil matters (12348), everything else of government (12345).
    static let screeningHotlines = ["12315", "12348", "12345"]
}

// MARK: - The question as queued, and what the bot waits for afterwards

extension ConversationMachine {
    /// The question as the volunteers' queue gets it: the text, and the same with personal data hidden — also the
    /// answers the applicant gave in a form (name, phone, the other party), wherever they appear.
    func question(_ text: String, request: HandoffRequest, context: ConversationContext) -> QuestionRecord {
        let values = request.form?.values ?? [:]
        let known = ["name", "phone", "other_party", "contact", "id_number"].compactMap { values[$0] }
        let region = values["region"].flatMap { $0 == "other" ? nil : $0 } ?? request.unit.rawValue
        return QuestionRecord(
            id: context.questionID, applicant: context.applicant, askedAt: context.now, text: text,
            redacted: self.redactor.redact(text, known: known).text, ipType: values["ip_type"], region: region,
            urgent: !request.urgent.isEmpty)
    }

    /// The turn that answers a wait of the applicant's question (``Conversation/questionWait``), when `event` does;
    /// nil to handle the event as usual. A follow-up's answer is any text that is not one of the bot's commands
    /// (取消, 返回, 人工, 菜单 …: those work as always and the wait stays); a rating is 有帮助 / 没帮助 (or 1 / 2 when
    /// only the menus stand open). A wait whose time ran out is dropped.
    func questionTurn(_ event: ConversationEvent, conversation: inout Conversation, now: Date) -> Turn? {
        guard let wait = conversation.questionWait else { return nil }
        guard wait.isAwaited(at: now) else {
            conversation.questionWait = nil
            return nil
        }
        guard case .text(let text) = event else { return nil }
        let understanding = self.understander.understand(text, currentYear: self.year(of: now))
        switch wait.kind {
        case .reply:
            if understanding.normalized.count <= self.policy.commandMaxLength,
                case .matched(let intent) = understanding.match.decision, Self.commands.contains(intent)
            {
                return nil
            }
            var turn = Turn()
            turn.perform(.replyToQuestion(wait.question, text: text.trimmingWhitespace()))
            turn.say(self.replies.render("volunteer.reply_passed_on"))
            conversation.questionWait = nil
            return turn
        case .rating:
            guard let (helpful, comment) = self.helpfulness(in: understanding.normalized, state: conversation.state)
            else { return nil }
            var turn = Turn()
            turn.perform(.rateAnswer(wait.question, helpful: helpful, comment: comment))
            turn.say(self.replies.render(helpful ? "volunteer.rated_helpful" : "volunteer.rated_unhelpful"))
            conversation.questionWait = nil
            return turn
        }
    }

    /// 有帮助 / 没帮助 (`words.answer.helpful`, `words.answer.unhelpful`) at the start of the message, or 1 / 2 when
    /// nothing but the menus stands open; the rest of the message is the comment.
    func helpfulness(in normalized: String, state: ConversationState) -> (Bool, String?)? {
        let trimmed = normalized.trimmingWhitespace()
        let menusOnly = state.choices.allSatisfy {
            if case .intent = $0 { true } else { $0 == .faqMenu || $0 == .mainMenu }
        }
        if menusOnly, case .idle = state.phase, let first = trimmed.first, first == "1" || first == "2",
            !(trimmed.dropFirst().first?.isNumber ?? false)
        {
            return (first == "1", Self.comment(String(trimmed.dropFirst())))
        }
        // 没帮助 before 有帮助: the longer words first, so 没有帮助 is not read as 有帮助.
        let words =
            self.vocabulary.words("words.answer.unhelpful").map { ($0, false) }
            + self.vocabulary.words("words.answer.helpful").map { ($0, true) }
        for (word, helpful) in words.sorted(by: { $0.0.count > $1.0.count }) where trimmed.hasPrefix(word) {
            return (helpful, Self.comment(String(trimmed.dropFirst(word.count))))
        }
        return nil
    }
}
