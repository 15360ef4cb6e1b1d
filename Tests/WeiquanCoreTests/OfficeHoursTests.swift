import Foundation
import Testing
@testable import WeiquanCore

@Suite struct OfficeHoursTests {
    /// A wall-clock time in Shanghai, built with Foundation's calendar (not the code under test).
    static func shanghai(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return calendar.date(
            from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        )!
    }

    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    /// 2026's National Day week: 10-01 … 10-07 off, Saturday 10-10 worked.
    static let nationalDay = OfficeHours(
        holidays: (1...7).map { "2026-10-0\($0)" }, workdays: ["2026-09-20", "2026-10-10"]
    )

    let hours = OfficeHours()

    // MARK: isOpen

    @Test func aWeekdayMorningIsOpen() {
        // 2026-11-23 is a Monday.
        #expect(self.hours.isOpen(at: Self.shanghai(2026, 11, 23, 10, 0)))
        #expect(self.hours.isOpen(at: Self.shanghai(2026, 11, 23, 9, 0)))
        #expect(!self.hours.isOpen(at: Self.shanghai(2026, 11, 23, 8, 59, 59)))
    }

    @Test func theLunchBreakIsClosed() {
        #expect(self.hours.isOpen(at: Self.shanghai(2026, 11, 23, 11, 59, 59)))
        #expect(!self.hours.isOpen(at: Self.shanghai(2026, 11, 23, 12, 0)))
        #expect(!self.hours.isOpen(at: Self.shanghai(2026, 11, 23, 13, 0)))
        #expect(self.hours.isOpen(at: Self.shanghai(2026, 11, 23, 14, 0)))
    }

    @Test func theEndOfASessionIsExclusive() {
        #expect(self.hours.isOpen(at: Self.shanghai(2026, 11, 23, 17, 29, 59)))
        #expect(!self.hours.isOpen(at: Self.shanghai(2026, 11, 23, 17, 30)))
    }

    @Test func theWeekendIsClosed() {
        #expect(!self.hours.isOpen(at: Self.shanghai(2026, 11, 21, 10, 0)))
        #expect(!self.hours.isOpen(at: Self.shanghai(2026, 11, 22, 10, 0)))
    }

    @Test func aHolidayOnAWeekdayIsClosed() {
        // 2026-10-01 is a Thursday.
        #expect(self.hours.isOpen(at: Self.shanghai(2026, 10, 1, 10, 0)))
        #expect(!Self.nationalDay.isOpen(at: Self.shanghai(2026, 10, 1, 10, 0)))
        #expect(!Self.nationalDay.isOpen(at: Self.shanghai(2026, 10, 7, 15, 0)))
        #expect(Self.nationalDay.isOpen(at: Self.shanghai(2026, 10, 8, 9, 0)))
    }

    @Test func aMakeUpSaturdayIsOpenWithTheNormalSessions() {
        // 2026-10-10 is a Saturday, 2026-09-20 a Sunday.
        #expect(!self.hours.isOpen(at: Self.shanghai(2026, 10, 10, 10, 0)))
        #expect(Self.nationalDay.isOpen(at: Self.shanghai(2026, 10, 10, 10, 0)))
        #expect(Self.nationalDay.isOpen(at: Self.shanghai(2026, 9, 20, 15, 0)))
        #expect(!Self.nationalDay.isOpen(at: Self.shanghai(2026, 10, 10, 12, 30)))
    }

    @Test func aDateBothHolidayAndWorkdayIsClosed() {
        let hours = OfficeHours(holidays: ["2026-10-10"], workdays: ["2026-10-10"])
        #expect(!hours.isOpen(at: Self.shanghai(2026, 10, 10, 10, 0)))
    }

    @Test func theTimeZoneIsApplied() {
        // Monday 01:30 UTC is 09:30 in Shanghai; Monday 09:30 UTC is 17:30 there.
        #expect(self.hours.isOpen(at: Self.utc(2026, 11, 23, 1, 30)))
        #expect(!self.hours.isOpen(at: Self.utc(2026, 11, 23, 9, 30)))
        // Sunday 20:00 UTC is Monday 04:00 in Shanghai: closed, and opens at 09:00 there.
        #expect(!self.hours.isOpen(at: Self.utc(2026, 11, 22, 20, 0)))
        #expect(self.hours.nextOpening(after: Self.utc(2026, 11, 22, 20, 0)) == Self.utc(2026, 11, 23, 1, 0))
        let london = OfficeHours(timeZone: "UTC")
        #expect(!london.isOpen(at: Self.utc(2026, 11, 23, 1, 30)))
        #expect(london.isOpen(at: Self.utc(2026, 11, 23, 9, 30)))
    }

    @Test func invalidValuesAreIgnored() {
        let hours = OfficeHours(
            timeZone: "Mars/Olympus", weekdays: [1, 9], sessions: ["9-12", "09:00-12:00"], holidays: ["2026-11-31"]
        )
        // Falls back to Shanghai; only the good session and weekday count.
        #expect(hours.isOpen(at: Self.shanghai(2026, 11, 23, 10, 0)))
        #expect(!hours.isOpen(at: Self.shanghai(2026, 11, 23, 15, 0)))
        #expect(!hours.isOpen(at: Self.shanghai(2026, 11, 24, 10, 0)))
    }

    @Test func settingAPropertyReparses() {
        var hours = OfficeHours()
        let evening = Self.shanghai(2026, 11, 23, 19, 0)
        #expect(!hours.isOpen(at: evening))
        hours.sessions.append("18:00-20:00")
        #expect(hours.isOpen(at: evening))
        hours.holidays = ["2026-11-23"]
        #expect(!hours.isOpen(at: evening))
        hours.weekdays = []
        hours.holidays = []
        #expect(!hours.isOpen(at: evening))
        hours.workdays = ["2026-11-23"]
        #expect(hours.isOpen(at: evening))
        hours.timeZone = "UTC"
        // 19:00 in Shanghai is 11:00 UTC, inside 09:00-12:00 there; 14:30 in Shanghai is 06:30 UTC.
        #expect(hours.isOpen(at: evening))
        #expect(!hours.isOpen(at: Self.shanghai(2026, 11, 23, 14, 30)))
        #expect(hours.isOpen(at: Self.shanghai(2026, 11, 24, 3, 0)))
    }

    // MARK: nextOpening

    @Test func fromFridayEveningTheNextOpeningIsMondayMorning() {
        #expect(self.hours.nextOpening(after: Self.shanghai(2026, 11, 20, 18, 0)) == Self.shanghai(2026, 11, 23, 9, 0))
        #expect(self.hours.nextOpening(after: Self.shanghai(2026, 11, 21, 10, 0)) == Self.shanghai(2026, 11, 23, 9, 0))
    }

    @Test func fromLunchTheNextOpeningIsTheAfternoon() {
        #expect(self.hours.nextOpening(after: Self.shanghai(2026, 11, 23, 12, 0)) == Self.shanghai(2026, 11, 23, 14, 0))
        #expect(self.hours.nextOpening(after: Self.shanghai(2026, 11, 23, 7, 0)) == Self.shanghai(2026, 11, 23, 9, 0))
        #expect(self.hours.nextOpening(after: Self.shanghai(2026, 11, 23, 17, 30)) == Self.shanghai(2026, 11, 24, 9, 0))
    }

    @Test func whenOpenTheNextOpeningIsNow() {
        let now = Self.shanghai(2026, 11, 23, 10, 15)
        #expect(self.hours.nextOpening(after: now) == now)
    }

    @Test func theNextOpeningSkipsAHolidayRun() {
        #expect(
            Self.nationalDay.nextOpening(after: Self.shanghai(2026, 9, 30, 18, 0)) == Self.shanghai(2026, 10, 8, 9, 0)
        )
        // The make-up Saturday opens after Friday evening.
        #expect(
            Self.nationalDay.nextOpening(after: Self.shanghai(2026, 10, 9, 18, 0)) == Self.shanghai(2026, 10, 10, 9, 0)
        )
        // The make-up Sunday before.
        #expect(
            Self.nationalDay.nextOpening(after: Self.shanghai(2026, 9, 19, 18, 0)) == Self.shanghai(2026, 9, 20, 9, 0)
        )
    }

    @Test func aDeskThatNeverOpensHasNoNextOpening() {
        let now = Self.shanghai(2026, 11, 23, 10, 0)
        #expect(OfficeHours(weekdays: []).nextOpening(after: now) == nil)
        #expect(OfficeHours(sessions: []).nextOpening(after: now) == nil)
        #expect(OfficeHours(sessions: ["bad"]).nextOpening(after: now) == nil)
        // A workday far ahead is beyond the search, one within it is found.
        #expect(OfficeHours(weekdays: [], workdays: ["2028-01-03"]).nextOpening(after: now) == nil)
        #expect(
            OfficeHours(weekdays: [], workdays: ["2027-11-01"]).nextOpening(after: now)
                == Self.shanghai(2027, 11, 1, 9, 0)
        )
    }

    // MARK: closingTime

    @Test func theClosingTimeIsTheEndOfTheCurrentSession() {
        #expect(self.hours.closingTime(after: Self.shanghai(2026, 11, 23, 10, 0)) == Self.shanghai(2026, 11, 23, 12, 0))
        #expect(
            self.hours.closingTime(after: Self.shanghai(2026, 11, 23, 14, 0)) == Self.shanghai(2026, 11, 23, 17, 30))
        #expect(self.hours.closingTime(after: Self.shanghai(2026, 11, 23, 12, 30)) == nil)
        #expect(self.hours.closingTime(after: Self.shanghai(2026, 11, 21, 10, 0)) == nil)
    }

    @Test func touchingSessionsCloseTogether() {
        let hours = OfficeHours(sessions: ["09:00-12:00", "12:00-13:00", "11:00-12:30"])
        #expect(hours.closingTime(after: Self.shanghai(2026, 11, 23, 10, 0)) == Self.shanghai(2026, 11, 23, 13, 0))
        // A session to midnight runs on into one from midnight on an open day, but not into a closed one.
        let night = OfficeHours(sessions: ["00:00-02:00", "22:00-24:00"])
        #expect(night.isOpen(at: Self.shanghai(2026, 11, 23, 23, 59, 59)))
        #expect(night.closingTime(after: Self.shanghai(2026, 11, 23, 23, 0)) == Self.shanghai(2026, 11, 24, 2, 0))
        #expect(night.closingTime(after: Self.shanghai(2026, 11, 27, 23, 0)) == Self.shanghai(2026, 11, 28, 0, 0))
    }

    // MARK: Problems

    @Test func theDefaultsHaveNoProblems() {
        #expect(self.hours.problems().isEmpty)
        #expect(Self.nationalDay.problems().isEmpty)
        #expect(OfficeHours(sessions: ["00:00-24:00"]).problems().isEmpty)
    }

    @Test func everyProblemIsNamed() {
        let hours = OfficeHours(
            timeZone: "Mars/Olympus", weekdays: [0, 1, 8],
            sessions: [
                "9:00-12:00", "12:00-11:00", "10:00-10:00", "25:00-26:00", "09:00-12:00", "11:30-13:00", "24:00-24:00",
            ],
            holidays: ["2026-02-30", "2026/10/01", "2026-10-01"], workdays: ["2026-13-01", "2026-10-01", "next monday"]
        )
        #expect(
            hours.problems() == [
                "desk.office_hours.time_zone: 'Mars/Olympus' is not a known time zone (such as Asia/Shanghai)",
                "desk.office_hours.weekdays: 0 is not a weekday (1 = Monday … 7 = Sunday)",
                "desk.office_hours.weekdays: 8 is not a weekday (1 = Monday … 7 = Sunday)",
                "desk.office_hours.sessions: '9:00-12:00' is not written HH:MM-HH:MM (such as 09:00-12:00)",
                "desk.office_hours.sessions: '12:00-11:00' does not end after it starts",
                "desk.office_hours.sessions: '10:00-10:00' does not end after it starts",
                "desk.office_hours.sessions: '25:00-26:00' is not written HH:MM-HH:MM (such as 09:00-12:00)",
                "desk.office_hours.sessions: '24:00-24:00' is not written HH:MM-HH:MM (such as 09:00-12:00)",
                "desk.office_hours.sessions: '09:00-12:00' overlaps '11:30-13:00'",
                "desk.office_hours.holidays: '2026-02-30' is not a date written yyyy-MM-dd (such as 2026-10-01)",
                "desk.office_hours.holidays: '2026/10/01' is not a date written yyyy-MM-dd (such as 2026-10-01)",
                "desk.office_hours.workdays: '2026-13-01' is not a date written yyyy-MM-dd (such as 2026-10-01)",
                "desk.office_hours.workdays: 'next monday' is not a date written yyyy-MM-dd (such as 2026-10-01)",
                "desk.office_hours.holidays: '2026-10-01' is also listed in workdays (it is treated as closed)",
            ]
        )
        for problem in hours.problems() { #expect(problem.hasPrefix("desk.office_hours.")) }
    }

    @Test func leapDaysAreDates() {
        #expect(OfficeHours(holidays: ["2028-02-29", "2000-02-29"]).problems().isEmpty)
        #expect(OfficeHours(holidays: ["2026-02-29"]).problems().count == 1)
        #expect(OfficeHours(holidays: ["2100-02-29"]).problems().count == 1)
    }

    // MARK: JSON

    @Test func emptyJSONTakesTheDefaults() throws {
        let decoded = try JSONDecoder().decode(OfficeHours.self, from: Data("{}".utf8))
        #expect(decoded == OfficeHours())
        #expect(decoded.timeZone == "Asia/Shanghai")
        #expect(decoded.weekdays == [1, 2, 3, 4, 5])
        #expect(decoded.sessions == ["09:00-12:00", "14:00-17:30"])
        #expect(decoded.holidays.isEmpty && decoded.workdays.isEmpty)
        #expect(decoded.isOpen(at: Self.shanghai(2026, 11, 23, 10, 0)))
    }

    @Test func theJSONRoundTripsAsWritten() throws {
        let json = #"""
            {"time_zone": "Asia/Shanghai", "weekdays": [1, 2, 3, 4, 5, 6], "sessions": ["08:30-11:45", "bad"],
             "holidays": ["2026-10-01"], "workdays": ["2026-10-11"]}
            """#
        let decoded = try JSONDecoder().decode(OfficeHours.self, from: Data(json.utf8))
        #expect(decoded.weekdays == [1, 2, 3, 4, 5, 6])
        #expect(decoded.sessions == ["08:30-11:45", "bad"])
        #expect(decoded.isOpen(at: Self.shanghai(2026, 11, 21, 8, 30)))
        #expect(!decoded.isOpen(at: Self.shanghai(2026, 10, 1, 9, 0)))
        #expect(decoded.isOpen(at: Self.shanghai(2026, 10, 11, 9, 0)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let encoded = try encoder.encode(decoded)
        #expect(
            String(decoding: encoded, as: UTF8.self)
                == #"{"holidays":["2026-10-01"],"sessions":["08:30-11:45","bad"],"time_zone":"Asia\/Shanghai","weekdays":[1,2,3,4,5,6],"workdays":["2026-10-11"]}"#
        )
        let again = try JSONDecoder().decode(OfficeHours.self, from: encoded)
        #expect(again == decoded)
        #expect(again.isOpen(at: Self.shanghai(2026, 10, 11, 9, 0)))
    }

    // MARK: The day arithmetic

    @Test func dayNumbersAgreeWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for number in stride(from: -130_000, through: 800_000, by: 997) {
            let date = Date(timeIntervalSince1970: Double(number) * 86_400 + 3_600)
            let components = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            let civil = CivilDay.date(number)
            #expect(civil.year == components.year && civil.month == components.month && civil.day == components.day)
            #expect(CivilDay.number(year: civil.year, month: civil.month, day: civil.day) == number)
            // Foundation: 1 = Sunday … 7 = Saturday.
            #expect(CivilDay.isoWeekday(number) == ((components.weekday ?? 0) + 5) % 7 + 1)
        }
    }
}
