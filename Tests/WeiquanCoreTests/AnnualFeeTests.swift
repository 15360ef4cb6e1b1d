import Testing
import WeiquanCore

/// Annual fees: the worked example of legal-status.md §4, every band edge of the three kinds, due dates on
/// 29 February, month-end grace periods, the surcharge by months late and its cap, and restoration.
@Suite struct AnnualFeeTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(text)! }

    /// 201310268509.X: invention filed 2013-06-29, granted 2016-05-04.
    static let example = AnnualFeeSchedule(kind: .invention, filingDate: day("2013-06-29"))
    static let grant = day("2016-05-04")

    /// The year-4 fee of the worked example: 1,200 yuan due 2016-06-29.
    static let yearFour = AnnualFee(year: 4, dueDate: day("2016-06-29"), amount: 1_200)

    // MARK: - The worked example

    @Test func theYearOfGrantIsPaidAtRegistrationAndYearFourIsNext() {
        #expect(Self.example.patentYear(on: Self.grant) == 3)
        #expect(Self.example.nextFee(on: Self.grant, grantedOn: Self.grant) == Self.yearFour)
        #expect(Self.yearFour.graceEnd == Self.day("2016-12-29"))
        // Before the grant's day, the grant's year is still skipped.
        #expect(Self.example.nextFee(on: Self.day("2014-01-01"), grantedOn: Self.grant) == Self.yearFour)
        // Without the grant, the next fee by date alone.
        #expect(Self.example.nextFee(on: Self.day("2014-01-01"))?.year == 2)
        #expect(Self.example.nextFee(on: Self.day("2014-01-01"))?.dueDate == Self.day("2014-06-29"))
    }

    @Test func aFeeDueTodayIsStillTheNextOne() {
        #expect(Self.example.nextFee(on: Self.day("2016-06-29"), grantedOn: Self.grant)?.year == 4)
        let after = Self.example.nextFee(on: Self.day("2016-06-30"), grantedOn: Self.grant)
        #expect(after == AnnualFee(year: 5, dueDate: Self.day("2017-06-29"), amount: 1_200))
    }

    @Test func theFeeInGraceIsTheOneDueBeforeTodayUntilItsGraceEnds() {
        #expect(Self.example.feeInGrace(on: Self.day("2016-06-29"), grantedOn: Self.grant) == nil)
        #expect(Self.example.feeInGrace(on: Self.day("2016-06-30"), grantedOn: Self.grant) == Self.yearFour)
        #expect(Self.example.feeInGrace(on: Self.day("2016-12-29"), grantedOn: Self.grant) == Self.yearFour)
        #expect(Self.example.feeInGrace(on: Self.day("2016-12-30"), grantedOn: Self.grant) == nil)
    }

    @Test func aFeePaidWithTheRegistrationIsNeverInGrace() {
        // Granted 2015-08-01, in patent year 3 (from 2015-06-29): year 3 was paid at registration.
        let grant = Self.day("2015-08-01")
        #expect(Self.example.feeInGrace(on: Self.day("2015-09-01"), grantedOn: grant) == nil)
        #expect(Self.example.feeInGrace(on: Self.day("2015-09-01"))?.year == 3)
    }

    @Test func noFeeRemainsAfterTheLastYear() {
        let last = Self.example.fee(year: 20)
        #expect(last == AnnualFee(year: 20, dueDate: Self.day("2032-06-29"), amount: 8_000))
        #expect(Self.example.nextFee(on: Self.day("2032-06-29"))?.year == 20)
        #expect(Self.example.nextFee(on: Self.day("2032-06-30")) == nil)
        #expect(Self.example.fee(year: 21) == nil)
        #expect(Self.example.fee(year: 0) == nil)
    }

    @Test func patentYearsStartOnTheAnniversary() {
        #expect(Self.example.patentYear(on: Self.day("2013-06-28")) == 0)
        #expect(Self.example.patentYear(on: Self.day("2013-06-29")) == 1)
        #expect(Self.example.patentYear(on: Self.day("2014-06-28")) == 1)
        #expect(Self.example.patentYear(on: Self.day("2014-06-29")) == 2)
        #expect(Self.example.patentYear(on: Self.day("2014-01-01")) == 1)
    }

    // MARK: - The schedule, band by band

    static let utilityModelAmounts = [600, 600, 600, 900, 900, 1_200, 1_200, 1_200, 2_000, 2_000]

    @Test func inventionBands() {
        let amounts = (1...20).map { Self.example.amount(year: $0) }
        let expected: [Int?] = [
            900, 900, 900, 1_200, 1_200, 1_200, 2_000, 2_000, 2_000, 4_000, 4_000, 4_000, 6_000, 6_000, 6_000, 8_000,
            8_000, 8_000, 8_000, 8_000,
        ]
        #expect(amounts == expected)
        #expect(Self.example.amount(year: 21) == nil)
        #expect(AnnualFeeSchedule(kind: .pctInvention, filingDate: Self.day("2013-06-29")).amount(year: 16) == 8_000)
    }

    @Test func utilityModelBands() {
        let schedule = AnnualFeeSchedule(kind: .utilityModel, filingDate: Self.day("2018-12-03"))
        #expect((1...10).map { schedule.amount(year: $0) } == Self.utilityModelAmounts)
        #expect(schedule.amount(year: 11) == nil)
        #expect(AnnualFeeSchedule(kind: .pctUtilityModel, filingDate: Self.day("2018-12-03")).amount(year: 4) == 900)
    }

    @Test func designBandsOnBothSidesOfTheCutover() {
        let after = AnnualFeeSchedule(kind: .design, filingDate: Self.day("2021-06-01"))
        let expected: [Int?] = Self.utilityModelAmounts + [3_000, 3_000, 3_000, 3_000, 3_000]
        #expect((1...15).map { after.amount(year: $0) } == expected)
        #expect(after.amount(year: 16) == nil)
        #expect(after.fee(year: 15)?.dueDate == Self.day("2035-06-01"))
        let before = AnnualFeeSchedule(kind: .design, filingDate: Self.day("2021-05-31"))
        #expect((1...10).map { before.amount(year: $0) } == Self.utilityModelAmounts)
        #expect(before.amount(year: 11) == nil)
        #expect(before.nextFee(on: Self.day("2030-06-01")) == nil)
    }

    // MARK: - Leap days and month ends

    @Test func feesOfATwentyNinthFebruaryFilingFallOnTheLastDayOfFebruary() {
        let schedule = AnnualFeeSchedule(kind: .invention, filingDate: Self.day("2012-02-29"))
        #expect(schedule.dueDate(year: 2) == Self.day("2013-02-28"))
        #expect(schedule.dueDate(year: 3) == Self.day("2014-02-28"))
        #expect(schedule.dueDate(year: 5) == Self.day("2016-02-29"))
        #expect(schedule.patentYear(on: Self.day("2013-02-27")) == 1)
        #expect(schedule.patentYear(on: Self.day("2013-02-28")) == 2)
        #expect(schedule.nextFee(on: Self.day("2015-03-01"))?.dueDate == Self.day("2016-02-29"))
        #expect(schedule.nextFee(on: Self.day("2016-03-01"))?.dueDate == Self.day("2017-02-28"))
        // Its grace ends six months on: 28 February → 28 August, 29 February → 29 August.
        #expect(schedule.fee(year: 2)?.graceEnd == Self.day("2013-08-28"))
        #expect(schedule.fee(year: 5)?.graceEnd == Self.day("2016-08-29"))
    }

    @Test(arguments: [
        ("2024-08-31", "2025-02-28"), ("2023-08-31", "2024-02-29"), ("2023-12-31", "2024-06-30"),
        ("2024-03-31", "2024-09-30"), ("2016-06-29", "2016-12-29"),
    ])
    func graceEndsOnTheCorrespondingDayOrTheMonthsLastDay(_ due: String, _ end: String) {
        let fee = AnnualFee(year: 9, dueDate: Self.day(due), amount: 2_000)
        #expect(fee.graceEnd == Self.day(end))
        #expect(fee.isInGrace(on: Self.day(end)))
        #expect(!fee.isInGrace(on: Self.day(end).adding(days: 1)))
        #expect(!fee.isInGrace(on: Self.day(due)))
    }

    @Test func aFilingOnTheThirtyFirstOfAugustHasGraceToTheEndOfFebruary() {
        let schedule = AnnualFeeSchedule(kind: .invention, filingDate: Self.day("2015-08-31"))
        #expect(schedule.fee(year: 9)?.graceEnd == Self.day("2024-02-29"))
        #expect(schedule.fee(year: 10)?.graceEnd == Self.day("2025-02-28"))
        #expect(schedule.feeInGrace(on: Self.day("2025-02-28"))?.year == 10)
        #expect(schedule.feeInGrace(on: Self.day("2025-03-01")) == nil)
    }

    // MARK: - Surcharge

    @Test(arguments: [
        ("2016-06-01", 0), ("2016-06-29", 0),  // on time
        ("2016-06-30", 0), ("2016-07-29", 0),  // within the first month, its last day included
        ("2016-07-30", 5), ("2016-08-29", 5),  // more than 1, up to 2 full months
        ("2016-08-30", 10), ("2016-09-29", 10), ("2016-09-30", 15), ("2016-10-30", 20),
        ("2016-11-29", 20), ("2016-11-30", 25),  // more than 5 months
        ("2016-12-29", 25),  // 6 months: the grace period's last day
        ("2016-12-30", 25), ("2017-06-29", 25), ("2019-01-01", 25),  // the cap
    ])
    func surchargeByMonthsLate(_ today: String, _ percent: Int) {
        #expect(Self.yearFour.surchargePercent(on: Self.day(today)) == percent)
        #expect(Self.yearFour.surcharge(on: Self.day(today)) == 1_200 * percent / 100)
        #expect(Self.yearFour.totalDue(on: Self.day(today)) == 1_200 + 12 * percent)
    }

    @Test func surchargeMonthsEndOnTheMonthsLastDay() {
        // Due 08-31: one month later is 09-30.
        let fee = AnnualFee(year: 9, dueDate: Self.day("2023-08-31"), amount: 2_000)
        #expect(fee.surcharge(on: Self.day("2023-09-30")) == 0)
        #expect(fee.surcharge(on: Self.day("2023-10-01")) == 100)
        #expect(fee.surcharge(on: Self.day("2024-02-29")) == 500)
    }

    @Test func surchargeIsFivePercentOfThatYearsFee() {
        let first = Self.example.fee(year: 1)
        #expect(first?.surcharge(on: Self.day("2013-07-30")) == 45)
        #expect(first?.surcharge(on: Self.day("2013-08-30")) == 90)
        let last = Self.example.fee(year: 20)
        #expect(last?.surcharge(on: Self.day("2032-07-30")) == 400)
        #expect(last?.surcharge(on: Self.day("2032-08-30")) == 800)
    }

    // MARK: - Restoration

    @Test func restorationRunsTwoMonthsFromTheNoticesReceipt() {
        let restoration = AnnualFeeRestoration(fee: Self.yearFour, noticeReceived: Self.day("2017-03-15"))
        #expect(restoration.deadline == Self.day("2017-05-15"))
        #expect(restoration.isOpen(on: Self.day("2017-05-15")))
        #expect(!restoration.isOpen(on: Self.day("2017-05-16")))
        #expect(
            AnnualFeeRestoration(fee: Self.yearFour, noticeReceived: Self.day("2017-12-31")).deadline
                == Self.day("2018-02-28"))
        #expect(
            AnnualFeeRestoration(fee: Self.yearFour, noticeReceived: Self.day("2019-12-31")).deadline
                == Self.day("2020-02-29"))
    }

    @Test func restorationCostsTheFeeTheFullSurchargeAndOneThousandYuan() {
        let restoration = AnnualFeeRestoration(fee: Self.yearFour, noticeReceived: Self.day("2017-03-15"))
        #expect(restoration.surcharge == 300)
        #expect(restoration.total == 2_500)
        let design = AnnualFeeRestoration(
            fee: AnnualFee(year: 11, dueDate: Self.day("2032-06-01"), amount: 3_000),
            noticeReceived: Self.day("2033-03-01"))
        #expect(design.total == 3_000 + 750 + 1_000)
    }

    @Test func aPostedNoticeIsPresumedReceivedFifteenDaysLater() {
        #expect(AnnualFeeRestoration.presumedReceipt(sentOn: Self.day("2017-02-28")) == Self.day("2017-03-15"))
        #expect(AnnualFeeRestoration.presumedReceipt(sentOn: Self.day("2016-12-20")) == Self.day("2017-01-04"))
    }
}
