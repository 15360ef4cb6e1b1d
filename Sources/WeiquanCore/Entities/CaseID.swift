/// The id of an aid case: `WQ`, the date as `yyyyMMdd`, a 4-digit sequence number for that day
/// (`WQ202611210007`). Encodes as its canonical string.
public struct CaseID: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// The canonical form, `WQ` + 12 digits.
    public let rawValue: String

    /// Accepts only the canonical form (`WQ202611210007`) with a real calendar date.
    public init?(rawValue: String) {
        guard rawValue.utf8.count == 14, rawValue.hasPrefix("WQ"), let parsed = CaseID(parsing: rawValue),
            parsed.rawValue == rawValue
        else {
            return nil
        }
        self.rawValue = rawValue
    }

    /// Reads an id as a user may write it: any case, an optional space or hyphen after `WQ` and after the
    /// date, full-width characters, surrounding spaces (`wq202611210007`, `WQ-20261121-0007`,
    /// `WQ 20261121 0007`). The date must exist (years 2000–2999).
    public init?(parsing text: String) {
        let normalized = TextNormalizer().normalize(text)
        let match = TextBytes.withBytes(normalized) { bytes in Self.scan(bytes, at: 0) }
        guard let match, match.end == normalized.utf8.count else { return nil }
        self = match.id
    }

    /// Creates the id for a date and the day's sequence number.
    ///
    /// - Precondition: a real calendar date in 2000–2999 and `sequence` in 0…9999.
    public init(year: Int, month: Int, day: Int, sequence: Int) {
        precondition(Self.isValidDate(year: year, month: month, day: day), "invalid case date")
        precondition((0...9999).contains(sequence), "case sequence out of range")
        self.rawValue = "WQ" + Self.padded(year, 4) + Self.padded(month, 2) + Self.padded(day, 2)
            + Self.padded(sequence, 4)
    }

    /// Same as ``init(year:month:day:sequence:)``.
    public static func make(year: Int, month: Int, day: Int, sequence: Int) -> CaseID {
        CaseID(year: year, month: month, day: day, sequence: sequence)
    }

    /// The canonical form.
    public var description: String { self.rawValue }

    /// The year of the date part.
    public var year: Int { self.field(2, 4) }
    /// The month of the date part.
    public var month: Int { self.field(6, 2) }
    /// The day of the date part.
    public var day: Int { self.field(8, 2) }
    /// The sequence number within the day.
    public var sequence: Int { self.field(10, 4) }

    /// Decodes a string in any form ``init(parsing:)`` accepts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = CaseID(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a case id: \(text)")
        }
        self = id
    }

    /// Encodes the canonical string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }

    /// A case id read at one position of normalised bytes.
    struct Match {
        /// The id.
        var id: CaseID
        /// Index after the id.
        var end: Int
    }

    /// Reads `wq[ |-]yyyyMMdd[ |-]nnnn` at `start` (not followed by a digit) from normalised bytes.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Match? {
        guard let first = TextBytes.byte(bytes, start), first | 0x20 == UInt8(ascii: "w"),
            let second = TextBytes.byte(bytes, start + 1), second | 0x20 == UInt8(ascii: "q")
        else {
            return nil
        }
        var index = start + 2
        var digits: [UInt8] = []
        digits.reserveCapacity(12)
        for group in [8, 4] {
            if let byte = TextBytes.byte(bytes, index), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") {
                index += 1
            }
            for _ in 0..<group {
                guard let byte = TextBytes.byte(bytes, index), TextBytes.isDigit(byte) else { return nil }
                digits.append(byte)
                index += 1
            }
        }
        guard !TextBytes.digit(bytes, index) else { return nil }
        let number = { (from: Int, count: Int) in TextBytes.decimalValue(digits[from..<(from + count)]) }
        guard Self.isValidDate(year: number(0, 4), month: number(4, 2), day: number(6, 2)) else { return nil }
        return Match(id: CaseID(canonical: "WQ" + String(decoding: digits, as: UTF8.self)), end: index)
    }

    private init(canonical: String) {
        self.rawValue = canonical
    }

    private func field(_ offset: Int, _ count: Int) -> Int {
        let digits = self.rawValue.utf8.dropFirst(offset).prefix(count)
        return TextBytes.decimalValue(digits)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        guard (2000...2999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }
}
