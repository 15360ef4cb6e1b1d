import Foundation

/// The half-open period `[from, to)` a report covers, and the calendar months it is cut into, in one time zone
/// (Asia/Shanghai for the centres).
///
/// Months are found by binary search among precomputed month starts, so a report over a hundred thousand cases
/// does not ask the calendar a hundred thousand times.
public struct ReportPeriod: Sendable, Equatable {
    /// The longest period a report covers: ten years of months.
    public static let maximumMonths = 120

    /// The time zone the centres count days and months in.
    public static let shanghai = "Asia/Shanghai"

    /// The first instant counted.
    public let from: Date
    /// The first instant not counted.
    public let to: Date
    public let timeZone: TimeZone
    /// The start of every month that meets the period (the first one may begin before ``from``), ascending, and
    /// the month's label (`2026-03`).
    let months: [(start: Date, label: String)]

    public static func == (lhs: ReportPeriod, rhs: ReportPeriod) -> Bool {
        lhs.from == rhs.from && lhs.to == rhs.to && lhs.timeZone == rhs.timeZone
    }

    /// The period from the start of day `from` to the start of day `to` (both `yyyy-MM-dd`, in `timeZone`).
    public init(from: String, to: String, timeZone name: String = ReportPeriod.shanghai) throws(ReportError) {
        guard let timeZone = TimeZone(identifier: name) else { throw .unknownTimeZone(name) }
        let calendar = Self.calendar(timeZone)
        guard let start = Self.day(from, calendar) else { throw .invalidDay(name: "from", text: from) }
        guard let end = Self.day(to, calendar) else { throw .invalidDay(name: "to", text: to) }
        guard start < end else { throw .emptyPeriod(from: from, to: to) }
        try self.init(from: start, to: end, timeZone: timeZone)
    }

    /// The period `[from, to)` with months counted in `timeZone`.
    public init(from: Date, to: Date, timeZone: TimeZone) throws(ReportError) {
        let calendar = Self.calendar(timeZone)
        let label = { (date: Date) in Self.label(calendar.dateComponents([.year, .month], from: date)) }
        guard from < to else { throw .emptyPeriod(from: label(from), to: label(to)) }
        var months: [(start: Date, label: String)] = []
        let first = calendar.dateComponents([.year, .month], from: from)
        var components = first
        while let start = calendar.date(from: components), start < to {
            guard months.count < Self.maximumMonths else {
                let last = calendar.dateComponents([.year, .month], from: to)
                let years = (last.year ?? 0) - (first.year ?? 0)
                throw .periodTooLong(months: years * 12 + (last.month ?? 0) - (first.month ?? 0) + 1)
            }
            months.append((start, Self.label(components)))
            components.month = (components.month ?? 1) + 1
            if components.month == 13 {
                components.month = 1
                components.year = (components.year ?? 0) + 1
            }
        }
        self.from = from
        self.to = to
        self.timeZone = timeZone
        self.months = months
    }

    /// Whether `date` lies in the period.
    public func contains(_ date: Date) -> Bool { date >= self.from && date < self.to }

    /// The month (`2026-03`) `date` falls in, for a date within the period.
    public func month(of date: Date) -> String? {
        guard self.contains(date) else { return nil }
        var low = 0
        var high = self.months.count - 1
        // The last month start at or before `date`.
        while low < high {
            let middle = (low + high + 1) / 2
            if self.months[middle].start <= date { low = middle } else { high = middle - 1 }
        }
        return self.months.isEmpty ? nil : self.months[low].label
    }

    /// The first and last instants as days (`2026-01-01`) in the period's time zone.
    public var days: (from: String, to: String) {
        let calendar = Self.calendar(self.timeZone)
        return (Self.dayText(self.from, calendar), Self.dayText(self.to, calendar))
    }

    private static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    private static func label(_ components: DateComponents) -> String {
        let year = components.year ?? 0
        let month = components.month ?? 0
        return "\(year)-\(month < 10 ? "0" : "")\(month)"
    }

    private static func dayText(_ date: Date, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let (month, day) = (parts.month ?? 0, parts.day ?? 0)
        return "\(parts.year ?? 0)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    /// The start of `text` (`yyyy-MM-dd`) in the calendar's time zone; nil when it is not a real day.
    private static func day(_ text: String, _ calendar: Calendar) -> Date? {
        guard CaseRecord.isDay(text) else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard let date = calendar.date(from: components) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        // 2026-02-30 would become 2026-03-02: not a day.
        guard back.year == parts[0], back.month == parts[1], back.day == parts[2] else { return nil }
        return date
    }
}
