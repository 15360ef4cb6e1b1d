/// Who speaks for the centre in a conversation. Exactly one owner at a time.
///
/// Stored as a string: `bot`, `queue`, or `staff:<token name>`.
public enum ConversationOwner: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// The bot answers.
    case bot
    /// Waiting for a person: the bot only tells the applicant where they stand and lets them leave.
    case queue
    /// A staff member (by desk token name) has taken the conversation; the bot is silent.
    case staff(String)

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let owner = ConversationOwner(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "unknown conversation owner '\(text)'")
            )
        }
        self = owner
    }

    /// Reads `bot`, `queue` or `staff:<name>`.
    public init?(_ text: String) {
        switch text {
        case "bot": self = .bot
        case "queue": self = .queue
        default:
            guard text.hasPrefix("staff:"), text.count > 6 else { return nil }
            self = .staff(String(text.dropFirst(6)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }

    public var description: String {
        switch self {
        case .bot: "bot"
        case .queue: "queue"
        case .staff(let name): "staff:\(name)"
        }
    }

    /// The staff member's name when staff own the conversation.
    public var staffName: String? {
        if case .staff(let name) = self { name } else { nil }
    }
}
