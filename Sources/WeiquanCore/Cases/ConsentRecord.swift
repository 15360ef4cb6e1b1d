import Foundation

/// The personal-information notice an applicant accepted (PIPL Art. 17), kept on the case.
public struct ConsentRecord: Codable, Sendable, Equatable {
    public var noticeVersion: String
    public var acceptedAt: Date

    public init(noticeVersion: String, acceptedAt: Date) {
        self.noticeVersion = noticeVersion
        self.acceptedAt = acceptedAt
    }

    enum CodingKeys: String, CodingKey {
        case noticeVersion = "notice_version"
        case acceptedAt = "accepted_at"
    }
}
