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
