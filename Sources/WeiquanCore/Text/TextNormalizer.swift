/// Brings user text into the one form the matcher and extractors read.
///
/// STUB: lower-cases only. The full normaliser (full-width → half-width, traditional → simplified,
/// punctuation, whitespace) replaces this file.
public struct TextNormalizer: Sendable {
    public init() {}

    public func normalize(_ text: String) -> String { text.lowercased() }
}
