import Foundation

/// When staff answer, in the centre's time zone: set in `desk.office_hours` of the config.
///
/// ```json
/// { "time_zone": "Asia/Shanghai", "weekdays": [1, 2, 3, 4, 5], "sessions": ["09:00-12:00", "14:00-17:30"],
///   "holidays": ["2026-10-01"], "workdays": ["2026-10-10"] }
/// ```
///
/// The desk is open during a session (the end is exclusive) on a weekday listed in ``weekdays`` that is
/// not a holiday, and on a make-up working day (调休) listed in ``workdays`` whatever its weekday. A date
/// listed as both a holiday and a workday is closed. Values that do not parse are ignored here and
/// reported by ``problems()``; an unknown time zone falls back to Asia/Shanghai.
///
/// The strings are parsed once, when the value is made or a property is set, so ``isOpen(at:)`` only
/// does arithmetic.
public struct OfficeHours: Codable, Sendable, Equatable {
    /// The IANA time zone the sessions and dates are in, such as `Asia/Shanghai`.
    public var timeZone: String {
        didSet { self.schedule = Schedule(self) }
    }
    /// The ISO weekdays the desk opens on: 1 = Monday … 7 = Sunday.
    public var weekdays: [Int] {
        didSet { self.schedule = Schedule(self) }
    }
    /// The opening sessions of an open day, each `HH:MM-HH:MM` (the end may be `24:00`), as written.
    public var sessions: [String] {
        didSet { self.schedule = Schedule(self) }
    }
    /// Dates (`yyyy-MM-dd`) the desk is closed even on one of ``weekdays``: public holidays.
    public var holidays: [String] {
        didSet { self.schedule = Schedule(self) }
    }
    /// Dates (`yyyy-MM-dd`) the desk opens with the normal sessions even on a weekend: make-up working days (调休).
    public var workdays: [String] {
        didSet { self.schedule = Schedule(self) }
    }

    /// The parsed form of the properties above.
    private var schedule: Schedule

    /// The time zone used when ``timeZone`` is not a known identifier.
    static let fallbackTimeZone =
        TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt

    /// Makes office hours; the defaults are a Chinese office's week without any holidays.
    public init(
        timeZone: String = "Asia/Shanghai", weekdays: [Int] = [1, 2, 3, 4, 5],
        sessions: [String] = ["09:00-12:00", "14:00-17:30"], holidays: [String] = [], workdays: [String] = []
    ) {
        self.timeZone = timeZone
        self.weekdays = weekdays
        self.sessions = sessions
        self.holidays = holidays
        self.workdays = workdays
        self.schedule = Schedule(
            timeZone: timeZone, weekdays: weekdays, sessions: sessions, holidays: holidays, workdays: workdays
        )
    }

    enum CodingKeys: String, CodingKey {
        case timeZone = "time_zone"
        case weekdays, sessions, holidays, workdays
    }

    /// Decodes the `office_hours` object; every key may be left out and takes its default.
    public init(from decoder: any Decoder) throws {
        let defaults = OfficeHours()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            timeZone: try container.decodeIfPresent(String.self, forKey: .timeZone) ?? defaults.timeZone,
            weekdays: try container.decodeIfPresent([Int].self, forKey: .weekdays) ?? defaults.weekdays,
            sessions: try container.decodeIfPresent([String].self, forKey: .sessions) ?? defaults.sessions,
            holidays: try container.decodeIfPresent([String].self, forKey: .holidays) ?? defaults.holidays,
            workdays: try container.decodeIfPresent([String].self, forKey: .workdays) ?? defaults.workdays
        )
    }

    /// Encodes the five keys as written.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.timeZone, forKey: .timeZone)
        try container.encode(self.weekdays, forKey: .weekdays)
        try container.encode(self.sessions, forKey: .sessions)
        try container.encode(self.holidays, forKey: .holidays)
        try container.encode(self.workdays, forKey: .workdays)
    }

    /// Equal when the configured values are equal (the parsed form follows from them).
    public static func == (lhs: OfficeHours, rhs: OfficeHours) -> Bool {
        lhs.timeZone == rhs.timeZone && lhs.weekdays == rhs.weekdays && lhs.sessions == rhs.sessions
            && lhs.holidays == rhs.holidays && lhs.workdays == rhs.workdays
    }

    // MARK: - Problems

    /// What is wrong with the values, one readable sentence each, starting with `desk.office_hours.<key>`.
    public func problems() -> [String] {
        var problems: [String] = []
        let prefix = "desk.office_hours."
        if TimeZone(identifier: self.timeZone) == nil {
            problems.append("\(prefix)time_zone: '\(self.timeZone)' is not a known time zone (such as Asia/Shanghai)")
        }
        for weekday in self.weekdays where !(1...7).contains(weekday) {
            problems.append("\(prefix)weekdays: \(weekday) is not a weekday (1 = Monday … 7 = Sunday)")
        }
        var valid: [(text: String, session: Session)] = []
        for text in self.sessions {
            switch Session.parse(text) {
            case .malformed:
                problems.append("\(prefix)sessions: '\(text)' is not written HH:MM-HH:MM (such as 09:00-12:00)")
            case .backwards:
                problems.append("\(prefix)sessions: '\(text)' does not end after it starts")
            case .session(let session):
                valid.append((text, session))
            }
        }
        for (index, first) in valid.enumerated() {
            for second in valid[(index + 1)...] where first.session.overlaps(second.session) {
                problems.append("\(prefix)sessions: '\(first.text)' overlaps '\(second.text)'")
            }
        }
        for (key, dates) in [("holidays", self.holidays), ("workdays", self.workdays)] {
            for text in dates where CivilDay.parse(text) == nil {
                problems.append("\(prefix)\(key): '\(text)' is not a date written yyyy-MM-dd (such as 2026-10-01)")
            }
        }
        let workdays = Set(self.workdays.compactMap(CivilDay.parse))
        var reported: Set<Int> = []
        for text in self.holidays {
            if let day = CivilDay.parse(text), workdays.contains(day), reported.insert(day).inserted {
                problems.append("\(prefix)holidays: '\(text)' is also listed in workdays (it is treated as closed)")
            }
        }
        return problems
    }

    // MARK: - Questions

    /// Whether staff are at the desk at `date`.
    public func isOpen(at date: Date) -> Bool {
        let local = CivilDay.local(date, in: self.schedule.zone)
        return self.schedule.session(containing: local.second, on: local.day) != nil
    }

    /// The next moment the desk opens: `date` itself when open now, else the first session start after it.
    ///
    /// Searches at most 370 days ahead; nil when the desk never opens in that time (no weekdays, no
    /// sessions, or a year of holidays).
    public func nextOpening(after date: Date) -> Date? {
        let schedule = self.schedule
        let local = CivilDay.local(date, in: schedule.zone)
        if schedule.session(containing: local.second, on: local.day) != nil { return date }
        for offset in 0...370 {
            let day = local.day + offset
            guard schedule.isOpenDay(day) else { continue }
            for session in schedule.sessions where offset > 0 || Double(session.start) > local.second {
                let opening = CivilDay.instant(day: day, second: session.start, in: schedule.zone)
                if opening > date { return opening }
            }
        }
        return nil
    }

    /// When the session going on at `date` ends (the first closed moment); nil when the desk is closed.
    ///
    /// A session ending at `24:00` runs on into a session starting at `00:00` the next day, if that day is open.
    public func closingTime(after date: Date) -> Date? {
        let schedule = self.schedule
        let local = CivilDay.local(date, in: schedule.zone)
        guard var session = schedule.session(containing: local.second, on: local.day) else { return nil }
        var day = local.day
        while session.end == Session.dayLength, day - local.day < 370, schedule.isOpenDay(day + 1),
            let next = schedule.sessions.first, next.start == 0
        {
            day += 1
            session = next
        }
        return CivilDay.instant(day: day, second: session.end, in: schedule.zone)
    }

    // MARK: - Working days

    /// The zone the dates are in (``timeZone``, or Asia/Shanghai when that is not a known identifier).
    var zone: TimeZone { self.schedule.zone }

    /// Whether staff work on the local day number `day` (days since 1970-01-01 in ``zone``): a make-up
    /// workday, or one of ``weekdays`` that is no holiday. Case deadlines count these (``CaseDeadlines``).
    func isWorkingDay(_ day: Int) -> Bool {
        self.schedule.isOpenDay(day)
    }
}

// MARK: - The parsed form

extension OfficeHours {
    /// One opening session, in seconds from local midnight; the end is exclusive.
    struct Session: Sendable, Equatable {
        /// Seconds in a day; the end of a session written `24:00`.
        static let dayLength = 24 * 3600

        var start: Int
        var end: Int

        /// How a session string reads.
        enum Parse {
            case session(Session)
            case malformed
            case backwards
        }

        /// Reads `HH:MM-HH:MM` exactly; the end may be `24:00`.
        static func parse(_ text: String) -> Parse {
            let bytes = Array(text.utf8)
            guard bytes.count == 11, bytes[5] == UInt8(ascii: "-"),
                let start = Self.clock(bytes[0..<5]), start < Self.dayLength,
                let end = Self.clock(bytes[6..<11])
            else {
                return .malformed
            }
            return end > start ? .session(Session(start: start, end: end)) : .backwards
        }

        /// Reads `HH:MM` (00:00 … 24:00) as seconds from midnight.
        private static func clock(_ bytes: ArraySlice<UInt8>) -> Int? {
            let base = bytes.startIndex
            guard bytes[base + 2] == UInt8(ascii: ":"),
                let hours = CivilDay.digits(bytes[base..<(base + 2)]),
                let minutes = CivilDay.digits(bytes[(base + 3)..<(base + 5)]),
                minutes < 60, hours < 24 || (hours == 24 && minutes == 0)
            else {
                return nil
            }
            return (hours * 60 + minutes) * 60
        }

        /// Whether the two share a moment.
        func overlaps(_ other: Session) -> Bool {
            self.start < other.end && other.start < self.end
        }
    }

    /// The configured values, parsed; invalid ones left out.
    struct Schedule: Sendable {
        var zone: TimeZone
        /// Indexed by ISO weekday (index 0 unused).
        var weekdays: [Bool]
        /// Valid sessions, sorted, with overlapping or touching ones joined.
        var sessions: [Session]
        /// Local day numbers (days since 1970-01-01).
        var holidays: Set<Int>
        var workdays: Set<Int>

        init(_ hours: OfficeHours) {
            self.init(
                timeZone: hours.timeZone, weekdays: hours.weekdays, sessions: hours.sessions,
                holidays: hours.holidays, workdays: hours.workdays
            )
        }

        init(timeZone: String, weekdays: [Int], sessions: [String], holidays: [String], workdays: [String]) {
            self.zone = TimeZone(identifier: timeZone) ?? OfficeHours.fallbackTimeZone
            var open = [Bool](repeating: false, count: 8)
            for weekday in weekdays where (1...7).contains(weekday) { open[weekday] = true }
            self.weekdays = open
            var parsed: [Session] = []
            for text in sessions {
                if case .session(let session) = Session.parse(text) { parsed.append(session) }
            }
            parsed.sort { $0.start < $1.start }
            var joined: [Session] = []
            for session in parsed {
                if let last = joined.last, session.start <= last.end {
                    joined[joined.count - 1].end = max(last.end, session.end)
                } else {
                    joined.append(session)
                }
            }
            self.sessions = joined
            self.holidays = Set(holidays.compactMap(CivilDay.parse))
            self.workdays = Set(workdays.compactMap(CivilDay.parse))
        }

        /// Whether staff work on the local day: a make-up workday, or a listed weekday that is no holiday.
        func isOpenDay(_ day: Int) -> Bool {
            if self.holidays.contains(day) { return false }
            return self.workdays.contains(day) || self.weekdays[CivilDay.isoWeekday(day)]
        }

        /// The session going on at `second` of the local `day`, if the desk is open then.
        func session(containing second: Double, on day: Int) -> Session? {
            guard self.isOpenDay(day) else { return nil }
            return self.sessions.first { Double($0.start) <= second && second < Double($0.end) }
        }
    }
}

// MARK: - Calendar arithmetic

/// Proleptic Gregorian day arithmetic on day numbers (days since 1970-01-01), without `Calendar`.
///
/// Shared by ``OfficeHours``, ``UrgencyDetector``, the console's dates and the store's date text; the algorithms
/// are Howard Hinnant's `days_from_civil` and `civil_from_days`.
package enum CivilDay {
    /// The day number of a date; the month and day must be valid.
    static func number(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day number of a date, or nil when there is no such date (2月30日).
    static func validNumber(year: Int, month: Int, day: Int) -> Int? {
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        return Self.number(year: year, month: month, day: day)
    }

    /// The year, month and day of a day number.
    package static func date(_ number: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = number + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    static func isoWeekday(_ number: Int) -> Int {
        ((number % 7 + 7 + 3) % 7) + 1
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Reads `yyyy-MM-dd` exactly, as a day number; nil when malformed or impossible.
    static func parse(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = Self.digits(bytes[0..<4]), let month = Self.digits(bytes[5..<7]),
            let day = Self.digits(bytes[8..<10])
        else {
            return nil
        }
        return Self.validNumber(year: year, month: month, day: day)
    }

    /// The value of ASCII digits; nil when a byte is not a digit or there are none.
    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// The local day number and the seconds since local midnight of an instant.
    static func local(_ date: Date, in zone: TimeZone) -> (day: Int, second: Double) {
        let seconds = date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))
        let day = (seconds / 86_400).rounded(.down)
        return (Int(day), seconds - day * 86_400)
    }

    /// The instant of a local wall-clock time (seconds may reach 86 400: the next midnight).
    static func instant(day: Int, second: Int, in zone: TimeZone) -> Date {
        let wall = Double(day) * 86_400 + Double(second)
        // The offset at the wall time read as UTC is right unless the offset changes near it: checked once more.
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall))
        let guess = Date(timeIntervalSince1970: wall - Double(offset))
        return Date(timeIntervalSince1970: wall - Double(zone.secondsFromGMT(for: guess)))
    }
}
