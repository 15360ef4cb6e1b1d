import Foundation

/// The values from outside the machine that one event is handled with: time, identity, ids, records.
///
/// The machine reads no clock and makes no ids: the service passes them in, so every run is repeatable.
public struct ConversationContext: Sendable {
    /// The moment the event arrived.
    public var now: Date
    /// The applicant's channel identity (WeChat OpenID).
    public var applicant: ApplicantID
    /// The id a case filed by this event gets.
    public var caseID: CaseID
    /// The applicant's own cases, newest first, for progress questions.
    public var cases: [CaseSummary]
    /// How many applicants wait in each unit's queue for a person, by unit id; tells a new one their place.
    public var waiting: [UnitID: Int]
    /// The id a handoff opened by this event gets.
    public var handoffID: HandoffID
    /// The place in its unit's queue of the handoff that owns the conversation, while it waits (1: next).
    public var queuePosition: Int?
    /// The knowledge base's best answer to a question, if it has a good one (nil: no knowledge base). Asked when the
    /// applicant leaves a question, before it is queued for volunteers, and for a message no intent understood.
    public var knowledge: (@Sendable (String) -> KnowledgeAnswer?)?
    /// The id a question left by this event gets.
    public var questionID: QuestionID

    public init(
        now: Date, applicant: ApplicantID, caseID: CaseID, cases: [CaseSummary] = [], waiting: [UnitID: Int] = [:],
        handoffID: HandoffID = "", queuePosition: Int? = nil,
        knowledge: (@Sendable (String) -> KnowledgeAnswer?)? = nil, questionID: QuestionID = QuestionID(sequence: 1)
    ) {
        self.now = now
        self.applicant = applicant
        self.caseID = caseID
        self.cases = cases
        self.waiting = waiting
        self.handoffID = handoffID
        self.queuePosition = queuePosition
        self.knowledge = knowledge
        self.questionID = questionID
    }
}
