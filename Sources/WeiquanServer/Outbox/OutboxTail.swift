import WeiquanCore
import WeiquanStore

/// The id of an applicant's newest outbox message (collection `outbox_tails`, one document per applicant), written
/// together with each new message when several instances share the store.
///
/// Message ids order an applicant's messages, and each instance takes ids from its own copy of the sequence, which
/// may lag behind another instance's writes. The applicant's messages are created under the applicant's exclusive
/// lock (``Coordination/exclusively(_:_:)``), so the tail read under that lock is the applicant's true newest id,
/// and the next message's id is taken above it: an applicant's ids increase in the order their messages were made.
///
/// On disk: `{"schema_version":1,"applicant":"o…","last_id":"0000000000000042"}`.
struct OutboxTail: StoredDocument, Equatable {
    static var collection: String { "outbox_tails" }
    static let currentSchemaVersion = 1

    var schemaVersion: Int
    /// The applicant's OpenID, which is also the document's id.
    var applicant: ApplicantID
    /// The id of the applicant's newest message.
    var lastID: String

    init(applicant: ApplicantID, lastID: String) {
        self.schemaVersion = Self.currentSchemaVersion
        self.applicant = applicant
        self.lastID = lastID
    }

    var documentID: String { self.applicant.rawValue }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case applicant
        case lastID = "last_id"
    }
}
