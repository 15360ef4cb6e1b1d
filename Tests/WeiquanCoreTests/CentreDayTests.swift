import Foundation
import Testing
import WeiquanCore
import WeiquanTestSupport

/// The day at the centre, worked out by arithmetic in the years China keeps UTC+8 without daylight saving,
/// must be the day Asia/Shanghai's calendar gives, at every hour, around midnight and at the range's ends.
@Suite struct CentreDayTests {
    let machine = TestBot.machine

    func calendarDay(_ date: Date) -> CalendarDay? {
        let parts = self.machine.calendar.dateComponents([.year, .month, .day], from: date)
        return parts.year.flatMap { year in CalendarDay(year: year, month: parts.month ?? 0, day: parts.day ?? 0) }
    }

    @Test func theArithmeticAgreesWithTheCalendar() {
        var generator = SeededGenerator(seed: 20_261_130)
        var instants: [TimeInterval] = []
        for _ in 0..<20_000 { instants.append(TimeInterval.random(in: 600_000_000...7_300_000_000, using: &generator)) }
        // Midnight in Shanghai (16:00 UTC) and a second either side, on a spread of days.
        for day in stride(from: 8_000, to: 84_000, by: 97) {
            let midnight = TimeInterval(day * 86_400 - 8 * 3600)
            instants += [midnight - 1, midnight, midnight + 1, midnight - 0.001]
        }
        // The ends of the arithmetic's range, and 1986-1991 when China kept summer time.
        instants += [694_224_000 - 1, 694_224_000, 7_258_118_400 - 1, 7_258_118_400, 516_297_600, 671_155_200]
        for instant in instants {
            let date = Date(timeIntervalSince1970: instant)
            #expect(self.machine.day(of: date) == self.calendarDay(date), "at \(instant)")
            #expect(self.machine.year(of: date) == self.machine.calendar.component(.year, from: date), "at \(instant)")
        }
    }

    @Test func theYearTurnsAtShanghaisMidnight() {
        // 2026-12-31 16:00 UTC is 2027-01-01 00:00 in Shanghai; a second before, still 2026.
        #expect(self.machine.year(of: Date(timeIntervalSince1970: 1_798_732_800)) == 2027)
        #expect(self.machine.year(of: Date(timeIntervalSince1970: 1_798_732_799)) == 2026)
    }

    @Test func caseNumbersAndDayTextUseTheCentresDay() {
        // 2026-11-30 16:30 UTC is already 1 December in Shanghai.
        let date = Date(timeIntervalSince1970: 1_796_056_200)
        #expect(self.machine.dayString(date) == "2026-12-01")
        #expect(self.machine.caseID(filedAt: date, sequence: 7).rawValue.contains("20261201"))
    }
}
