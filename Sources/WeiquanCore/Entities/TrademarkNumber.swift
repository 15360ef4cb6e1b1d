/// A trademark application/registration number (申请号 = 注册号, ip-domain.md §2).
///
/// Numeric, no check digit: up to 8 digits, `G` in front for Madrid designations, and an `A`/`B`/`AA`…
/// suffix for derived cases such as divided applications. Encodes as its canonical string.
public struct TrademarkNumber: Sendable, Hashable, Codable {
    /// `G` for an international (Madrid) registration designating China, otherwise empty.
    public let prefix: String
    /// 1–8 digits.
    public let digits: String
    /// Empty, or one or two upper-case letters (`A`, `B`, `AA` …).
    public let suffix: String

    /// Creates a number when the parts are well formed: prefix `G` or empty (any case), 1–8 ASCII digits,
    /// a suffix of at most two ASCII letters (any case).
    public init?(prefix: String, digits: String, suffix: String) {
        let upperPrefix = prefix.uppercased()
        let upperSuffix = suffix.uppercased()
        guard upperPrefix == "" || upperPrefix == "G",
            (1...8).contains(digits.utf8.count), digits.utf8.allSatisfy(TextBytes.isDigit),
            upperSuffix.utf8.count <= 2, upperSuffix.utf8.allSatisfy(TextBytes.isLetter)
        else {
            return nil
        }
        self.prefix = upperPrefix
        self.digits = digits
        self.suffix = upperSuffix
    }

    /// Creates a number from parts already checked by ``TrademarkNumberScanner``.
    init(uncheckedPrefix prefix: String, digits: String, suffix: String) {
        self.prefix = prefix
        self.digits = digits
        self.suffix = suffix
    }

    /// `G1234567`, `12345678`, `16435657A`.
    public var canonical: String { self.prefix + self.digits + self.suffix }

    /// Decodes the canonical string (`G1234567`, `16435657A`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let number = TrademarkNumberParser.parse(text), number.canonical == text.uppercased() else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a trademark number: \(text)")
        }
        self = number
    }

    /// Encodes the canonical string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.canonical)
    }
}
