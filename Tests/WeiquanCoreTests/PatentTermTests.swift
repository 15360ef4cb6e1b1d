import Testing
import WeiquanCore

/// Patent terms: the worked example of legal-status.md §4, the kinds, the design cutover on both sides of
/// 2021-06-01, 29 February filings (Rule 5: the month's last day, then the day before) and compensation.
@Suite struct PatentTermTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(text)! }

    /// A valid number for a body (its check character computed).
    static func number(_ body: String) -> PatentApplicationNumber? {
        PatentApplicationNumber(body: body, checkCharacter: PatentApplicationNumber.checkCharacter(forBody: body))
    }

    static func term(_ kind: PatentApplicationNumber.Kind, _ filed: String, compensation: Int? = nil) -> PatentTerm {
        PatentTerm(kind: kind, filingDate: Self.day(filed), compensationDays: compensation)
    }

    @Test func theWorkedExampleEndsTheDayBeforeTheTwentiethAnniversary() {
        // 201310268509.X: invention filed 2013-06-29.
        let term = Self.term(.invention, "2013-06-29")
        #expect(term.years == 20)
        #expect(term.statutoryLastDay == Self.day("2033-06-28"))
        #expect(term.lastDay == Self.day("2033-06-28"))
        #expect(!term.hasExpired(on: Self.day("2033-06-28")))
        #expect(term.hasExpired(on: Self.day("2033-06-29")))
    }

    @Test(arguments: [
        (PatentApplicationNumber.Kind.invention, "2010-01-01", 20, "2029-12-31"),
        (.pctInvention, "2014-03-10", 20, "2034-03-09"),
        (.utilityModel, "2018-12-03", 10, "2028-12-02"),
        (.pctUtilityModel, "2019-07-01", 10, "2029-06-30"),
        (.design, "2015-03-01", 10, "2025-02-28"),
        (.design, "2023-03-01", 15, "2038-02-28"),
    ])
    func eachKindHasItsYears(_ kind: PatentApplicationNumber.Kind, _ filed: String, _ years: Int, _ last: String) {
        let term = Self.term(kind, filed)
        #expect(term.years == years)
        #expect(term.lastDay == Self.day(last))
    }

    @Test func designsFiledOnOrBeforeTheCutoverKeepTenYears() {
        #expect(PatentTerm.designCutover == Self.day("2021-06-01"))
        let before = Self.term(.design, "2021-05-31")
        #expect(before.years == 10)
        #expect(before.lastDay == Self.day("2031-05-30"))
        let after = Self.term(.design, "2021-06-01")
        #expect(after.years == 15)
        #expect(after.lastDay == Self.day("2036-05-31"))
        // The cutover concerns designs only.
        #expect(Self.term(.utilityModel, "2021-06-01").years == 10)
        #expect(Self.term(.invention, "2021-05-31").years == 20)
    }

    @Test func theCutoverAgreesWithTheNumbersOwnYears() {
        // PatentApplicationNumber knows the years from the filing year alone, except in 2021.
        #expect(Self.number("202030000001")?.protectionYears == 10)
        #expect(Self.term(.design, "2020-12-31").years == 10)
        #expect(Self.number("202230000001")?.protectionYears == 15)
        #expect(Self.term(.design, "2022-01-01").years == 15)
    }

    @Test(arguments: [
        // The anniversary exists: the day before it.
        (PatentApplicationNumber.Kind.invention, "2000-02-29", "2020-02-28"),
        (.invention, "2004-02-29", "2024-02-28"),
        // No 29 February in the last year: 28 February is the corresponding day, the term ends the day before.
        (.utilityModel, "2008-02-29", "2018-02-27"),
        (.utilityModel, "2012-02-29", "2022-02-27"),
        (.design, "2024-02-29", "2039-02-27"),
        (.design, "2016-02-29", "2026-02-27"),
        // Filed on 1 March, the term ends on the last day of February, whichever it is.
        (.utilityModel, "2010-03-01", "2020-02-29"),
        (.utilityModel, "2011-03-01", "2021-02-28"),
    ])
    func filingsOnTwentyNinthFebruary(_ kind: PatentApplicationNumber.Kind, _ filed: String, _ last: String) {
        #expect(Self.term(kind, filed).lastDay == Self.day(last))
    }

    @Test func registeredCompensationAddsDays() {
        let term = Self.term(.invention, "2013-06-29", compensation: 100)
        #expect(term.statutoryLastDay == Self.day("2033-06-28"))
        #expect(term.lastDay == Self.day("2033-10-06"))
        #expect(!term.hasExpired(on: Self.day("2033-10-06")))
        #expect(term.hasExpired(on: Self.day("2033-10-07")))
        #expect(Self.term(.invention, "2013-06-29", compensation: 0).lastDay == Self.day("2033-06-28"))
    }

    @Test func compensationMayApplyOnlyToLateGrantedInventionsWithoutARegisteredOne() {
        let term = Self.term(.invention, "2013-06-29")
        let request = Self.day("2014-06-01")
        #expect(term.compensationMayApply(grantedOn: Self.day("2017-06-30"), examinationRequestedOn: request))
        #expect(term.compensationMayApply(grantedOn: Self.day("2017-06-30"), examinationRequestedOn: nil))
        // Exactly 4 years after filing is not more than 4 years.
        #expect(!term.compensationMayApply(grantedOn: Self.day("2017-06-29"), examinationRequestedOn: request))
        // Not more than 3 years after the examination request.
        #expect(
            !term.compensationMayApply(
                grantedOn: Self.day("2017-06-30"), examinationRequestedOn: Self.day("2014-07-01")))
        #expect(
            !Self.term(.utilityModel, "2013-06-29").compensationMayApply(
                grantedOn: Self.day("2018-01-01"), examinationRequestedOn: nil))
        #expect(
            !Self.term(.invention, "2013-06-29", compensation: 30).compensationMayApply(
                grantedOn: Self.day("2018-01-01"), examinationRequestedOn: nil))
    }
}
