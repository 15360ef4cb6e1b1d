import Foundation

/// A question the volunteer asked the applicant back, and the applicant's reply once it came.
public struct QuestionFollowUp: Codable, Sendable, Equatable {
    public var askedAt: Date
    /// The volunteer's desk token name.
    public var by: String
    public var text: String
    /// The applicant's reply as they wrote it (volunteers see it redacted).
    public var reply: String?
    public var repliedAt: Date?
    /// When the wait for the reply ran out (``QuestionRecord/lapseFollowUp(at:after:)``), if it did.
    public var lapsedAt: Date?

    public init(askedAt: Date, by: String, text: String) {
        self.askedAt = askedAt
        self.by = by
        self.text = text
    }

    /// Whether it still waits for the applicant.
    public var isOpen: Bool { self.reply == nil && self.lapsedAt == nil }

    enum CodingKeys: String, CodingKey {
        case by, text, reply
        case askedAt = "asked_at"
        case repliedAt = "replied_at"
        case lapsedAt = "lapsed_at"
    }
}
