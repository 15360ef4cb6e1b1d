import Foundation

/// A keyword or pattern of an intent, with an optional explicit weight.
///
/// In JSON a phrase is either a plain string (`"收费"`, default weight) or an object
/// (`{"text": "要钱吗", "weight": 1.5}`). A phrase without an explicit weight is encoded back as a
/// plain string.
public struct IntentPhrase: Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The phrase as written in the catalogue, before normalisation.
    public let text: String
    /// The explicit weight, or nil to use the default for the phrase's length.
    public let weight: Double?

    /// Creates a phrase with an optional explicit weight.
    public init(_ text: String, weight: Double? = nil) {
        self.text = text
        self.weight = weight
    }

    /// Creates a phrase with the default weight from a string literal.
    public init(stringLiteral value: String) {
        self.init(value)
    }

    private enum CodingKeys: String, CodingKey {
        case text
        case weight
    }

    /// Decodes either a plain string or a `{"text", "weight"}` object.
    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self.init(text)
            return
        }
        let container: KeyedDecodingContainer<CodingKeys>
        do {
            container = try decoder.container(keyedBy: CodingKeys.self)
        } catch {
            throw DecodingError.typeMismatch(
                IntentPhrase.self,
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "expected a string or an object {\"text\": …, \"weight\": …}"
                )
            )
        }
        let keys = try decoder.container(keyedBy: AnyJSONKey.self).allKeys.map(\.stringValue)
        if let unknown = keys.first(where: { $0 != "text" && $0 != "weight" }) {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "unknown key '\(unknown)' in a phrase (allowed: text, weight)"
                )
            )
        }
        let text = try container.decode(String.self, forKey: .text)
        let weight = try container.decodeIfPresent(Double.self, forKey: .weight)
        self.init(text, weight: weight)
    }

    /// Encodes a plain string when there is no explicit weight, an object otherwise.
    public func encode(to encoder: any Encoder) throws {
        if let weight = self.weight {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.text, forKey: .text)
            try container.encode(weight, forKey: .weight)
        } else {
            var container = encoder.singleValueContainer()
            try container.encode(self.text)
        }
    }

    /// The phrase text, followed by its weight when one is given.
    public var description: String {
        if let weight = self.weight {
            return "\(self.text) (\(weight))"
        }
        return self.text
    }
}

extension IntentPhrase {
    /// The fragments of a pattern as written, split at `…` (a run such as `……` counts as one
    /// separator, and `...` is accepted for `…`), each trimmed of whitespace. A well-formed pattern
    /// has at least two fragments and none empty.
    public var patternFragments: [String] {
        let text = self.text.replacingOccurrences(of: "...", with: "…")
        var fragments: [String] = []
        var current = ""
        var previousWasSeparator = false
        var sawSeparator = false
        for character in text {
            if character == "…" {
                if !previousWasSeparator {
                    fragments.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                    current = ""
                }
                previousWasSeparator = true
                sawSeparator = true
            } else {
                current.append(character)
                previousWasSeparator = false
            }
        }
        fragments.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
        return sawSeparator ? fragments : [fragments[0]]
    }
}
