import Foundation
import WeiquanCore

/// A ready-made reply staff may send from the desk: a short title to pick it by and the text, read from
/// `intents/desk-replies.json` (`{"replies": [{"title": …, "text": …}, …]}`; keys starting with `_` are comments).
///
/// Texts may use the contact placeholders (`{centre_name}`, `{hotline}` …), filled from the configuration when the
/// file is loaded. A file with an empty or repeated title, an empty text, a text over ``maxLength`` characters or
/// a placeholder the configuration cannot fill does not load.
public struct DeskReply: Codable, Sendable, Equatable {
    public var title: String
    public var text: String

    /// The longest message the desk may send (as `DeskService.maxMessageLength`).
    public static let maxLength = 1000
    /// The longest title.
    public static let maxTitleLength = 20

    public init(title: String, text: String) {
        self.title = title
        self.text = text
    }

    private struct File: Decodable {
        var replies: [DeskReply]
    }

    /// Decodes and checks the file, filling the contact placeholders.
    public static func decode(json data: Data, contact: ContactInfo?) throws -> [DeskReply] {
        let book = ReplyBook(templates: [:], contact: contact)
        let known = Set((contact?.placeholders ?? [:]).keys)
        var titles: Set<String> = []
        return try JSONDecoder().decode(File.self, from: data).replies.enumerated().map { index, reply in
            let title = reply.title.trimmingCharacters(in: .whitespacesAndNewlines)
            let at = "replies[\(index)]"
            guard !title.isEmpty else { throw Problem("\(at): the title is empty") }
            guard title.count <= Self.maxTitleLength else {
                throw Problem("\(at): the title has \(title.count) characters; at most \(Self.maxTitleLength)")
            }
            guard titles.insert(title).inserted else { throw Problem("\(at): the title '\(title)' is repeated") }
            let unknown = ReplyBook.placeholders(in: reply.text).filter { !known.contains($0) }
            guard unknown.isEmpty else {
                throw Problem(
                    "\(at): unknown placeholder {\(unknown[0])}; use \(known.sorted().joined(separator: ", "))")
            }
            let text = book.fill(reply.text).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw Problem("\(at) '\(title)': the text is empty") }
            guard text.count <= Self.maxLength else {
                throw Problem("\(at) '\(title)': the text has \(text.count) characters; at most \(Self.maxLength)")
            }
            return DeskReply(title: title, text: text)
        }
    }

    /// What is wrong with the file, in an operator's words (``BotData`` adds the path).
    struct Problem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
