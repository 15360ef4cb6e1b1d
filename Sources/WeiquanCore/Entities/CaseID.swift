/// The id of an aid case: `WQ`, the date as `yyyyMMdd`, and the case's sequence number for that day
/// (`WQ202611210007`). Encodes as its canonical string.
///
/// The sequence has 4 digits, zero-padded, up to the day's 9,999th case; from the 10,000th on it has as many
/// digits as the number needs, without leading zeros (`WQ2026112110000`, `WQ20261121123456`), up to
/// ``maximumSequence``. Every id of one day is therefore unique, and the 4-digit ids keep the form they always
/// had. Ids are ordered by date, then sequence (``Comparable``); their strings sort the same way only within
/// one width (`WQ2026112110000` sorts before `WQ202611212000` as text), so compare ids, not strings.
///
/// A string literal must be a canonical id (`"WQ202611210007"`); one that is not stops the program, as a
/// failed precondition does. Literals are for tests and fixed examples: ids from outside go through
/// ``init(rawValue:)`` or ``init(parsing:)``.
public struct CaseID: RawRepresentable, Hashable, Comparable, Codable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The largest sequence number an id can carry (9 digits); a day never comes near it.
    public static let maximumSequence = 999_999_999

    /// The fewest digits of a sequence (`0007`).
    static let minimumSequenceDigits = 4
    /// The most digits of a sequence (those of ``maximumSequence``).
    static let maximumSequenceDigits = 9
    /// `WQ` and the 8 digits of the date, before the sequence.
    private static let sequenceOffset = 10

    /// The canonical form: `WQ`, 8 digits of date, the sequence (4 digits, or 5 to 9 without a leading zero).
    public let rawValue: String

    /// Accepts only the canonical form (`WQ202611210007`, `WQ2026112110000`) with a real calendar date.
    public init?(rawValue: String) {
        let length = rawValue.utf8.count
        guard
            (Self.sequenceOffset + Self.minimumSequenceDigits...Self.sequenceOffset + Self.maximumSequenceDigits)
                .contains(length),
            rawValue.hasPrefix("WQ"), let parsed = CaseID(parsing: rawValue), parsed.rawValue == rawValue
        else {
            return nil
        }
        self.rawValue = rawValue
    }

    /// The id that the literal `value` is in canonical form; stops the program when it is not one.
    public init(stringLiteral value: String) {
        guard let id = CaseID(rawValue: value) else { preconditionFailure("not a canonical case id: \(value)") }
        self = id
    }

    /// Reads an id as a user may write it: any case, an optional space or hyphen after `WQ` and after the
    /// date, full-width characters, surrounding spaces (`wq202611210007`, `WQ-20261121-0007`,
    /// `WQ 20261121 0007`, `wq-20261121-10000`). The date must exist (years 2000–2999); a sequence of more
    /// than 4 digits must not start with `0` (`WQ2026112100007` is not an id).
    public init?(parsing text: String) {
        let normalized = TextNormalizer().normalize(text)
        let match = TextBytes.withBytes(normalized) { bytes in Self.scan(bytes, at: 0) }
        guard let match, match.end == normalized.utf8.count else { return nil }
        self = match.id
    }

    /// Creates the id for a date and the day's sequence number, or nil when the date does not exist (or is
    /// outside the years 2000–2999) or `sequence` is outside 0…``maximumSequence``.
    public init?(year: Int, month: Int, day: Int, sequence: Int) {
        guard Self.isValidDate(year: year, month: month, day: day), (0...Self.maximumSequence).contains(sequence)
        else {
            return nil
        }
        self.init(checkedYear: year, month: month, day: day, sequence: sequence)
    }

    /// Creates the id for a date and the day's sequence number, clamping what an id cannot carry instead of
    /// failing, so that filing a case never stops on it:
    ///
    /// - a year before 2000 or after 2999 becomes 2000-01-01 or 2999-12-31 (a clock set far off; the case is
    ///   still numbered within that day, so ids stay unique);
    /// - a month outside 1…12 is clamped to it, then a day outside the month to its first or last day;
    /// - a sequence is clamped to 0…``maximumSequence`` (past it the last id would repeat; no day comes near).
    ///
    /// Use ``init(year:month:day:sequence:)`` to refuse such values instead.
    public static func make(year: Int, month: Int, day: Int, sequence: Int) -> CaseID {
        let date: (year: Int, month: Int, day: Int)
        if year < 2000 {
            date = (2000, 1, 1)
        } else if year > 2999 {
            date = (2999, 12, 31)
        } else {
            let month = min(max(month, 1), 12)
            date = (year, month, min(max(day, 1), Self.daysIn(month: month, year: year)))
        }
        let sequence = min(max(sequence, 0), Self.maximumSequence)
        return CaseID(checkedYear: date.year, month: date.month, day: date.day, sequence: sequence)
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
    public var sequence: Int { TextBytes.decimalValue(self.rawValue.utf8.dropFirst(Self.sequenceOffset)) }

    /// Orders by date, then sequence (`WQ202611219999` < `WQ2026112110000` < `WQ202611220001`).
    public static func < (lhs: CaseID, rhs: CaseID) -> Bool {
        let left = lhs.rawValue.utf8.prefix(Self.sequenceOffset)
        let right = rhs.rawValue.utf8.prefix(Self.sequenceOffset)
        if !left.elementsEqual(right) {
            return left.lexicographicallyPrecedes(right)
        }
        return lhs.sequence < rhs.sequence
    }

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

    /// Reads `wq[ |-]yyyyMMdd[ |-]nnnn` at `start` (not followed by a digit) from normalised bytes; the
    /// sequence has 4 digits, or 5 to 9 without a leading zero.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Match? {
        guard let first = TextBytes.byte(bytes, start), first | 0x20 == UInt8(ascii: "w"),
            let second = TextBytes.byte(bytes, start + 1), second | 0x20 == UInt8(ascii: "q")
        else {
            return nil
        }
        var index = start + 2
        var digits: [UInt8] = []
        digits.reserveCapacity(8 + Self.maximumSequenceDigits)
        for group in [8, Self.minimumSequenceDigits] {
            if let byte = TextBytes.byte(bytes, index), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") {
                index += 1
            }
            for _ in 0..<group {
                guard let byte = TextBytes.byte(bytes, index), TextBytes.isDigit(byte) else { return nil }
                digits.append(byte)
                index += 1
            }
        }
        // A wider sequence: the digits that follow, as long as the number has no leading zero.
        while digits.count < 8 + Self.maximumSequenceDigits, digits[8] != UInt8(ascii: "0"),
            let byte = TextBytes.byte(bytes, index), TextBytes.isDigit(byte)
        {
            digits.append(byte)
            index += 1
        }
        guard !TextBytes.digit(bytes, index) else { return nil }
        let number = { (from: Int, count: Int) in TextBytes.decimalValue(digits[from..<(from + count)]) }
        guard Self.isValidDate(year: number(0, 4), month: number(4, 2), day: number(6, 2)) else { return nil }
        return Match(id: CaseID(canonical: "WQ" + String(decoding: digits, as: UTF8.self)), end: index)
    }

    private init(canonical: String) {
        self.rawValue = canonical
    }

    /// The id of a date and sequence already known to be valid.
    private init(checkedYear year: Int, month: Int, day: Int, sequence: Int) {
        self.rawValue =
            "WQ" + Self.padded(year, 4) + Self.padded(month, 2) + Self.padded(day, 2)
            + Self.padded(sequence, Self.minimumSequenceDigits)
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
        return day <= Self.daysIn(month: month, year: year)
    }

    /// The number of days of `month` (1…12) in `year`.
    private static func daysIn(month: Int, year: Int) -> Int {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return days[month - 1]
    }
}
