import Foundation

/// A filed request: an aid application or a complaint, as stored and worked on by staff.
///
/// `fields` holds the applicant's answers by field id (see ``FormKind/fields``); list answers
/// (services wanted) are joined with `、`.
public struct CaseRecord: Codable, Sendable, Equatable, Identifiable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var id: CaseID
    public var kind: CaseKind
    public var status: CaseStatus
    /// The applicant's channel identity (the WeChat OpenID, or a test user id).
    public var applicant: ApplicantID
    public var createdAt: Date
    /// The unit the case is routed to (an ``OrgUnit`` id).
    public var unit: UnitID?
    public var fields: [String: String]
    /// Media the applicant sent while the form was open (MediaId or URL), as evidence.
    public var attachments: [String]
    public var consent: ConsentRecord?

    public init(
        id: CaseID, kind: CaseKind, status: CaseStatus = .submitted, applicant: ApplicantID, createdAt: Date,
        unit: UnitID?, fields: [String: String], attachments: [String] = [], consent: ConsentRecord?
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.kind = kind
        self.status = status
        self.applicant = applicant
        self.createdAt = createdAt
        self.unit = unit
        self.fields = fields
        self.attachments = attachments
        self.consent = consent
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, kind, status, applicant, unit, fields, attachments, consent
        case createdAt = "created_at"
    }

    /// The short form shown to the applicant when they ask about progress.
    public var summary: CaseSummary {
        CaseSummary(id: self.id, kind: self.kind, status: self.status, createdAt: self.createdAt, unit: self.unit)
    }
}

/// What the conversation needs to know about an applicant's own case.
public struct CaseSummary: Codable, Sendable, Equatable {
    public var id: CaseID
    public var kind: CaseKind
    public var status: CaseStatus
    public var createdAt: Date
    public var unit: UnitID?

    public init(id: CaseID, kind: CaseKind, status: CaseStatus, createdAt: Date, unit: UnitID?) {
        self.id = id
        self.kind = kind
        self.status = status
        self.createdAt = createdAt
        self.unit = unit
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, status, unit
        case createdAt = "created_at"
    }
}
