/// An identifier that is a plain string outside the code (in stored JSON, API bodies, logs and metric
/// labels) and a type of its own inside it, so that an applicant cannot be passed where a unit is meant.
///
/// A conforming type keeps the string as ``rawValue`` and gets the rest from here: it encodes and decodes
/// as that single string, so a `String` property that becomes an identifier keeps its JSON exactly (as a
/// dictionary key too, through `CodingKeyRepresentable`); it sorts and prints as the string; and it can be
/// written as a string literal (`"nanning"`). It does not check the string's form: ids come in as the
/// store, the configuration or WeChat have them. Make one at the edge where a string comes in (a webhook
/// field, a path parameter, a configuration file) and take ``rawValue`` or ``description`` only where it
/// goes out again (a log, a metric label, the store's document id).
public protocol StringIdentifier: RawRepresentable, Hashable, Comparable, Codable, CodingKeyRepresentable, Sendable,
    ExpressibleByStringLiteral, CustomStringConvertible
where RawValue == String, StringLiteralType == String {
    /// The identifier that is `rawValue`.
    init(rawValue: String)
}

extension StringIdentifier {
    /// The identifier that is `rawValue`.
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }

    public init(stringLiteral value: String) { self.init(rawValue: value) }

    /// Decodes the single string.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the single string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }

    /// The string itself.
    public var description: String { self.rawValue }

    /// Orders as the strings do.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
