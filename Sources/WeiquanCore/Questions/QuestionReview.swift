import Foundation

/// Staff's review of a volunteer's answer: approved (perhaps edited) for delivery, or returned with a comment.
public struct QuestionReview: Codable, Sendable, Equatable {
    /// What the reviewer decided.
    public enum Decision: String, Codable, Sendable, CaseIterable {
        case approved
        case returned
    }

    /// The staff member's desk token name.
    public var by: String
    public var at: Date
    public var decision: Decision
    /// Why it was returned, or a note with the approval.
    public var comment: String?
    /// The text staff approved instead of the volunteer's, when they edited it; it is what the applicant gets.
    public var edited: String?

    public init(by: String, at: Date, decision: Decision, comment: String? = nil, edited: String? = nil) {
        self.by = by
        self.at = at
        self.decision = decision
        self.comment = comment
        self.edited = edited
    }
}
