import Foundation

/// One entry of a case's timeline: who did what, when and why.
public struct CaseEvent: Codable, Sendable, Equatable {
    /// What was done.
    public enum Action: String, Codable, Sendable, CaseIterable {
        case filed, accepted
        case notAccepted = "not_accepted"
        case started, concluded, transferred
        case receiptReturned = "receipt_returned"
        case closed, archived, withdrawn, referred, assigned
        case noted
        /// Staff recorded (or cleared) the applicant's legal deadline; the detail is the day, or `-`.
        case legalDeadlineRecorded = "legal_deadline_recorded"

        /// The changes the applicant is told about (wording `case.notice.<action>`): a decision on their case, its
        /// end, or a new unit; not the staff's own steps (started, assigned, noted, archived, the receipt).
        public static let toldToApplicant: [Action] = [
            .accepted, .notAccepted, .concluded, .transferred, .closed, .withdrawn, .referred,
        ]
    }

    public var at: Date
    /// A staff token's name, `applicant`, or `bot`.
    public var actor: String
    public var action: Action
    /// The status before and after (equal for assignments and notes).
    public var from: CaseStatus
    public var to: CaseStatus
    /// Why, or what: the reason, the outcome, the authority, the unit referred to, the note's text.
    public var detail: String?

    public init(
        at: Date, actor: String, action: Action, from: CaseStatus, to: CaseStatus, detail: String? = nil
    ) {
        self.at = at
        self.actor = actor
        self.action = action
        self.from = from
        self.to = to
        self.detail = detail
    }
}
