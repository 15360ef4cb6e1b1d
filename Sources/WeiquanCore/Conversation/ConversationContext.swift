import Foundation

/// The values from outside the machine that one event is handled with: time, identity, ids, records.
///
/// The machine reads no clock and makes no ids: the service passes them in, so every run is repeatable.
public struct ConversationContext: Sendable {
    /// The moment the event arrived.
    public var now: Date
    /// The applicant's channel identity (WeChat OpenID).
    public var applicant: String
    /// The id a case filed by this event gets.
    public var caseID: String
    /// The applicant's own cases, newest first, for progress questions.
    public var cases: [CaseSummary]
    /// How many applicants wait in each unit's queue for a person, by unit id; tells a new one their place.
    public var waiting: [String: Int]
    /// The id a handoff opened by this event gets.
    public var handoffID: String
    /// The place in its unit's queue of the handoff that owns the conversation, while it waits (1: next).
    public var queuePosition: Int?

    public init(
        now: Date, applicant: String, caseID: String, cases: [CaseSummary] = [], waiting: [String: Int] = [:],
        handoffID: String = "", queuePosition: Int? = nil
    ) {
        self.now = now
        self.applicant = applicant
        self.caseID = caseID
        self.cases = cases
        self.waiting = waiting
        self.handoffID = handoffID
        self.queuePosition = queuePosition
    }
}
