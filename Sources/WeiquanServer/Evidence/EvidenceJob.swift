import Foundation
import WeiquanCore
import WeiquanStore

/// The durable job of fetching one piece of media evidence of a case from WeChat's temporary media API before it is
/// gone (3 days): `pending` → `fetched` | `failed(reason)`, with its attempts and the time of the next one.
///
/// Created with the case, in the same write (create-only, id `<case id>-<number>`), so a filed case always has its
/// jobs and never two of one piece. Worked by the ``EvidenceWorker`` of the instance that delivers the outbox.
public struct EvidenceJob: StoredDocument, Equatable {
    public static var collection: String { "evidence" }
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// `<case id>-<number>`.
    public var id: String
    public var caseID: CaseID
    public var applicant: ApplicantID
    /// The evidence's place among the case's attachments (1 for the first).
    public var number: Int
    public var mediaID: String
    public var status: CaseEvidence.Status
    /// Attempts made that failed transiently (the back-off grows with them).
    public var attempts: Int
    public var createdAt: Date
    /// Not tried again before this time (after a failed attempt); nil: as soon as possible.
    public var dueAt: Date?
    public var contentType: String?
    public var size: Int?
    public var sha256: String?
    public var reason: CaseEvidence.FailureReason?
    /// The last failure's code (WeChat's errcode, or a local ``WeChatAPIError`` code).
    public var code: Int?
    /// When it was fetched or given up.
    public var finishedAt: Date?

    public init(caseID: CaseID, applicant: ApplicantID, number: Int, mediaID: String, createdAt: Date) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = Self.id(caseID, number)
        self.caseID = caseID
        self.applicant = applicant
        self.number = number
        self.mediaID = mediaID
        self.status = .pending
        self.attempts = 0
        self.createdAt = createdAt
    }

    public var documentID: String { self.id }

    /// The id of a case's `number`th piece of evidence.
    public static func id(_ caseID: CaseID, _ number: Int) -> String {
        "\(caseID.rawValue)-\(number)"
    }

    /// One job per media attachment of `record`.
    public static func jobs(for record: CaseRecord) -> [EvidenceJob] {
        record.mediaAttachments.map {
            EvidenceJob(
                caseID: record.id, applicant: record.applicant, number: $0.number, mediaID: $0.mediaID,
                createdAt: record.createdAt)
        }
    }

    /// The create-only changes that add the jobs of newly filed cases to the write that files them.
    static func creations(for filed: [CaseRecord]) throws -> [DocumentChange] {
        try filed.flatMap(Self.jobs(for:)).map { try DocumentChange.create($0) }
    }

    public var isFinished: Bool { self.status != .pending }

    /// What the case says of it once finished.
    public var annotation: CaseEvidence {
        CaseEvidence(
            number: self.number, mediaID: self.mediaID, status: self.status, contentType: self.contentType,
            size: self.size, sha256: self.sha256, reason: self.reason, code: self.code,
            at: self.finishedAt ?? self.createdAt)
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, applicant, number, status, attempts, size, sha256, reason, code
        case caseID = "case_id"
        case mediaID = "media_id"
        case createdAt = "created_at"
        case dueAt = "due_at"
        case contentType = "content_type"
        case finishedAt = "finished_at"
    }
}
