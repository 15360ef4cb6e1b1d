/// A Chinese patent application number (专利申请号), checked against its format and check character.
///
/// New numbers (from 2003-10-01) have 12 digits: year, type, 7-digit serial. Old numbers have 8: 2-digit
/// year, type, 5-digit serial. The check character follows a dot; 1985–1988 numbers had none.
/// The patent number (专利号) is `ZL` + this number; both are keyed by ``canonical``.
/// Encodes as its canonical string.
public struct PatentApplicationNumber: Sendable, Hashable, Codable {
    /// The application type, from the type digit.
    public enum Kind: String, Sendable, Codable {
        /// `1`: invention (发明).
        case invention
        /// `2`: utility model (实用新型).
        case utilityModel = "utility_model"
        /// `3`: design (外观设计).
        case design
        /// `8`: PCT invention application entering the Chinese national phase.
        case pctInvention = "pct_invention"
        /// `9`: PCT utility model application entering the Chinese national phase.
        case pctUtilityModel = "pct_utility_model"

        /// The kind for a type digit (ASCII), or nil for an unknown type.
        init?(typeDigit: UInt8) {
            switch typeDigit {
            case UInt8(ascii: "1"): self = .invention
            case UInt8(ascii: "2"): self = .utilityModel
            case UInt8(ascii: "3"): self = .design
            case UInt8(ascii: "8"): self = .pctInvention
            case UInt8(ascii: "9"): self = .pctUtilityModel
            default: return nil
            }
        }
    }

    /// The 8 (old) or 12 (new) digits before the dot.
    public let body: String
    /// `0`–`9` or `X`; nil only for 1985–1988 8-digit numbers (no check digit then).
    public let checkCharacter: Character?

    /// Creates a number from validated parts (see ``PatentNumberValidator``).
    init(uncheckedBody body: String, checkCharacter: Character?) {
        self.body = body
        self.checkCharacter = checkCharacter
    }

    /// Creates a number from its parts when they form a valid number (length, year range, type, check
    /// character). The upper bound of the year is not checked here (no clock): use
    /// ``PatentNumberParser/parse(_:currentYear:)`` for user input.
    public init?(body: String, checkCharacter: Character?) {
        let check = checkCharacter.flatMap { $0.asciiValue }
        if checkCharacter != nil && check == nil { return nil }
        let upperCheck = check.map { $0 == UInt8(ascii: "x") ? UInt8(ascii: "X") : $0 }
        switch PatentNumberValidator.validate(body: Array(body.utf8), check: upperCheck, currentYear: nil) {
        case .success(let number): self = number
        case .failure: return nil
        }
    }

    /// `201310268509.X`, `97101765.4`, or `88100001` for numbers without a check character.
    public var canonical: String {
        guard let check = self.checkCharacter else { return self.body }
        return self.body + "." + String(check)
    }

    /// The 4-digit filing year: the first 4 digits of new numbers; `85`–`99` → 19xx, `00`–`03` → 20xx for old ones.
    public var filingYear: Int {
        let digits = Array(self.body.utf8)
        if digits.count == 12 {
            return TextBytes.decimalValue(digits[0..<4])
        }
        let year = TextBytes.decimalValue(digits.prefix(2))
        return year >= 85 ? 1900 + year : 2000 + year
    }

    /// The application type, from the type digit (5th of new numbers, 3rd of old ones).
    public var kind: Kind {
        let digits = Array(self.body.utf8)
        let index = digits.count == 12 ? 4 : 2
        guard index < digits.count, let kind = Kind(typeDigit: digits[index]) else { return .invention }
        return kind
    }

    /// Years of protection from the filing date: invention 20, utility model 10, design 15 when filed in
    /// 2022 or later and 10 when filed in 2020 or earlier. Nil for designs filed in 2021, where it depends on
    /// whether the filing date is before 2021-06-01 (10) or not (15). PCT kinds follow their base kinds.
    public var protectionYears: Int? {
        switch self.kind {
        case .invention, .pctInvention:
            return 20
        case .utilityModel, .pctUtilityModel:
            return 10
        case .design:
            let year = self.filingYear
            if year >= 2022 { return 15 }
            if year <= 2020 { return 10 }
            return nil
        }
    }

    /// The check character for 8 or 12 digits: weights 2,3,4,5,6,7,8,9,2,3,4,5, sum mod 11, 10 → `X`.
    /// Characters other than ASCII digits are skipped.
    public static func checkCharacter(forBody body: String) -> Character {
        let digits = body.utf8.filter { TextBytes.isDigit($0) }
        return Character(Unicode.Scalar(PatentNumberValidator.checkByte(for: digits)))
    }

    /// Decodes the canonical string (`201310268509.X`); the check character must be right.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let parts = text.split(separator: ".", maxSplits: 1)
        let body = parts.first.map(String.init) ?? ""
        let check = parts.count == 2 ? parts[1].first : nil
        guard parts.count <= 2, parts.count == 1 || parts[1].count == 1,
            let number = PatentApplicationNumber(body: body, checkCharacter: check)
        else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a valid patent application number: \(text)")
        }
        self = number
    }

    /// Encodes the canonical string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.canonical)
    }
}
