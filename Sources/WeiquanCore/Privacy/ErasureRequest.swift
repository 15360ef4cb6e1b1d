import Foundation

/// An applicant's request to delete their personal data (删除我的信息, PIPL Arts 47–50), as staff decide on it.
///
/// Filed by the bot when the applicant confirms; staff confirm it (the applicant's cases and handoffs are
/// anonymised, their conversation deleted) or decline it with a reason. Once done, the request itself keeps only
/// the pseudonym: nothing links it back to the OpenID.
public struct ErasureRequest: Codable, Sendable, Equatable, Identifiable {
    public static let currentSchemaVersion = 1

    /// Where the request stands.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Waiting for staff.
        case pending
        /// Carried out.
        case done
        /// Refused by staff (``ErasureRequest/reason`` says why).
        case declined
    }

    public var schemaVersion: Int
    public var id: String
    /// The OpenID while pending or declined; the pseudonym once done.
    public var applicant: ApplicantID
    public var requestedAt: Date
    public var status: Status
    /// The staff member who decided, and when.
    public var decidedBy: String?
    public var decidedAt: Date?
    /// Why it was declined, as told to the applicant.
    public var reason: String?
    /// What was anonymised (once done).
    public var casesAnonymised: Int
    public var handoffsAnonymised: Int

    public init(id: String, applicant: ApplicantID, requestedAt: Date) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.applicant = applicant
        self.requestedAt = requestedAt
        self.status = .pending
        self.decidedBy = nil
        self.decidedAt = nil
        self.reason = nil
        self.casesAnonymised = 0
        self.handoffsAnonymised = 0
    }

    /// The pseudonym the applicant's data gets when this request is carried out.
    public var pseudonym: ApplicantID { .erased(self.id) }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, applicant, status, reason
        case requestedAt = "requested_at"
        case decidedBy = "decided_by"
        case decidedAt = "decided_at"
        case casesAnonymised = "cases_anonymised"
        case handoffsAnonymised = "handoffs_anonymised"
    }
}
