/// Which days are rest days, for moving the end of a period (Patent Implementing Regulations Rule 5, Trademark
/// Regulations Art. 12): a period whose last day is a rest day ends on the next working day.
///
/// Saturdays and Sundays are always rest days unless listed as make-up working days (调休上班); public holidays
/// come from configuration (the `holidays` section of the config file), because the State Council fixes them
/// each year. An empty calendar (``weekendsOnly``) still moves a period ending on a weekend: that is the rule;
/// only the holidays are missing. A day listed as both a holiday and a working day is refused when decoding and
/// counts as a holiday otherwise.
///
/// Only the end of a *period* moves (a grace period, an appeal or opposition period, a restoration window), never
/// a term's last day (a patent's or a trademark's expiry).
///
/// ```json
/// { "holidays": ["2026-10-01", "2026-10-02"], "working_days": ["2026-10-10"] }
/// ```
public struct HolidayCalendar: Sendable, Equatable, Codable {
    /// Public holidays (法定节假日 and the days off around them), whatever their weekday.
    public var holidays: Set<CalendarDay>
    /// Make-up working days (调休上班): weekend days that are working days.
    public var workingDays: Set<CalendarDay>

    public init(holidays: Set<CalendarDay> = [], workingDays: Set<CalendarDay> = []) {
        self.holidays = holidays
        self.workingDays = workingDays
    }

    /// No holidays configured: Saturdays and Sundays are the only rest days.
    public static let weekendsOnly = HolidayCalendar()

    /// Whether `day` is a working day: not a holiday, and a weekday or a listed make-up working day.
    public func isWorkingDay(_ day: CalendarDay) -> Bool {
        if self.holidays.contains(day) { return false }
        if self.workingDays.contains(day) { return true }
        return !Self.isWeekend(day)
    }

    /// The day a period ending on `day` really ends: `day` itself when it is a working day, else the next working
    /// day.
    public func deadline(_ day: CalendarDay) -> CalendarDay {
        var day = day
        while !self.isWorkingDay(day) {
            day = day.adding(days: 1)
        }
        return day
    }

    /// Saturday or Sunday (1970-01-01, day number 0, was a Thursday).
    static func isWeekend(_ day: CalendarDay) -> Bool {
        let weekday = ((day.dayNumber % 7) + 7 + 3) % 7  // 0 = Monday … 6 = Sunday
        return weekday >= 5
    }

    enum CodingKeys: String, CodingKey {
        case holidays
        case workingDays = "working_days"
    }

    /// Decodes `{"holidays": [...], "working_days": [...]}`; either list may be left out. A malformed date, or a
    /// day in both lists, is a data error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let holidays = try container.decodeIfPresent([CalendarDay].self, forKey: .holidays) ?? []
        let workingDays = try container.decodeIfPresent([CalendarDay].self, forKey: .workingDays) ?? []
        self.holidays = Set(holidays)
        self.workingDays = Set(workingDays)
        if let both = self.holidays.intersection(self.workingDays).min() {
            throw DecodingError.dataCorruptedError(
                forKey: .workingDays, in: container,
                debugDescription: "\(both) is listed both as a holiday and as a working day")
        }
    }

    /// Encodes both lists in date order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.holidays.sorted(), forKey: .holidays)
        try container.encode(self.workingDays.sorted(), forKey: .workingDays)
    }
}
