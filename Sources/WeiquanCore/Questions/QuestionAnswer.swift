import Foundation

/// A volunteer's answer to a question, as they wrote it.
public struct QuestionAnswer: Codable, Sendable, Equatable {
    public var text: String
    /// The volunteer's desk token name.
    public var by: String
    public var at: Date

    public init(text: String, by: String, at: Date) {
        self.text = text
        self.by = by
        self.at = at
    }
}
