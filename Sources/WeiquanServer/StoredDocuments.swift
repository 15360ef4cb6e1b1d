import Foundation
import WeiquanCore
import WeiquanStore

extension CaseRecord: StoredDocument {
    public static var collection: String { "cases" }
    public var documentID: String { self.id.rawValue }
}

extension Conversation: StoredDocument {
    public static var collection: String { "conversations" }
    public var documentID: String { self.applicant.rawValue }
}

extension HandoffRecord: StoredDocument {
    public static var collection: String { "handoffs" }
    public var documentID: String { self.id.rawValue }
}

extension ConversationSession: StoredDocument {
    public static var collection: String { "sessions" }
    public var documentID: String { self.id }
}

extension ErasureRequest: StoredDocument {
    public static var collection: String { "erasures" }
    public var documentID: String { self.id }
}

extension QuestionRecord: StoredDocument {
    public static var collection: String { "questions" }
    public var documentID: String { self.id.rawValue }
}

extension DocumentStore {
    /// The applicant's stored conversation, if they ever wrote.
    func conversation(of applicant: ApplicantID) async throws -> Conversation? {
        try await self.get(Conversation.self, id: applicant.rawValue)
    }

    /// The stored handoff with this id.
    func handoff(_ id: HandoffID) async throws -> HandoffRecord? {
        try await self.get(HandoffRecord.self, id: id.rawValue)
    }
}

/// The answer given to one inbound message, kept so that WeChat's retries get the same answer.
public struct RetryRecord: StoredDocument, Equatable {
    public static var collection: String { "dedupe" }
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// The dedupe key (`msg:<MsgId>` or `evt:<user>|<time>|<event>|<key>`).
    public var id: String
    /// The reply sent; nil when the message got `success`.
    public var reply: String?
    public var handledAt: Date

    public init(id: String, reply: String?, handledAt: Date) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.reply = reply
        self.handledAt = handledAt
    }

    public var documentID: String { self.id }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, reply
        case handledAt = "handled_at"
    }
}

/// An entry of the append-only audit trail: who did what to which conversation or case, and when.
public struct AuditEvent: StoredDocument, Equatable {
    public static var collection: String { "audit" }
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var id: String
    public var at: Date
    /// `bot`, `applicant`, or a staff token's name.
    public var actor: String
    public var action: AuditAction
    public var conversation: ApplicantID?
    public var caseID: CaseID?
    public var handoffID: HandoffID?
    /// What else the action needs to be understood (`to=nanning`, `outcome=released`); never message text.
    public var detail: String?

    /// The entry `entry` about `conversation`, stored as `id` at `at`.
    public init(id: String, at: Date, conversation: ApplicantID?, _ entry: AuditEntry) {
        self.init(
            id: id, at: at, actor: entry.actor, action: entry.action, conversation: conversation, caseID: entry.caseID,
            handoffID: entry.handoffID, detail: entry.detail
        )
    }

    public init(
        id: String, at: Date, actor: String, action: AuditAction, conversation: ApplicantID?, caseID: CaseID? = nil,
        handoffID: HandoffID? = nil, detail: String? = nil
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.conversation = conversation
        self.caseID = caseID
        self.handoffID = handoffID
        self.detail = detail
    }

    public var documentID: String { self.id }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, at, actor, action, conversation, detail
        case caseID = "case_id"
        case handoffID = "handoff_id"
    }
}
