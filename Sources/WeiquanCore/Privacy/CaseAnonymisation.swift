import Foundation

/// That a case's personal data was removed, when, and why (PIPL Art 47): the applicant asked for their data to be
/// deleted and staff confirmed it, or the case ended longer ago than the retention period the applicant was told.
///
/// What survives is what the reports count — kind, unit, status, the timeline's dates and decisions, the outcome,
/// the score of a rating — and the answers named in `conversation.anonymised_fields_kept`.
public struct CaseAnonymisation: Codable, Sendable, Equatable {
    /// Why a case was anonymised.
    public enum Reason: String, Codable, Sendable, CaseIterable {
        /// The applicant asked the bot to delete their data (删除我的信息) and staff confirmed it.
        case applicantRequest = "applicant_request"
        /// The case ended more than `conversation.retention_years` ago.
        case retention
    }

    public var at: Date
    public var reason: Reason

    public init(at: Date, reason: Reason) {
        self.at = at
        self.reason = reason
    }
}
