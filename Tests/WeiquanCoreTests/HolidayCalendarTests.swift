import Foundation
import Testing
import WeiquanCore
import WeiquanFiles

/// Rest days and the shift of a period's end (Patent Implementing Regulations Rule 5, Trademark Regulations
/// Art. 12): weekends always, configured holidays, make-up working days; the JSON shape and its errors; the demo
/// configuration's 2026 calendar; the shifted variants of the fee, restoration, trademark and appeal periods, and
/// the term's last day that never moves.
@Suite struct HolidayCalendarTests {
    static func day(_ text: String) -> CalendarDay {
        CalendarDay(text)!
    }

    /// The 2026 National Day holiday and its make-up working days, as the demo configuration lists them.
    static let nationalDay = HolidayCalendar(
        holidays: Set(
            ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"]
                .map(day)),
        workingDays: [day("2026-09-20"), day("2026-10-10")])

    static func decode(_ json: String) throws -> HolidayCalendar {
        try JSONDecoder().decode(HolidayCalendar.self, from: Data(json.utf8))
    }

    // MARK: - Working days

    @Test(arguments: [
        ("2026-11-27", true), ("2026-11-28", false), ("2026-11-29", false), ("2026-11-30", true),
        // Before 1970 (negative day numbers): 1969-12-27 was a Saturday, 1969-12-29 a Monday.
        ("1969-12-27", false), ("1969-12-28", false), ("1969-12-29", true), ("1970-01-01", true),
    ])
    func weekendsAreRestDaysWithoutAnyConfiguration(_ text: String, _ working: Bool) {
        #expect(HolidayCalendar.weekendsOnly.isWorkingDay(Self.day(text)) == working)
    }

    @Test func holidaysAreRestDaysAndMakeUpDaysAreWorkingDays() {
        #expect(!Self.nationalDay.isWorkingDay(Self.day("2026-10-01")))  // a Thursday
        #expect(Self.nationalDay.isWorkingDay(Self.day("2026-10-10")))  // a Saturday
        #expect(Self.nationalDay.isWorkingDay(Self.day("2026-09-20")))  // a Sunday
        #expect(!Self.nationalDay.isWorkingDay(Self.day("2026-10-11")))  // the Sunday after
        #expect(Self.nationalDay.isWorkingDay(Self.day("2026-10-08")))
    }

    @Test func aDayListedBothWaysIsARestDay() {
        let calendar = HolidayCalendar(holidays: [Self.day("2026-10-10")], workingDays: [Self.day("2026-10-10")])
        #expect(!calendar.isWorkingDay(Self.day("2026-10-10")))
    }

    // MARK: - Deadlines

    @Test func aPeriodEndingOnASaturdayEndsOnMonday() {
        #expect(HolidayCalendar.weekendsOnly.deadline(Self.day("2026-11-28")) == Self.day("2026-11-30"))
        #expect(HolidayCalendar.weekendsOnly.deadline(Self.day("2026-11-29")) == Self.day("2026-11-30"))
        #expect(HolidayCalendar.weekendsOnly.deadline(Self.day("2026-11-30")) == Self.day("2026-11-30"))
    }

    @Test func aPeriodEndingOnNationalDayEndsOnTheFirstWorkingDayAfterTheHoliday() {
        #expect(Self.nationalDay.deadline(Self.day("2026-10-01")) == Self.day("2026-10-08"))
        #expect(Self.nationalDay.deadline(Self.day("2026-10-07")) == Self.day("2026-10-08"))
        // Without the holidays configured, a Thursday does not move.
        #expect(HolidayCalendar.weekendsOnly.deadline(Self.day("2026-10-01")) == Self.day("2026-10-01"))
    }

    @Test func aPeriodEndingOnAMakeUpSaturdayStays() {
        #expect(Self.nationalDay.deadline(Self.day("2026-10-10")) == Self.day("2026-10-10"))
        #expect(HolidayCalendar.weekendsOnly.deadline(Self.day("2026-10-10")) == Self.day("2026-10-12"))
    }

    // MARK: - JSON

    @Test func decodesBothListsAndEncodesThemInDateOrder() throws {
        let calendar = try Self.decode(
            #"{"holidays": ["2026-10-02", "2026-10-01"], "working_days": ["2026-10-10"], "_comment": "x"}"#)
        #expect(calendar.holidays == [Self.day("2026-10-01"), Self.day("2026-10-02")])
        #expect(calendar.workingDays == [Self.day("2026-10-10")])
        let encoded = try JSONEncoder().encode(calendar)
        #expect(
            String(decoding: encoded, as: UTF8.self).contains(#""holidays":["2026-10-01","2026-10-02"]"#))
        #expect(try JSONDecoder().decode(HolidayCalendar.self, from: encoded) == calendar)
    }

    @Test func eitherListMayBeLeftOut() throws {
        #expect(try Self.decode("{}") == .weekendsOnly)
        #expect(try Self.decode(#"{"holidays": ["2026-10-01"]}"#).holidays == [Self.day("2026-10-01")])
    }

    @Test func aMalformedDateIsRefused() {
        #expect(throws: DecodingError.self) { try Self.decode(#"{"holidays": ["2026-13-01"]}"#) }
        #expect(throws: DecodingError.self) { try Self.decode(#"{"working_days": ["10/10/2026"]}"#) }
    }

    @Test func aDayInBothListsIsRefusedNamingIt() {
        do {
            _ = try Self.decode(#"{"holidays": ["2026-10-10"], "working_days": ["2026-10-10"]}"#)
            Issue.record("decoded a day listed both ways")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains("2026-10-10"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    // MARK: - Configuration

    @Test func theDemoConfigurationListsThe2026Holidays() throws {
        let document = try ConfigurationDocument.load(file: nil, environment: [:])
        let calendar = try document.decode(CentreConfiguration.self).holidays
        #expect(calendar.holidays.count == 33)
        #expect(calendar.workingDays.count == 6)
        #expect(calendar.deadline(Self.day("2026-10-01")) == Self.day("2026-10-08"))
        #expect(calendar.deadline(Self.day("2026-02-14")) == Self.day("2026-02-14"))  // 调休上班, a Saturday
        #expect(calendar.deadline(Self.day("2026-02-15")) == Self.day("2026-02-24"))  // Spring Festival
    }

    @Test func aConfigurationWithoutTheSectionCountsWeekendsOnly() throws {
        let json = #"{"centre": {"centre_name": "c", "hotline": "12330"}, "directory": {"regions": [], "units": []}}"#
        let configuration = try JSONDecoder().decode(CentreConfiguration.self, from: Data(json.utf8))
        #expect(configuration.holidays == .weekendsOnly)
    }

    // MARK: - The periods that move, and the term that does not

    @Test func anAnnualFeesGraceEndMovesPastRestDays() {
        let saturday = AnnualFee(year: 4, dueDate: Self.day("2026-05-28"), amount: 1_200)
        #expect(saturday.graceEnd == Self.day("2026-11-28"))
        #expect(saturday.graceEnd(in: .weekendsOnly) == Self.day("2026-11-30"))
        #expect(!saturday.isInGrace(on: Self.day("2026-11-30")))
        #expect(saturday.isInGrace(on: Self.day("2026-11-30"), in: .weekendsOnly))
        #expect(!saturday.isInGrace(on: Self.day("2026-12-01"), in: .weekendsOnly))
        let nationalDay = AnnualFee(year: 4, dueDate: Self.day("2026-04-01"), amount: 1_200)
        #expect(nationalDay.graceEnd(in: Self.nationalDay) == Self.day("2026-10-08"))
    }

    @Test func theRestorationDeadlineMovesPastRestDays() {
        let fee = AnnualFee(year: 4, dueDate: Self.day("2026-01-05"), amount: 1_200)
        let restoration = AnnualFeeRestoration(fee: fee, noticeReceived: Self.day("2026-08-01"))
        #expect(restoration.deadline == Self.day("2026-10-01"))
        #expect(restoration.deadline(in: Self.nationalDay) == Self.day("2026-10-08"))
        #expect(!restoration.isOpen(on: Self.day("2026-10-08")))
        #expect(restoration.isOpen(on: Self.day("2026-10-08"), in: Self.nationalDay))
        #expect(!restoration.isOpen(on: Self.day("2026-10-09"), in: Self.nationalDay))
    }

    @Test func aTrademarksGraceEndMovesButItsLastDayDoesNot() {
        let grace = TrademarkTerm(registrationDate: Self.day("2016-05-29"))
        #expect(grace.graceEnd == Self.day("2026-11-28"))
        #expect(grace.graceEnd(in: .weekendsOnly) == Self.day("2026-11-30"))
        #expect(grace.phase(on: Self.day("2026-11-30")) == .expired)
        #expect(grace.phase(on: Self.day("2026-11-30"), in: .weekendsOnly) == .inGrace)
        #expect(grace.phase(on: Self.day("2026-12-01"), in: .weekendsOnly) == .expired)
        // Expiry on a Saturday: the term's last day stays; the next day is in grace.
        let saturday = TrademarkTerm(registrationDate: Self.day("2016-11-29"))
        #expect(saturday.expiry == Self.day("2026-11-28"))
        #expect(saturday.phase(on: Self.day("2026-11-29"), in: .weekendsOnly) == .inGrace)
        #expect(saturday.phase(on: Self.day("2026-11-28"), in: .weekendsOnly) == .renewalWindowOpen)
    }

    @Test func theOppositionAndReviewPeriodsMovePastRestDays() {
        #expect(TrademarkTerm.oppositionEnd(announcedOn: Self.day("2026-07-01")) == Self.day("2026-10-01"))
        #expect(
            TrademarkTerm.oppositionEnd(announcedOn: Self.day("2026-07-01"), in: Self.nationalDay)
                == Self.day("2026-10-08"))
        #expect(TrademarkTerm.rejectionReviewEnd(receivedOn: Self.day("2026-11-13")) == Self.day("2026-11-28"))
        #expect(
            TrademarkTerm.rejectionReviewEnd(receivedOn: Self.day("2026-11-13"), in: .weekendsOnly)
                == Self.day("2026-11-30"))
    }

    @Test func aPatentRejectionsAppealEndMovesOnlyWithACalendar() throws {
        let rejection = try PatentEvent(announced: "2026-07-01", code: nil, title: "驳回")
        let plain = PatentStatusDerivation().status(of: [rejection], today: Self.day("2026-10-05"))
        #expect(plain.appealEnds == Self.day("2026-10-01"))
        #expect(!plain.isAppealable)
        let shifted = PatentStatusDerivation(calendar: Self.nationalDay)
            .status(of: [rejection], today: Self.day("2026-10-05"))
        #expect(shifted.appealEnds == Self.day("2026-10-08"))
        #expect(shifted.isAppealable)
    }

    @Test func aPatentsLastDayOfTermDoesNotMove() {
        // The term is a date, not a period: PatentTerm has no calendar, and a Saturday stays a Saturday.
        let term = PatentTerm(kind: .invention, filingDate: Self.day("2006-11-29"))
        #expect(term.statutoryLastDay == Self.day("2026-11-28"))
    }
}
