import Foundation
import WeiquanCore
import WeiquanStore

extension CaseRecord: StoredDocument {
    public static var collection: String { "cases" }
    public var documentID: String { self.id }
}

/// One applicant's conversation as stored: the machine's state, who owns it, and what staff need to see.
public struct ConversationRecord: StoredDocument, Equatable {
    public static var collection: String { "conversations" }
    public static let currentSchemaVersion = 2
    /// Applicant messages kept for the context staff see when the conversation is handed to them.
    public static let recentLimit = 3
    /// Characters of each kept message.
    public static let recentLength = 200

    public var schemaVersion: Int
    /// The applicant's channel identity (WeChat OpenID).
    public var id: String
    public var state: ConversationState
    public var updatedAt: Date
    /// Who answers: the bot, the queue, or a staff member. Checked on every inbound and outbound message.
    public var owner: ConversationOwner
    /// The handoff that owns the conversation while ``owner`` is the queue or staff.
    public var handoffID: String?
    /// The applicant's last few messages (shortened), for the handoff's context. Kept in memory only: writing
    /// them with every message cost a fifth of the webhook's throughput (bench/webhook.sh), and after a
    /// restart the context simply starts with the messages since. A handoff stores them in its transcript.
    public var recent: [HandoffMessage]
    /// The applicant unfollowed the account.
    public var closed: Bool

    public init(id: String, state: ConversationState = ConversationState(), updatedAt: Date) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.state = state
        self.updatedAt = updatedAt
        self.owner = .bot
        self.handoffID = nil
        self.recent = []
        self.closed = false
    }

    public var documentID: String { self.id }

    /// Keeps `text` (shortened) as one of the recent messages.
    public mutating func remember(_ text: String, at date: Date) {
        let kept = text.count > Self.recentLength ? String(text.prefix(Self.recentLength)) + "…" : text
        self.recent.append(HandoffMessage(at: date, from: .applicant, text: kept))
        if self.recent.count > Self.recentLimit { self.recent.removeFirst(self.recent.count - Self.recentLimit) }
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, state, owner, recent, closed
        case handoffID = "handoff_id"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        self.id = try container.decode(String.self, forKey: .id)
        self.state = try container.decode(ConversationState.self, forKey: .state)
        self.updatedAt = try container.decode(Date.self, forKey: .updatedAt)
        // Version 1 had no owner: every conversation belonged to the bot.
        self.owner = try container.decodeIfPresent(ConversationOwner.self, forKey: .owner) ?? .bot
        self.handoffID = try container.decodeIfPresent(String.self, forKey: .handoffID)
        self.recent = try container.decodeIfPresent([HandoffMessage].self, forKey: .recent) ?? []
        self.closed = try container.decodeIfPresent(Bool.self, forKey: .closed) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.schemaVersion, forKey: .schemaVersion)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.state, forKey: .state)
        try container.encode(self.updatedAt, forKey: .updatedAt)
        try container.encode(self.owner, forKey: .owner)
        try container.encodeIfPresent(self.handoffID, forKey: .handoffID)
        if self.closed { try container.encode(self.closed, forKey: .closed) }
    }
}

extension HandoffRecord: StoredDocument {
    public static var collection: String { "handoffs" }
    public var documentID: String { self.id }
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
    /// `case_filed`, `handoff_requested`, `handoff_claimed`, `message_sent`, `conversation_closed`, …
    public var action: String
    public var conversation: String?
    public var caseID: String?
    public var handoffID: String?
    /// What else the action needs to be understood (`to=nanning`, `outcome=released`); never message text.
    public var detail: String?

    public init(
        id: String, at: Date, actor: String, action: String, conversation: String?, caseID: String? = nil,
        handoffID: String? = nil, detail: String? = nil
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
