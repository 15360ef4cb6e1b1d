import Testing
import WeiquanCore

/// Trademark terms: expiry the day before the tenth anniversary, renewals chained from the day after the
/// previous expiry, the phases at their edges, 29 February and month-end registrations, opposition and
/// re-examination periods.
@Suite struct TrademarkTermTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(text)! }

    static let example = TrademarkTerm(registrationDate: day("2019-10-28"))

    @Test func theReferenceExampleIsInForceToTheDayBeforeTheAnniversary() {
        #expect(Self.example.expiry == Self.day("2029-10-27"))
        #expect(Self.example.renewalWindowOpens == Self.day("2028-10-28"))
        #expect(Self.example.graceEnd == Self.day("2030-04-27"))
    }

    @Test(arguments: [
        ("2019-10-28", TrademarkTermPhase.inForce), ("2028-10-27", .inForce),
        ("2028-10-28", .renewalWindowOpen), ("2029-10-27", .renewalWindowOpen),
        ("2029-10-28", .inGrace), ("2030-04-27", .inGrace),
        ("2030-04-28", .expired), ("2035-01-01", .expired),
    ])
    func phasesChangeOnTheirFirstDays(_ today: String, _ phase: TrademarkTermPhase) {
        #expect(Self.example.phase(on: Self.day(today)) == phase)
    }

    @Test func eachRenewalAddsTenYearsFromTheDayAfterThePreviousExpiry() {
        let once = Self.example.renewed()
        #expect(once.renewals == 1)
        #expect(once.expiry == Self.day("2039-10-27"))
        #expect(once.renewalWindowOpens == Self.day("2038-10-28"))
        #expect(once.phase(on: Self.day("2030-01-01")) == .inForce)
        #expect(once.phase(on: Self.day("2029-10-28")) == .inForce)
        #expect(TrademarkTerm(registrationDate: Self.day("2019-10-28"), renewals: 2).expiry == Self.day("2049-10-27"))
        #expect(TrademarkTerm(registrationDate: Self.day("2019-10-28"), renewals: -1) == Self.example)
        // Chained, not added: expiry 2014-02-28, renewed from 2014-03-01 to the day before 2024-03-01.
        let march = TrademarkTerm(registrationDate: Self.day("2004-03-01"))
        #expect(march.expiry == Self.day("2014-02-28"))
        #expect(march.renewed().expiry == Self.day("2024-02-29"))
        #expect(march.renewed().renewed().expiry == Self.day("2034-02-28"))
    }

    @Test func aRegistrationOnTwentyNinthFebruary() {
        // 2014 has no 29 February: the corresponding day is 28 February, the term ends the day before.
        let term = TrademarkTerm(registrationDate: Self.day("2004-02-29"))
        #expect(term.expiry == Self.day("2014-02-27"))
        #expect(term.renewalWindowOpens == Self.day("2013-02-28"))
        #expect(term.graceEnd == Self.day("2014-08-27"))
        // Renewed from 2014-02-28: ten years to 2024-02-28, ending the day before.
        #expect(term.renewed().expiry == Self.day("2024-02-27"))
        // Ten years after a leap year is never a leap year: 29 February always clamps.
        #expect(TrademarkTerm(registrationDate: Self.day("2012-02-29")).expiry == Self.day("2022-02-27"))
    }

    @Test func graceEndsOnTheMonthsLastDayWhenThereIsNoCorrespondingDay() {
        let term = TrademarkTerm(registrationDate: Self.day("2015-09-01"))
        #expect(term.expiry == Self.day("2025-08-31"))
        #expect(term.renewalWindowOpens == Self.day("2024-09-01"))
        #expect(term.graceEnd == Self.day("2026-02-28"))
        #expect(term.phase(on: Self.day("2026-02-28")) == .inGrace)
        #expect(term.phase(on: Self.day("2026-03-01")) == .expired)
        #expect(TrademarkTerm(registrationDate: Self.day("2013-09-01")).graceEnd == Self.day("2024-02-29"))
    }

    @Test(arguments: [
        ("2024-01-06", "2024-04-06"), ("2023-11-30", "2024-02-29"), ("2024-11-30", "2025-02-28"),
        ("2024-10-31", "2025-01-31"),
    ])
    func oppositionRunsThreeMonthsFromThePreliminaryAnnouncement(_ announced: String, _ end: String) {
        #expect(TrademarkTerm.oppositionEnd(announcedOn: Self.day(announced)) == Self.day(end))
    }

    @Test func reExaminationOfARejectionRunsFifteenDays() {
        #expect(TrademarkTerm.rejectionReviewEnd(receivedOn: Self.day("2024-12-20")) == Self.day("2025-01-04"))
        #expect(TrademarkTerm.rejectionReviewEnd(receivedOn: Self.day("2024-02-20")) == Self.day("2024-03-06"))
    }
}
