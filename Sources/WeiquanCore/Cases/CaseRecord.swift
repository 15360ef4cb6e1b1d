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
    /// The staff member working the case (a token's name), once assigned.
    public var assignee: String?
    /// Experts of the configured directory consulted on the case (recorded; they are not users).
    public var experts: [String]
    /// Why the case was not accepted (one of the configured reasons).
    public var notAcceptedReason: String?
    /// How it ended, once concluded or closed.
    public var outcome: CaseOutcome?
    /// For a complaint passed on: to whom, when, with which letter, and when the receipt came back.
    public var transfer: CaseTransfer?
    /// Everything that happened to the case, oldest first: who, when, what and why.
    public var timeline: [CaseEvent]
    /// The applicant's rating after the case ended, once given.
    public var rating: CaseRating?
    /// The day (`yyyy-MM-dd`, in the centre's time zone) of a legal deadline the applicant mentioned — a hearing, a
    /// response deadline — as staff recorded it; it beats the service's own deadline when earlier
    /// (``CaseDeadlines``). The form does not ask for it.
    public var legalDeadline: String?
    /// What became of each piece of media evidence (fetched, or why not), by number; empty until the first is done.
    public var evidence: [CaseEvidence]
    /// Set once the case's personal data was removed (``anonymise(as:keeping:reason:at:)``).
    public var anonymised: CaseAnonymisation?

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
        self.assignee = nil
        self.experts = []
        self.notAcceptedReason = nil
        self.outcome = nil
        self.transfer = nil
        self.timeline = []
        self.rating = nil
        self.legalDeadline = nil
        self.evidence = []
        self.anonymised = nil
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, kind, status, applicant, unit, fields, attachments, consent, assignee, experts, outcome, transfer
        case timeline, rating, evidence, anonymised
        case createdAt = "created_at"
        case notAcceptedReason = "not_accepted_reason"
        case legalDeadline = "legal_deadline"
    }

    /// Reads cases of every version: what earlier versions did not write starts empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        self.id = try container.decode(CaseID.self, forKey: .id)
        self.kind = try container.decode(CaseKind.self, forKey: .kind)
        self.status = try container.decode(CaseStatus.self, forKey: .status)
        self.applicant = try container.decode(ApplicantID.self, forKey: .applicant)
        self.createdAt = try container.decode(Date.self, forKey: .createdAt)
        self.unit = try container.decodeIfPresent(UnitID.self, forKey: .unit)
        self.fields = try container.decode([String: String].self, forKey: .fields)
        self.attachments = try container.decodeIfPresent([String].self, forKey: .attachments) ?? []
        self.consent = try container.decodeIfPresent(ConsentRecord.self, forKey: .consent)
        self.assignee = try container.decodeIfPresent(String.self, forKey: .assignee)
        self.experts = try container.decodeIfPresent([String].self, forKey: .experts) ?? []
        self.notAcceptedReason = try container.decodeIfPresent(String.self, forKey: .notAcceptedReason)
        self.outcome = try container.decodeIfPresent(CaseOutcome.self, forKey: .outcome)
        self.transfer = try container.decodeIfPresent(CaseTransfer.self, forKey: .transfer)
        self.timeline = try container.decodeIfPresent([CaseEvent].self, forKey: .timeline) ?? []
        self.rating = try container.decodeIfPresent(CaseRating.self, forKey: .rating)
        self.legalDeadline = try container.decodeIfPresent(String.self, forKey: .legalDeadline)
        self.evidence = try container.decodeIfPresent([CaseEvidence].self, forKey: .evidence) ?? []
        self.anonymised = try container.decodeIfPresent(CaseAnonymisation.self, forKey: .anonymised)
    }

    /// Writes what the case has; the fields of its later life only once they are set, so a case just filed
    /// is stored as before.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.schemaVersion, forKey: .schemaVersion)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.kind, forKey: .kind)
        try container.encode(self.status, forKey: .status)
        try container.encode(self.applicant, forKey: .applicant)
        try container.encode(self.createdAt, forKey: .createdAt)
        try container.encodeIfPresent(self.unit, forKey: .unit)
        try container.encode(self.fields, forKey: .fields)
        try container.encode(self.attachments, forKey: .attachments)
        try container.encodeIfPresent(self.consent, forKey: .consent)
        try container.encodeIfPresent(self.assignee, forKey: .assignee)
        if !self.experts.isEmpty { try container.encode(self.experts, forKey: .experts) }
        try container.encodeIfPresent(self.notAcceptedReason, forKey: .notAcceptedReason)
        try container.encodeIfPresent(self.outcome, forKey: .outcome)
        try container.encodeIfPresent(self.transfer, forKey: .transfer)
        if !self.timeline.isEmpty { try container.encode(self.timeline, forKey: .timeline) }
        try container.encodeIfPresent(self.rating, forKey: .rating)
        try container.encodeIfPresent(self.legalDeadline, forKey: .legalDeadline)
        if !self.evidence.isEmpty { try container.encode(self.evidence, forKey: .evidence) }
        try container.encodeIfPresent(self.anonymised, forKey: .anonymised)
    }

    /// What the case was filed for that shortens its deadline (from the `services` answer).
    public var flags: CaseFlags {
        CaseFlags(services: self.fields["services"])
    }

    /// The short form shown to the applicant when they ask about progress.
    public var summary: CaseSummary {
        CaseSummary(
            id: self.id, kind: self.kind, status: self.status, createdAt: self.createdAt, unit: self.unit,
            rightNumber: self.rightNumber, flags: self.flags, legalDeadline: self.legalDeadline)
    }

    /// The patent or trademark number the applicant gave (the form's `ip_number`), if any.
    public var rightNumber: String? {
        self.fields["ip_number"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// What the conversation needs to know about an applicant's own case.
public struct CaseSummary: Codable, Sendable, Equatable {
    public var id: CaseID
    public var kind: CaseKind
    public var status: CaseStatus
    public var createdAt: Date
    public var unit: UnitID?
    /// The patent or trademark number of the case, to tell a second filing of the same right.
    public var rightNumber: String?
    /// What its deadline follows from besides the above (``CaseDeadlines``); kept in memory, not encoded.
    public var flags: CaseFlags = []
    public var legalDeadline: String? = nil

    public init(
        id: CaseID, kind: CaseKind, status: CaseStatus, createdAt: Date, unit: UnitID?, rightNumber: String? = nil,
        flags: CaseFlags = [], legalDeadline: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.status = status
        self.createdAt = createdAt
        self.unit = unit
        self.rightNumber = rightNumber
        self.flags = flags
        self.legalDeadline = legalDeadline
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, status, unit
        case createdAt = "created_at"
        case rightNumber = "right_number"
    }
}
