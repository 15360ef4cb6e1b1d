import Foundation
import Testing
import WeiquanCore

/// Case deadlines: working days on the office-hours calendar (weekends, holidays, make-up days, the filing day
/// never counted), the e-commerce and exhibition conclusions, the applicant's legal deadline winning when
/// earlier, which one the status makes due, and the policy's keys.
@Suite struct CaseDeadlinesTests {
    static func shanghai(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
        OfficeHoursTests.shanghai(year, month, day, hour, minute)
    }

    /// 2026's National Day week: 10-01 … 10-07 off; Sunday 09-20 and Saturday 10-10 worked.
    static let calendar = OfficeHoursTests.nationalDay
    static let monday = shanghai(2026, 11, 23, 10, 0)

    static func deadlines(_ policy: CasePolicy = CasePolicy(acceptanceWorkingDays: 3)) -> CaseDeadlines {
        CaseDeadlines(policy: policy, calendar: Self.calendar)
    }

    static func record(
        _ kind: CaseKind = .aidRequest, _ status: CaseStatus = .submitted, at filed: Date = monday,
        services: String? = "consultation", legal: String? = nil
    ) -> CaseRecord {
        var fields: [String: String] = [:]
        fields["services"] = services
        var record = CaseRecord(
            id: "WQ202611230001", kind: kind, status: status, applicant: "user-a", createdAt: filed, unit: "nanning",
            fields: fields, consent: nil)
        record.legalDeadline = legal
        return record
    }

    // MARK: - Working days

    @Test func theFilingDayDoesNotCountAndTheDeadlineIsTheEndOfTheLastDay() {
        // Monday 10:00 + 3 working days: Tuesday, Wednesday, Thursday → Friday 00:00.
        let due = Self.deadlines().current(for: Self.record())
        #expect(due == CaseDeadline(kind: .acceptance, dueAt: Self.shanghai(2026, 11, 27)))
    }

    @Test func theDefaultIsFifteenWorkingDays() {
        #expect(CasePolicy().acceptanceWorkingDays == 15)
        // From Monday 11-23: 11-24 … 12-14 are fifteen working days (three weekends skipped).
        let due = CaseDeadlines(policy: CasePolicy(), calendar: Self.calendar).current(for: Self.record())
        #expect(due?.dueAt == Self.shanghai(2026, 12, 15))
    }

    @Test func aFilingOnFridayEveningCountsFromMonday() {
        let due = Self.deadlines().current(for: Self.record(at: Self.shanghai(2026, 11, 27, 20, 0)))
        // Monday 11-30, Tuesday 12-01, Wednesday 12-02.
        #expect(due?.dueAt == Self.shanghai(2026, 12, 3))
    }

    @Test func aFilingOnAHolidayCountsFromTheNextWorkingDayAndAMakeUpSaturdayCounts() {
        // Filed on National Day: 10-02 … 10-07 are off; Thursday 10-08, Friday 10-09, make-up Saturday 10-10.
        let due = Self.deadlines().current(for: Self.record(at: Self.shanghai(2026, 10, 1, 9, 0)))
        #expect(due?.dueAt == Self.shanghai(2026, 10, 11))
        // Without the make-up day, Monday 10-12 is the third.
        let plain = OfficeHours(holidays: Self.calendar.holidays)
        let without = CaseDeadlines(policy: CasePolicy(acceptanceWorkingDays: 3), calendar: plain)
        #expect(
            without.current(for: Self.record(at: Self.shanghai(2026, 10, 1, 9, 0)))?.dueAt
                == Self.shanghai(2026, 10, 13))
    }

    @Test func aMakeUpSundayIsAWorkingDay() {
        // Filed Friday 09-18: Saturday 09-19 is off, Sunday 09-20 is worked.
        let deadlines = Self.deadlines(CasePolicy(acceptanceWorkingDays: 1))
        #expect(
            deadlines.current(for: Self.record(at: Self.shanghai(2026, 9, 18, 16, 0)))?.dueAt
                == Self.shanghai(2026, 9, 21))
    }

    @Test func aDayListedAsBothHolidayAndWorkdayIsNotWorked() {
        let calendar = OfficeHours(holidays: ["2026-11-24"], workdays: ["2026-11-24"])
        let deadlines = CaseDeadlines(policy: CasePolicy(acceptanceWorkingDays: 1), calendar: calendar)
        #expect(deadlines.current(for: Self.record())?.dueAt == Self.shanghai(2026, 11, 26))
    }

    @Test func daysAreCountedInTheCalendarsTimeZone() {
        // Monday 00:30 in Shanghai is still Sunday in UTC: the filing day is Monday, so Tuesday is day one.
        let deadlines = Self.deadlines(CasePolicy(acceptanceWorkingDays: 1))
        #expect(
            deadlines.current(for: Self.record(at: Self.shanghai(2026, 11, 23, 0, 30)))?.dueAt
                == Self.shanghai(2026, 11, 25))
    }

    @Test func aCalendarWithoutWorkingDaysOrACountOutOfRangeGivesNoDeadline() {
        let closed = CaseDeadlines(policy: CasePolicy(acceptanceWorkingDays: 3), calendar: OfficeHours(weekdays: []))
        #expect(closed.current(for: Self.record()) == nil)
        #expect(Self.deadlines(CasePolicy(acceptanceWorkingDays: 0)).current(for: Self.record()) == nil)
        #expect(Self.deadlines().endOfWorkingDays(CaseDeadlines.maximumWorkingDays + 1, after: Self.monday) == nil)
        #expect(Self.deadlines().endOfWorkingDays(CaseDeadlines.maximumWorkingDays, after: Self.monday) != nil)
    }

    @Test func aComplaintIsReviewedWithinItsOwnCount() {
        let due = Self.deadlines().current(for: Self.record(.complaint, services: nil))
        // Five working days by default: Tuesday 11-24 … Monday 11-30.
        #expect(due == CaseDeadline(kind: .review, dueAt: Self.shanghai(2026, 12, 1)))
    }

    // MARK: - E-commerce and exhibitions

    @Test func anECommerceDisputeIsDueTwentyFourHoursAfterFilingAlsoWhileSubmitted() {
        let deadlines = Self.deadlines()
        let expected = CaseDeadline(kind: .conclusion, dueAt: Self.shanghai(2026, 11, 24, 10, 0))
        #expect(deadlines.current(for: Self.record(services: "consultation,ecommerce")) == expected)
        #expect(deadlines.current(for: Self.record(.aidRequest, .accepted, services: "ecommerce")) == expected)
        #expect(deadlines.current(for: Self.record(.aidRequest, .inProgress, services: "ecommerce")) == expected)
        // Clock hours, not working hours: a Friday-evening filing is due on Saturday evening.
        let friday = Self.record(.aidRequest, .accepted, at: Self.shanghai(2026, 11, 27, 20, 0), services: "ecommerce")
        #expect(deadlines.current(for: friday)?.dueAt == Self.shanghai(2026, 11, 28, 20, 0))
        let hours = Self.deadlines(CasePolicy(ecommerceHours: 48))
        #expect(hours.current(for: Self.record(services: "ecommerce"))?.dueAt == Self.shanghai(2026, 11, 25, 10, 0))
    }

    @Test func anExhibitionCaseIsDueAtTheEndOfTheFilingDay() {
        let late = Self.record(at: Self.shanghai(2026, 11, 23, 22, 30), services: "exhibition")
        let expected = CaseDeadline(kind: .conclusion, dueAt: Self.shanghai(2026, 11, 24))
        #expect(Self.deadlines().current(for: late) == expected)
        // Filed on a holiday at a fair: still the same day.
        let holiday = Self.record(
            .aidRequest, .inProgress, at: Self.shanghai(2026, 10, 3, 11, 0), services: "exhibition")
        #expect(Self.deadlines().current(for: holiday)?.dueAt == Self.shanghai(2026, 10, 4))
        // Turned off: the acceptance deadline applies, and nothing once accepted.
        let off = Self.deadlines(CasePolicy(acceptanceWorkingDays: 3, exhibitionSameDay: false))
        #expect(off.current(for: late)?.kind == .acceptance)
        #expect(off.current(for: Self.record(.aidRequest, .accepted, services: "exhibition")) == nil)
    }

    @Test func withBothFlagsTheEarlierConclusionApplies() {
        let morning = Self.record(at: Self.shanghai(2026, 11, 23, 9, 0), services: "ecommerce,exhibition")
        #expect(Self.deadlines().current(for: morning)?.dueAt == Self.shanghai(2026, 11, 24))
        let shortHours = Self.deadlines(CasePolicy(ecommerceHours: 2))
        #expect(shortHours.current(for: morning)?.dueAt == Self.shanghai(2026, 11, 23, 11, 0))
    }

    @Test func flagsComeFromTheServicesAnswer() {
        #expect(CaseFlags(services: "consultation,ecommerce") == .ecommerce)
        #expect(CaseFlags(services: "exhibition,ecommerce") == [.ecommerce, .exhibition])
        #expect(CaseFlags(services: "consultation,overseas").isEmpty)
        #expect(CaseFlags(services: nil).isEmpty)
        #expect(Self.record(services: "ecommerce").flags == .ecommerce)
        #expect(Self.record(services: "ecommerce").summary.flags == .ecommerce)
    }

    // MARK: - The applicant's legal deadline

    @Test func anEarlierLegalDeadlineWinsALaterOneDoesNot() {
        let deadlines = Self.deadlines()
        let hearing = Self.record(legal: "2026-11-25")
        #expect(deadlines.current(for: hearing) == CaseDeadline(kind: .legal, dueAt: Self.shanghai(2026, 11, 25)))
        #expect(deadlines.current(for: Self.record(legal: "2026-12-20"))?.kind == .acceptance)
        // Before the e-commerce conclusion too.
        let today = Self.record(services: "ecommerce", legal: "2026-11-24")
        #expect(deadlines.current(for: today) == CaseDeadline(kind: .legal, dueAt: Self.shanghai(2026, 11, 24)))
        // On a tie, the service's own deadline is named.
        let tie = Self.record(legal: "2026-11-27")
        #expect(deadlines.current(for: tie)?.kind == .acceptance)
        // The summary carries it as well.
        #expect(deadlines.current(for: hearing.summary) == deadlines.current(for: hearing))
    }

    @Test func aLegalDeadlineAppliesWhileTheCentreWorksTheCaseAndIsIgnoredWhenMalformed() {
        let deadlines = Self.deadlines()
        #expect(deadlines.current(for: Self.record(.aidRequest, .accepted)) == nil)
        let accepted = Self.record(.aidRequest, .accepted, legal: "2026-12-20")
        #expect(deadlines.current(for: accepted) == CaseDeadline(kind: .legal, dueAt: Self.shanghai(2026, 12, 20)))
        #expect(
            deadlines.current(for: Self.record(.complaint, .inProgress, services: nil, legal: "2026-12-20"))?.kind
                == .legal)
        #expect(deadlines.current(for: Self.record(legal: "2026-02-30"))?.kind == .acceptance)
        #expect(deadlines.current(for: Self.record(legal: "next week"))?.kind == .acceptance)
    }

    // MARK: - Which status is due for what

    @Test func finishedCasesAndComplaintsPassedOnAreDueForNothing() {
        let deadlines = Self.deadlines()
        for status in CaseStatus.allCases {
            for kind in CaseKind.allCases {
                let record = Self.record(kind, status, services: "ecommerce", legal: "2026-11-24")
                let due = deadlines.current(for: record)
                let working: Set<CaseStatus> = [.submitted, .accepted, .inProgress]
                #expect((due != nil) == working.contains(status), "\(kind) \(status)")
            }
        }
    }

    @Test func overdueAndDueSoonMeetAtTheDeadline() {
        let due = CaseDeadline(kind: .acceptance, dueAt: Self.monday)
        #expect(!due.isOverdue(at: Self.monday.addingTimeInterval(-1)))
        #expect(due.isOverdue(at: Self.monday))
        #expect(due.isDueSoon(at: Self.monday.addingTimeInterval(-3_600), within: .seconds(3_600)))
        #expect(!due.isDueSoon(at: Self.monday.addingTimeInterval(-3_601), within: .seconds(3_600)))
        #expect(!due.isDueSoon(at: Self.monday, within: .seconds(3_600)))
    }

    // MARK: - Stored and configured

    @Test func theLegalDeadlineIsRecordedCheckedAndStoredOnlyWhenSet() throws {
        var record = Self.record()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(!String(decoding: try encoder.encode(record), as: UTF8.self).contains("legal_deadline"))
        #expect(throws: CaseError.self) { try record.recordLegalDeadline("25.11.2026", by: "desk-1", at: Self.monday) }
        try record.recordLegalDeadline("2026-11-25", by: "desk-1", at: Self.monday, note: "开庭")
        #expect(
            record.timeline.last?.action == .legalDeadlineRecorded && record.timeline.last?.detail == "2026-11-25；开庭")
        let json = try encoder.encode(record)
        #expect(String(decoding: json, as: UTF8.self).contains(#""legal_deadline":"2026-11-25""#))
        #expect(try JSONDecoder().decode(CaseRecord.self, from: json) == record)
        try record.recordLegalDeadline(nil, by: "desk-1", at: Self.monday)
        #expect(record.legalDeadline == nil && record.timeline.last?.detail == "-")
    }

    @Test func thePolicyKeysDecodeWithDefaultsAndAreChecked() throws {
        let empty = try JSONDecoder().decode(CasePolicy.self, from: Data("{}".utf8))
        #expect(empty == CasePolicy())
        #expect(empty.acceptanceWorkingDays == 15 && empty.complaintReviewWorkingDays == 5)
        #expect(empty.ecommerceHours == 24 && empty.exhibitionSameDay)
        #expect(empty.problems().isEmpty)
        let json =
            #"{"acceptance_working_days":0,"complaint_review_working_days":400,"ecommerce_hours":0,"#
            + #""exhibition_same_day":false}"#
        let bad = try JSONDecoder().decode(CasePolicy.self, from: Data(json.utf8))
        #expect(!bad.exhibitionSameDay)
        #expect(
            bad.problems() == [
                "cases.acceptance_working_days must be from 1 to 250, got 0",
                "cases.complaint_review_working_days must be from 1 to 250, got 400",
                "cases.ecommerce_hours must be from 1 to 720, got 0",
            ])
        // Written back with every key, as `weiquan config` prints it.
        let written = String(decoding: try JSONEncoder().encode(CasePolicy()), as: UTF8.self)
        #expect(written.contains(#""acceptance_working_days":15"#) && written.contains(#""exhibition_same_day":true"#))
    }
}
