/// One occurrence of a phrase found by `PhraseAutomaton`, in unicode-scalar offsets of the text.
public struct PhraseOccurrence: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The index of the phrase in the list the automaton was built from.
    public let phrase: Int
    /// The offset of the occurrence's first scalar.
    public let start: Int
    /// The offset just past the occurrence's last scalar.
    public let end: Int

    /// Creates an occurrence.
    public init(phrase: Int, start: Int, end: Int) {
        self.phrase = phrase
        self.start = start
        self.end = end
    }

    /// The length of the occurrence in unicode scalars.
    public var length: Int { self.end - self.start }

    /// Orders by start, then end, then phrase.
    public static func < (lhs: PhraseOccurrence, rhs: PhraseOccurrence) -> Bool {
        if lhs.start != rhs.start { return lhs.start < rhs.start }
        if lhs.end != rhs.end { return lhs.end < rhs.end }
        return lhs.phrase < rhs.phrase
    }

    /// `phrase@start..<end`.
    public var description: String { "\(self.phrase)@\(self.start)..<\(self.end)" }
}
