import Foundation
import Testing
import WeiquanCore

/// Calendar days: reading and writing `yyyy-MM-dd`, day numbers, and month arithmetic with Rule 5's
/// month-end clamp (the corresponding day, or the month's last day).
@Suite struct CalendarDayTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(text)! }

    @Test func readsAndWritesTheRegistryForm() {
        let day = Self.day("2013-06-29")
        #expect(day.year == 2013 && day.month == 6 && day.day == 29)
        #expect(day.description == "2013-06-29")
        #expect(CalendarDay(year: 1998, month: 1, day: 5)?.description == "1998-01-05")
        #expect(CalendarDay(dayNumber: 0).description == "1970-01-01")
        #expect(CalendarDay(dayNumber: -1).description == "1969-12-31")
    }

    @Test(arguments: ["2023-02-29", "2024-02-30", "2024-13-01", "2024-00-10", "2013-6-29", "2013/06/29", ""])
    func refusesWhatIsNotADay(_ text: String) {
        #expect(CalendarDay(text) == nil)
    }

    @Test func leapYearsFollowTheGregorianRule() {
        #expect(CalendarDay("2000-02-29") != nil)
        #expect(CalendarDay("2024-02-29") != nil)
        #expect(CalendarDay("1900-02-29") == nil)
        #expect(CalendarDay("2100-02-29") == nil)
    }

    @Test func ordersAndCountsDays() {
        #expect(Self.day("2016-05-04") < Self.day("2016-06-29"))
        #expect(Self.day("2016-06-29").days(since: Self.day("2016-05-04")) == 56)
        #expect(Self.day("2024-02-28").adding(days: 1) == Self.day("2024-02-29"))
        #expect(Self.day("2023-02-28").adding(days: 1) == Self.day("2023-03-01"))
        #expect(Self.day("2025-01-01").adding(days: -1) == Self.day("2024-12-31"))
    }

    @Test(arguments: [
        ("2024-08-31", 6, "2025-02-28"), ("2023-08-31", 6, "2024-02-29"), ("2024-01-31", 1, "2024-02-29"),
        ("2024-03-31", -1, "2024-02-29"), ("2024-02-29", 12, "2025-02-28"), ("2024-02-29", 48, "2028-02-29"),
        ("2025-12-15", 1, "2026-01-15"), ("2026-01-15", -1, "2025-12-15"), ("2024-10-31", -12, "2023-10-31"),
        ("2023-05-31", 1, "2023-06-30"), ("2000-02-29", 1_200, "2100-02-28"),
    ])
    func addsMonthsToTheCorrespondingDayOrTheMonthsLastDay(_ start: String, _ months: Int, _ end: String) {
        #expect(Self.day(start).adding(months: months) == Self.day(end))
    }

    @Test func addsYearsAsTwelveMonths() {
        #expect(Self.day("2012-02-29").adding(years: 1) == Self.day("2013-02-28"))
        #expect(Self.day("2012-02-29").adding(years: 4) == Self.day("2016-02-29"))
        #expect(Self.day("2013-06-29").adding(years: -3) == Self.day("2010-06-29"))
    }

    @Test func codesAsTheRegistryForm() throws {
        let data = try JSONEncoder().encode([Self.day("2019-10-28")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2019-10-28"]"#)
        #expect(try JSONDecoder().decode([CalendarDay].self, from: data) == [Self.day("2019-10-28")])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CalendarDay].self, from: Data(#"["2019-02-29"]"#.utf8))
        }
    }
}
