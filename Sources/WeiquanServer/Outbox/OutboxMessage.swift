import Foundation
import WeiquanCore
import WeiquanStore

/// One outbound text message to an applicant, as the outbox keeps it (collection `outbox`).
///
/// On disk (`jq` friendly):
/// `{"schema_version":1,"id":"0000000000000042","applicant":"o…","content":"…","created_at":"…",
///   "state":"held","attempts":1,"last_error_code":45015,"next_attempt_at":null,"delivered_at":null,"revision":2}`
public struct OutboxMessage: StoredDocument, Equatable {
    public static var collection: String { "outbox" }
    public static let currentSchemaVersion = 1

    /// Where a message is on its way out.
    public enum State: Sendable, Equatable {
        /// Waiting to be sent (first time, or again after a transient error at `nextAttemptAt`).
        case pending
        /// Handed to the API and not known to have arrived. Found at start, it is sent again.
        case sending
        /// WeChat accepted it.
        case delivered
        /// The customer-service API refused it for the window or the permission (see
        /// ``WeChatAPIError/isOutsideWindow``): it waits for the applicant's next message.
        case held(code: Int)
        /// Handed to the conversation service for a passive reply (``Outbox/prepareHeld(for:owner:)``).
        case deliveredInReply
        /// Given up: a terminal error, or too many transient ones. Kept for staff to see.
        case failed(code: Int)
        /// Not sent: its author (the bot or the queue) no longer owned the conversation when its turn came.
        case withheld

        /// Delivered one way or the other, or given up: nothing more will happen to it.
        public var isFinished: Bool {
            switch self {
            case .delivered, .deliveredInReply, .failed, .withheld: true
            case .pending, .sending, .held: false
            }
        }

        /// The name stored in `state`.
        public var name: String {
            switch self {
            case .pending: "pending"
            case .sending: "sending"
            case .delivered: "delivered"
            case .held: "held"
            case .deliveredInReply: "delivered_in_reply"
            case .failed: "failed"
            case .withheld: "withheld"
            }
        }
    }

    public var schemaVersion: Int
    /// A zero-padded global sequence number (``Outbox/idWidth`` digits), so that ids sort in enqueue order
    /// and an applicant's order survives restarts.
    public var id: String
    /// The applicant's OpenID.
    public var applicant: ApplicantID
    public var content: String
    public var createdAt: Date
    public var state: State
    /// How many times it was handed to the API (counted before each call).
    public var attempts: Int
    /// Not to be sent before this (after a transient error).
    public var nextAttemptAt: Date?
    /// The last error's code (WeChat's errcode or a negative local code, see ``WeChatAPIError``).
    public var lastErrorCode: Int?
    /// When WeChat accepted it, or when it went into a passive reply.
    public var deliveredAt: Date?
    /// Who speaks: checked against the conversation's owner before the bot's and the queue's messages go out.
    public var author: OutboxAuthor
    /// How many times the message was written after it was created (0 when new, and then not stored; documents
    /// from before it was kept read as 0). With several instances on one store, a copy of a message with a higher revision is the
    /// newer one (``OutboxStateMachine/ingest(_:)``).
    public var revision: Int
    /// The id of the applicant's message made just before this one (from ``OutboxTail``), when several instances
    /// share the store: the sender makes sure that one is finished, or sends it first, before sending this one (it
    /// may not have heard of it yet). Nil alone on a store (stored as absent).
    public var previousID: String?

    public init(id: String, applicant: ApplicantID, content: String, createdAt: Date, author: OutboxAuthor = .bot) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.applicant = applicant
        self.content = content
        self.createdAt = createdAt
        self.state = .pending
        self.attempts = 0
        self.nextAttemptAt = nil
        self.lastErrorCode = nil
        self.deliveredAt = nil
        self.author = author
        self.revision = 0
        self.previousID = nil
    }

    public var documentID: String { self.id }

    /// The sequence number the id stands for.
    public var sequence: Int? { Int(self.id) }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, applicant, content, state, attempts, author, revision
        case previousID = "previous_id"
        case createdAt = "created_at"
        case nextAttemptAt = "next_attempt_at"
        case lastErrorCode = "last_error_code"
        case deliveredAt = "delivered_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        self.id = try container.decode(String.self, forKey: .id)
        self.applicant = try container.decode(ApplicantID.self, forKey: .applicant)
        self.content = try container.decode(String.self, forKey: .content)
        self.createdAt = try container.decode(Date.self, forKey: .createdAt)
        self.attempts = try container.decode(Int.self, forKey: .attempts)
        self.nextAttemptAt = try container.decodeIfPresent(Date.self, forKey: .nextAttemptAt)
        self.lastErrorCode = try container.decodeIfPresent(Int.self, forKey: .lastErrorCode)
        self.deliveredAt = try container.decodeIfPresent(Date.self, forKey: .deliveredAt)
        self.author = OutboxAuthor(try container.decodeIfPresent(String.self, forKey: .author))
        self.revision = try container.decodeIfPresent(Int.self, forKey: .revision) ?? 0
        self.previousID = try container.decodeIfPresent(String.self, forKey: .previousID)
        let name = try container.decode(String.self, forKey: .state)
        switch name {
        case "pending": self.state = .pending
        case "sending": self.state = .sending
        case "delivered": self.state = .delivered
        case "delivered_in_reply": self.state = .deliveredInReply
        case "held": self.state = .held(code: self.lastErrorCode ?? 0)
        case "failed": self.state = .failed(code: self.lastErrorCode ?? 0)
        case "withheld": self.state = .withheld
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .state, in: container, debugDescription: "unknown outbox state \(name)"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.schemaVersion, forKey: .schemaVersion)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.applicant, forKey: .applicant)
        try container.encode(self.content, forKey: .content)
        try container.encode(self.createdAt, forKey: .createdAt)
        try container.encode(self.state.name, forKey: .state)
        try container.encode(self.attempts, forKey: .attempts)
        try container.encode(self.nextAttemptAt, forKey: .nextAttemptAt)
        // A held or failed message's code is its last error's code.
        switch self.state {
        case .held(let code), .failed(let code): try container.encode(code, forKey: .lastErrorCode)
        default: try container.encode(self.lastErrorCode, forKey: .lastErrorCode)
        }
        try container.encode(self.deliveredAt, forKey: .deliveredAt)
        if self.author != .bot { try container.encode(self.author.description, forKey: .author) }
        // Left out while 0, so that a document written before revisions were kept is written back unchanged.
        if self.revision != 0 { try container.encode(self.revision, forKey: .revision) }
        try container.encodeIfPresent(self.previousID, forKey: .previousID)
    }
}
