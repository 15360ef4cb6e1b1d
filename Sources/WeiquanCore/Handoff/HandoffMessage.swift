import Foundation

/// One line of a handoff's transcript: what the applicant, the bot or staff said, or an internal note.
public struct HandoffMessage: Codable, Sendable, Equatable {
    /// Who a transcript line comes from.
    public enum Sender: String, Codable, Sendable {
        /// The applicant (through WeChat).
        case applicant
        /// The bot (queue notices and the like).
        case bot
        /// A staff member, sent to the applicant.
        case staff
        /// An internal note: staff only, never sent.
        case note
        /// What happened (claimed, transferred, released …), for the record.
        case event
    }

    public var at: Date
    public var from: Sender
    /// The staff member's token name for `staff`, `note` and staff-caused `event` lines.
    public var author: String?
    public var text: String

    public init(at: Date, from: Sender, author: String? = nil, text: String) {
        self.at = at
        self.from = from
        self.author = author
        self.text = text
    }
}
