import Foundation

/// One applicant's conversation: the machine's state, who owns it, and what staff need to see when it is
/// handed to them.
///
/// Stored in the `conversations` collection after every message, so it stays a few hundred bytes at rest.
/// Exactly one owner at a time — the bot, the queue, or one staff member — and
/// ``ConversationMachine/step(_:conversation:handoff:context:)`` decides by it what an event does.
public struct Conversation: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 2
    /// Applicant messages kept for the context staff see when the conversation is handed to them.
    public static let recentLimit = 3
    /// Characters of each kept message.
    public static let recentLength = 200

    public var schemaVersion: Int
    /// The applicant's channel identity (WeChat OpenID); the conversation's id.
    public var applicant: ApplicantID
    public var state: ConversationState
    public var updatedAt: Date
    /// Who answers: the bot, the queue, or a staff member. Checked on every inbound and outbound message.
    public var owner: ConversationOwner
    /// The handoff that owns the conversation while ``owner`` is the queue or staff.
    public var handoffID: HandoffID?
    /// The applicant's last few messages (shortened) and what they were understood as, for a handoff's
    /// context. Kept in memory only: writing them with every message cost a fifth of the webhook's
    /// throughput (bench/webhook.sh), and after a restart the context simply starts with the messages since.
    /// A handoff stores them in its transcript.
    public var recent: [RecentMessage]
    /// The applicant unfollowed the account.
    public var closed: Bool
    /// The applicant's finished case whose rating the bot waits for (回访), if any.
    public var awaitingRating: AwaitedRating?
    /// The visit the conversation is in, for the reports (``ConversationSession``).
    public var session: ConversationSession?
    /// A reply to a volunteer's follow-up, or the rating of a delivered answer, that the bot waits for.
    public var questionWait: QuestionWait?

    public init(applicant: ApplicantID, state: ConversationState = ConversationState(), updatedAt: Date) {
        self.schemaVersion = Self.currentSchemaVersion
        self.applicant = applicant
        self.state = state
        self.updatedAt = updatedAt
        self.owner = .bot
        self.handoffID = nil
        self.recent = []
        self.closed = false
        self.awaitingRating = nil
        self.session = nil
        self.questionWait = nil
    }

    /// Keeps `text` (shortened) as one of the recent messages, with the intent it was understood as.
    public mutating func remember(_ text: String, intent: IntentID? = nil, at date: Date) {
        let kept = text.count > Self.recentLength ? String(text.prefix(Self.recentLength)) + "…" : text
        self.recent.append(RecentMessage(at: date, text: kept, intent: intent))
        if self.recent.count > Self.recentLimit { self.recent.removeFirst(self.recent.count - Self.recentLimit) }
    }

    /// The queue or a staff member owns the conversation from now on, through `handoff`.
    public mutating func hand(to owner: ConversationOwner, through handoff: HandoffID) {
        self.owner = owner
        self.handoffID = handoff
    }

    /// The bot owns the conversation again.
    public mutating func giveBack() {
        self.owner = .bot
        self.handoffID = nil
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case applicant = "id"
        case state, owner, closed
        case handoffID = "handoff_id"
        case awaitingRating = "awaiting_rating"
        case session
        case questionWait = "question_wait"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        self.applicant = try container.decode(ApplicantID.self, forKey: .applicant)
        self.state = try container.decode(ConversationState.self, forKey: .state)
        self.updatedAt = try container.decode(Date.self, forKey: .updatedAt)
        // Version 1 had no owner: every conversation belonged to the bot.
        self.owner = try container.decodeIfPresent(ConversationOwner.self, forKey: .owner) ?? .bot
        self.handoffID = try container.decodeIfPresent(HandoffID.self, forKey: .handoffID)
        self.recent = []
        self.closed = try container.decodeIfPresent(Bool.self, forKey: .closed) ?? false
        self.awaitingRating = try container.decodeIfPresent(AwaitedRating.self, forKey: .awaitingRating)
        self.session = try container.decodeIfPresent(ConversationSession.self, forKey: .session)
        self.questionWait = try container.decodeIfPresent(QuestionWait.self, forKey: .questionWait)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.schemaVersion, forKey: .schemaVersion)
        try container.encode(self.applicant, forKey: .applicant)
        try container.encode(self.state, forKey: .state)
        try container.encode(self.updatedAt, forKey: .updatedAt)
        try container.encode(self.owner, forKey: .owner)
        try container.encodeIfPresent(self.handoffID, forKey: .handoffID)
        if self.closed { try container.encode(self.closed, forKey: .closed) }
        try container.encodeIfPresent(self.awaitingRating, forKey: .awaitingRating)
        try container.encodeIfPresent(self.session, forKey: .session)
        try container.encodeIfPresent(self.questionWait, forKey: .questionWait)
    }
}

/// One of an applicant's recent messages, as a handoff's context shows it.
public struct RecentMessage: Sendable, Equatable {
    public var at: Date
    /// The message (shortened), or `[图片] media-id` and the like.
    public var text: String
    /// What it was understood as, when it was understood.
    public var intent: IntentID?

    public init(at: Date, text: String, intent: IntentID? = nil) {
        self.at = at
        self.text = text
        self.intent = intent
    }
}
