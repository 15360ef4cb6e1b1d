/// Why an IP type lexicon could not be read.
public enum IPTypeLexiconError: Error, Sendable, Equatable {
    /// A key is not the raw value of an ``IPType`` (and does not start with `_`, which marks a comment).
    case unknownIPType(String)
}
