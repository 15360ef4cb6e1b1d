import Foundation

/// The words people use for each kind of IP (`intents/ip-types.json`).
///
/// JSON: an object keyed by ``IPType`` raw values, each with a list of words, for example
/// `{"patent": ["专利", "发明"], "trademark": ["商标", "logo"]}`. Keys starting with `_` are comments
/// and are ignored. Words are normalised by ``EntityExtractor`` before matching.
public struct IPTypeLexicon: Sendable, Equatable, Codable {
    /// The words for each IP type.
    public var synonyms: [IPType: [String]]

    /// Creates a lexicon from words per IP type.
    public init(synonyms: [IPType: [String]]) {
        self.synonyms = synonyms
    }

    /// Decodes the JSON form.
    /// - Throws: ``IPTypeLexiconError`` for an unknown key, `DecodingError` for malformed JSON.
    public static func decode(from data: Data) throws -> IPTypeLexicon {
        try JSONDecoder().decode(IPTypeLexicon.self, from: data)
    }

    /// Decodes the JSON object form; keys starting with `_` are skipped.
    /// - Throws: ``IPTypeLexiconError/unknownIPType(_:)`` for any other key that is not an IP type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var synonyms: [IPType: [String]] = [:]
        for key in container.allKeys where !key.stringValue.hasPrefix("_") {
            guard let type = IPType(rawValue: key.stringValue) else {
                throw IPTypeLexiconError.unknownIPType(key.stringValue)
            }
            synonyms[type] = try container.decode([String].self, forKey: key)
        }
        self.synonyms = synonyms
    }

    /// Encodes the JSON object form, keyed by raw value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for type in IPType.allCases {
            if let words = self.synonyms[type] {
                try container.encode(words, forKey: Key(type.rawValue))
            }
        }
    }

    /// A JSON key: an IP type's raw value or a comment.
    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }

        init(_ stringValue: String) {
            self.stringValue = stringValue
        }

        init?(stringValue: String) {
            self.stringValue = stringValue
        }

        init?(intValue: Int) {
            return nil
        }
    }
}
