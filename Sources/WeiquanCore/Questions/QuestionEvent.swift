import Foundation

/// One entry of a question's timeline: who did what, when.
public struct QuestionEvent: Codable, Sendable, Equatable {
    /// What was done.
    public enum Action: String, Codable, Sendable, CaseIterable {
        case claimed, renewed
        case putBack = "put_back"
        case leaseExpired = "lease_expired"
        case followUpAsked = "follow_up_asked"
        case replied
        case followUpLapsed = "follow_up_lapsed"
        case answered, approved, returned, delivered, rated, withdrawn
    }

    public var at: Date
    /// A desk token's name, `applicant`, or `desk` (the timers).
    public var actor: String
    public var action: Action
    /// The volunteer whose claim or answer it was about, when it was about one (also when staff acted on it).
    public var volunteer: String?
    /// Why: a put-back's reason, a return's comment.
    public var detail: String?

    public init(at: Date, actor: String, action: Action, volunteer: String? = nil, detail: String? = nil) {
        self.at = at
        self.actor = actor
        self.action = action
        self.volunteer = volunteer
        self.detail = detail
    }
}
