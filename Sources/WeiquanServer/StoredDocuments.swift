import Foundation
import WeiquanCore
import WeiquanStore

extension CaseRecord: StoredDocument {
    public static var collection: String { "cases" }
    public var documentID: String { self.id }
}

/// One applicant's conversation as stored: the machine's state and what the desk needs to know.
public struct ConversationRecord: StoredDocument, Equatable {
    public static var collection: String { "conversations" }
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// The applicant's channel identity (WeChat OpenID).
    public var id: String
    public var state: ConversationState
    public var updatedAt: Date
    /// The latest handoff the bot asked for, until staff take it (issue 5 builds the desk).
    public var handoff: HandoffRequest?
    /// The applicant unfollowed the account.
    public var closed: Bool

    public init(id: String, state: ConversationState = ConversationState(), updatedAt: Date) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.state = state
        self.updatedAt = updatedAt
        self.handoff = nil
        self.closed = false
    }

    public var documentID: String { self.id }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, state, handoff, closed
        case updatedAt = "updated_at"
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
    /// `case_filed`, `handoff_requested`, `conversation_closed`, …
    public var action: String
    public var conversation: String?
    public var caseID: String?

    public init(id: String, at: Date, actor: String, action: String, conversation: String?, caseID: String? = nil) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.conversation = conversation
        self.caseID = caseID
    }

    public var documentID: String { self.id }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, at, actor, action, conversation
        case caseID = "case_id"
    }
}
