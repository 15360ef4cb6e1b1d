/// A text with its personal data replaced by labels, and what was found.
public struct Redaction: Sendable, Equatable {
    /// The text as given, each piece of personal data replaced by its kind's label.
    public var text: String
    /// How many pieces of each kind were replaced; kinds not found are absent.
    public var found: [RedactionKind: Int]

    public init(text: String, found: [RedactionKind: Int]) {
        self.text = text
        self.found = found
    }

    /// Whether anything was replaced.
    public var isEmpty: Bool { self.found.isEmpty }
}
