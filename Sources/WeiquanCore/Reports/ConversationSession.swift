import Foundation

/// One visit of an applicant to the account, for the report's "conversations resolved without a person": the
/// messages until a pause of more than ``gap``, and whether a person was brought in (the applicant asked for one, left
/// a question or a call-back number, or staff took the conversation over).
///
/// Stored in the `sessions` collection without the applicant: a start time and a flag, nothing that names anybody.
/// Written when a visit starts and again when a person is brought in, in the same write as the conversation.
public struct ConversationSession: Codable, Sendable, Equatable, Identifiable {
    public static let currentSchemaVersion = 1
    /// A pause longer than this starts a new visit (the usual web-analytics session).
    public static let gap: TimeInterval = 30 * 60

    public var schemaVersion: Int
    public var id: String
    public var startedAt: Date
    /// A person was brought in during the visit.
    public var handedOff: Bool

    public init(id: String, startedAt: Date, handedOff: Bool = false) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.startedAt = startedAt
        self.handedOff = handedOff
    }

    /// The session an event at `now` belongs to: `current` when the conversation's last event (`lastEventAt`) was at
    /// most ``gap`` ago, else a new one with `newID`. `isNew` says which.
    public static func session(
        continuing current: ConversationSession?, lastEventAt: Date, now: Date, newID: () -> String
    ) -> (session: ConversationSession, isNew: Bool) {
        if let current, now.timeIntervalSince(lastEventAt) <= Self.gap { return (current, false) }
        return (ConversationSession(id: newID(), startedAt: now), true)
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id
        case startedAt = "started_at"
        case handedOff = "handed_off"
    }
}
