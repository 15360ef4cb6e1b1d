/// A day of the (proleptic Gregorian) calendar, without a time or a zone: the dates of registry records.
///
/// Written and coded as `yyyy-MM-dd`. Arithmetic works on day numbers (``CivilDay``), never on `Calendar`,
/// so that the rules built on it are pure and give the same answer on every machine.
public struct CalendarDay: Sendable, Hashable, Comparable, Codable, LosslessStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public let dayNumber: Int

    /// The day with this number of days since 1970-01-01.
    public init(dayNumber: Int) {
        self.dayNumber = dayNumber
    }

    /// The day of a date, or nil when there is no such date (2月30日, month 13).
    public init?(year: Int, month: Int, day: Int) {
        guard let number = CivilDay.validNumber(year: year, month: month, day: day) else { return nil }
        self.dayNumber = number
    }

    /// Reads `yyyy-MM-dd` exactly; nil when malformed or impossible.
    public init?(_ description: String) {
        guard let number = CivilDay.parse(description) else { return nil }
        self.dayNumber = number
    }

    public var year: Int { CivilDay.date(self.dayNumber).year }
    public var month: Int { CivilDay.date(self.dayNumber).month }
    public var day: Int { CivilDay.date(self.dayNumber).day }

    /// `yyyy-MM-dd`.
    public var description: String {
        let (year, month, day) = CivilDay.date(self.dayNumber)
        return Self.padded(year, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2)
    }

    /// The day `days` later (earlier when negative).
    public func adding(days: Int) -> CalendarDay {
        CalendarDay(dayNumber: self.dayNumber + days)
    }

    /// The corresponding day `months` later (earlier when negative); when that month has no corresponding day,
    /// its last day (Patent Implementing Regulations Rule 5, Trademark Regulations Art. 12):
    /// 08-31 + 6 months → 02-28 (02-29 in a leap year); 02-29 + 12 months → 02-28.
    public func adding(months: Int) -> CalendarDay {
        let (year, month, day) = CivilDay.date(self.dayNumber)
        let index = year * 12 + (month - 1) + months
        let newYear = index >= 0 ? index / 12 : (index - 11) / 12
        let newMonth = index - newYear * 12 + 1
        let newDay = min(day, CivilDay.daysIn(month: newMonth, year: newYear))
        return CalendarDay(dayNumber: CivilDay.number(year: newYear, month: newMonth, day: newDay))
    }

    /// The corresponding day `years` later, as ``adding(months:)`` with 12 months a year: 29 February gives
    /// 28 February in a common year.
    public func adding(years: Int) -> CalendarDay {
        self.adding(months: years * 12)
    }

    /// The number of days from `other` to this day (positive when this day is later).
    public func days(since other: CalendarDay) -> Int {
        self.dayNumber - other.dayNumber
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        lhs.dayNumber < rhs.dayNumber
    }

    /// Decodes `yyyy-MM-dd`; anything else is a data error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = CalendarDay(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a yyyy-MM-dd date: \(text)")
        }
        self = day
    }

    /// Encodes `yyyy-MM-dd`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        let padding = String(repeating: "0", count: max(0, width - digits.count))
        return (value < 0 ? "-" : "") + padding + digits
    }
}
