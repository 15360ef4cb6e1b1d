/// The identifier of an intent in the catalogue, such as `aid_request` or `faq.free`.
///
/// Ids are data: the catalogue in `intents/` may add new ones without a code change. The
/// static members name the ids the conversation machine relies on.
public struct IntentID: RawRepresentable, Hashable, Comparable, Codable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }

    public var description: String { self.rawValue }

    public static func < (lhs: IntentID, rhs: IntentID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// True for the frequently-asked-question intents (`faq.*`), which carry their own answer text.
    public var isFAQ: Bool { self.rawValue.hasPrefix("faq.") }

    public static let greeting: IntentID = "greeting"
    public static let help: IntentID = "help"
    public static let aidRequest: IntentID = "aid_request"
    public static let complaint: IntentID = "complaint"
    public static let legalStatus: IntentID = "legal_status"
    public static let caseProgress: IntentID = "case_progress"
    public static let withdraw: IntentID = "withdraw"
    /// The applicant wants to ask the volunteers a question of their own (我要提问).
    public static let askQuestion: IntentID = "ask_question"
    /// The applicant asks for their personal data to be deleted (删除我的信息).
    public static let erase: IntentID = "erase"
    public static let human: IntentID = "human"
    public static let cancel: IntentID = "cancel"
    public static let back: IntentID = "back"
    public static let thanks: IntentID = "thanks"
    /// Show the list of frequently asked questions.
    public static let faqMenu: IntentID = "faq_menu"
    public static let unknown: IntentID = "unknown"

    /// The ids that must exist in every catalogue: the machine and the reports depend on them.
    public static let required: [IntentID] = [
        .greeting, .help, .aidRequest, .complaint, .legalStatus, .caseProgress, .human, .cancel, .back, .thanks,
        .faqMenu,
        "faq.free", "faq.scope", "faq.materials", "faq.conditions", "faq.timeline", "faq.contact", "faq.overseas",
        "faq.exhibition",
    ]
}
