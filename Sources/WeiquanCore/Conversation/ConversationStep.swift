/// Everything one event did, ready to be stored and sent: the machine's effects interpreted against the
/// conversation and the handoff that owns it.
///
/// The service writes it (cases, handoffs and audit entries with the conversation, in one durable write)
/// and then replies; `weiquan chat` prints it; the transcript replayer checks it. All three read the same
/// value, so they cannot disagree about what an effect means.
public struct ConversationStep: Sendable, Equatable {
    /// What the machine asked for, in order (for logs and tests).
    public var effects: [ConversationEffect] = []
    /// The one message for the applicant, or nil when nothing is said (answer `success`).
    public var reply: String?
    /// Cases filed, with the ids the context gave them.
    public var filed: [CaseRecord] = []
    /// The applicant's cases they confirmed withdrawing.
    public var withdrawn: [CaseID] = []
    /// Ratings the applicant gave: the case and the score (1–5) with the rest of the message as a comment.
    public var ratings: [GivenRating] = []
    /// The applicant confirmed asking for their personal data to be deleted.
    public var erasureRequested = false
    /// A question left for the volunteers, with the id the context gave it and its redacted text.
    public var question: QuestionRecord?
    /// The applicant's answers to volunteers' follow-up questions.
    public var questionReplies: [QuestionReplyGiven] = []
    /// Whether the volunteers' answer helped, as the applicant said.
    public var answerRatings: [AnswerRatingGiven] = []
    /// A handoff opened by this event: waiting in a queue, or a question or call-back left for staff.
    public var opened: HandoffRecord?
    /// The handoff that owned the conversation, as this event left it (its transcript grew; it may have
    /// ended). nil when the bot owned the conversation.
    public var handoff: HandoffRecord?
    /// For the audit trail, in order.
    public var audits: [AuditEntry] = []
    /// The conversation named a handoff that does not own it any more: the bot took it back.
    public var reclaimedFromStaleHandoff = false

    public init() {}

    /// The unit whose queue someone left with this event (its waiting applicants moved up), if any.
    public var leftQueue: UnitID? {
        guard let handoff, handoff.status != .waiting, self.waitingBefore else { return nil }
        return handoff.unit
    }

    /// The owning handoff was waiting before the event.
    var waitingBefore = false
}

/// A rating the applicant gave in a message, for the service to record on the case.
public struct GivenRating: Sendable, Equatable {
    public var caseID: CaseID
    public var score: Int
    public var comment: String?

    public init(caseID: CaseID, score: Int, comment: String?) {
        self.caseID = caseID
        self.score = score
        self.comment = comment
    }
}

/// The applicant's answer to a volunteer's follow-up question, for the service to record on the question.
public struct QuestionReplyGiven: Sendable, Equatable {
    public var question: QuestionID
    public var text: String

    public init(question: QuestionID, text: String) {
        self.question = question
        self.text = text
    }
}

/// Whether the volunteers' answer helped, for the service to record on the question.
public struct AnswerRatingGiven: Sendable, Equatable {
    public var question: QuestionID
    public var helpful: Bool
    public var comment: String?

    public init(question: QuestionID, helpful: Bool, comment: String?) {
        self.question = question
        self.helpful = helpful
        self.comment = comment
    }
}
