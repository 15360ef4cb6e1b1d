import Foundation

/// One handoff to a person: from the request through the queue and the staff member's chat to its end.
///
/// Stored in the `handoffs` collection. While it is `waiting` or `active` the conversation belongs to
/// the queue or to ``assignee``; a `callback` or `question` record is work for staff that leaves the
/// conversation with the bot.
public struct HandoffRecord: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    /// Where a handoff is.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// In its unit's queue, first come first served.
        case waiting
        /// Claimed: ``HandoffRecord/assignee`` owns the conversation.
        case active
        /// The applicant asked to be called back (outside office hours or after a long wait).
        case callback
        /// The applicant left a question to be answered later.
        case question
        /// Over; see ``HandoffRecord/outcome``.
        case ended
    }

    /// How a handoff ended.
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        /// Staff handed the conversation back to the bot.
        case released
        /// Staff closed it: the matter is dealt with.
        case closed
        /// The applicant left the queue (取消) or chose to leave a question or a call-back instead.
        case leftQueue = "left_queue"
        /// Nobody wrote for too long after it was claimed: it went back to the bot.
        case idleReleased = "idle_released"
        /// The applicant unfollowed the account.
        case unsubscribed
        /// The desk closed (office hours ended) before anyone took it; the applicant was offered to leave a
        /// question or a number instead.
        case deskClosed = "desk_closed"
    }

    public var schemaVersion: Int
    /// `H` and a six-digit sequence number, e.g. `H000042`.
    public var id: HandoffID
    /// The applicant whose conversation it is (their OpenID); stored as `conversation`.
    public var applicant: ApplicantID
    /// The unit whose queue it is in (org directory id).
    public var unit: UnitID
    public var reason: HandoffRequest.Reason
    /// What made it urgent (传票, 3天内 …); empty when nothing did.
    public var urgent: [String]
    public var status: Status
    public var requestedAt: Date
    public var claimedAt: Date?
    public var endedAt: Date?
    /// The staff member (desk token name) who owns it while active, and who had it last after that.
    public var assignee: String?
    public var outcome: Outcome?
    /// The form open when the applicant asked, kept so it can be resumed and so staff see the answers.
    public var form: FormProgress?
    /// The intents the applicant's recent messages were understood as, oldest first.
    public var intents: [String]
    /// The number to call back (status `callback`).
    public var callbackPhone: String?
    /// The question left (status `question`).
    public var question: String?
    /// The transcript: the messages before the handoff, then everything said and done during it.
    public var messages: [HandoffMessage]
    /// The last message from the applicant or staff, or the claim: drives the idle release.
    public var lastActivityAt: Date
    /// The queue position the applicant was last told, and when they were last told anything.
    public var toldPosition: Int?
    public var toldAt: Date?
    /// The offer to leave a question or a call-back was made while waiting.
    public var offered: Bool

    public init(
        id: HandoffID, applicant: ApplicantID, unit: UnitID, reason: HandoffRequest.Reason, urgent: [String] = [],
        status: Status, requestedAt: Date, form: FormProgress? = nil, intents: [String] = [],
        messages: [HandoffMessage] = []
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.applicant = applicant
        self.unit = unit
        self.reason = reason
        self.urgent = urgent
        self.status = status
        self.requestedAt = requestedAt
        self.claimedAt = nil
        self.endedAt = nil
        self.assignee = nil
        self.outcome = nil
        self.form = form
        self.intents = intents
        self.callbackPhone = nil
        self.question = nil
        self.messages = messages
        self.lastActivityAt = requestedAt
        self.toldPosition = nil
        self.toldAt = nil
        self.offered = false
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, unit, reason, urgent, status, assignee, outcome, form, intents, question, messages, offered
        case applicant = "conversation"
        case requestedAt = "requested_at"
        case claimedAt = "claimed_at"
        case endedAt = "ended_at"
        case callbackPhone = "callback_phone"
        case lastActivityAt = "last_activity_at"
        case toldPosition = "told_position"
        case toldAt = "told_at"
    }

    /// True while it owns the conversation (queue or staff).
    public var ownsConversation: Bool { self.status == .waiting || self.status == .active }

    /// True until it ended.
    public var isOpen: Bool { self.status != .ended }

    /// Appends a transcript line.
    public mutating func append(_ from: HandoffMessage.Sender, _ text: String, author: String? = nil, at: Date) {
        self.messages.append(HandoffMessage(at: at, from: from, author: author, text: text))
    }

    /// Ends it with `outcome` at `date`.
    public mutating func end(_ outcome: Outcome, at date: Date) {
        self.status = .ended
        self.outcome = outcome
        self.endedAt = date
    }
}
