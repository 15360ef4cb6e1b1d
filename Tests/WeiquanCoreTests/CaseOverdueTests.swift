import Foundation
import Testing
import WeiquanCore

/// A case's facts, and overdue now and ever from them, against dates worked out by hand on the calendar of
/// ``CaseDeadlinesTests`` (three working days to accept; Monday 2026-11-23 10:00 filings are due Friday 11-27 00:00).
@Suite struct CaseOverdueTests {
    static let deadlines = CaseDeadlinesTests.deadlines()
    static let monday = CaseDeadlinesTests.monday
    static let fridayDue = CaseDeadlinesTests.shanghai(2026, 11, 27)

    static func at(_ day: Int, _ hour: Int = 9) -> Date {
        CaseDeadlinesTests.shanghai(2026, 11, day, hour)
    }

    /// An aid request filed Monday 10:00 with `changes` made at the given times.
    static func record(
        services: String? = "consultation", _ changes: [(Date, CaseChange)] = [], legal: [(Date, String?)] = []
    ) throws -> CaseRecord {
        var record = CaseDeadlinesTests.record(services: services)
        var steps: [(Date, CaseChange?, String??)] = changes.map { ($0.0, $0.1, nil) }
        steps += legal.map { ($0.0, nil, .some($0.1)) }
        for (date, change, day) in steps.sorted(by: { $0.0 < $1.0 }) {
            if let change { try record.apply(change, by: "desk-1", at: date) }
            if let day { try record.recordLegalDeadline(day, by: "desk-1", at: date, note: "开庭") }
        }
        return record
    }

    static func report(_ records: [CaseRecord], now: Date, to: String = "2027-01-01") throws -> ReportFigures {
        try CaseReport(
            cases: records, handoffs: [], period: try ReportPeriod(from: "2026-01-01", to: to), unit: nil,
            directory: CaseReportTests.directory, deadlines: Self.deadlines, now: now
        ).totals
    }

    // MARK: - Facts

    @Test func theFactsAreTheFirstOfEachActionAndTheStagesOfTheDeadline() throws {
        var record = try Self.record(
            services: "consultation,ecommerce",
            [(Self.at(24), .accept), (Self.at(25), .start), (Self.at(26), .conclude(CaseOutcome(.mediated)))],
            legal: [(Self.at(23, 15), "2026-12-01"), (Self.at(24, 12), nil)])
        record.rating = CaseRating(score: 4, at: Self.at(27))
        let facts = CaseFacts(record)
        #expect(facts.acceptedAt == Self.at(24) && facts.concludedAt == Self.at(26) && facts.outcome == .mediated)
        #expect(facts.notAcceptedAt == nil && facts.withdrawnAt == nil && facts.transferredAt == nil)
        #expect(
            facts.isEcommerce && facts.flags == .ecommerce && facts.ratingScore == 4 && facts.ratedAt == Self.at(27))
        #expect(facts.ipType == nil && facts.unit == "nanning" && facts.status == .concluded)
        // Filed; the legal deadline recorded (its day before the note); accepted; cleared; started; concluded.
        #expect(
            facts.stages == [
                CaseFacts.Stage(at: Self.monday, status: .submitted, legalDeadline: nil),
                CaseFacts.Stage(at: Self.at(23, 15), status: .submitted, legalDeadline: "2026-12-01"),
                CaseFacts.Stage(at: Self.at(24), status: .accepted, legalDeadline: "2026-12-01"),
                CaseFacts.Stage(at: Self.at(24, 12), status: .accepted, legalDeadline: nil),
                CaseFacts.Stage(at: Self.at(25), status: .inProgress, legalDeadline: nil),
                CaseFacts.Stage(at: Self.at(26), status: .concluded, legalDeadline: nil),
            ])
        // A record whose legal deadline was set without an event (an import) has it from the filing on.
        let imported = CaseDeadlinesTests.record(.aidRequest, .accepted, legal: "2026-11-25")
        #expect(
            CaseFacts(imported).stages == [
                CaseFacts.Stage(at: Self.monday, status: .accepted, legalDeadline: "2026-11-25")
            ])
    }

    // MARK: - Overdue

    @Test func anAcceptanceDecidedOneWorkingDayLateWasOverdue() throws {
        // Due Friday 00:00 (Thursday was the third working day); accepted Friday 09:00.
        let late = CaseFacts(try Self.record([(Self.at(27), .accept)]))
        #expect(Self.deadlines.wasOverdue(late, before: Self.at(30)))
        // Accepted, it is due for nothing now.
        #expect(!Self.deadlines.isOverdue(late, at: Self.at(30)))
        // Decided at the deadline's very instant is late already; a second before is in time.
        let atDeadline = CaseFacts(try Self.record([(Self.fridayDue, .accept)]))
        #expect(Self.deadlines.wasOverdue(atDeadline, before: Self.at(30)))
        let justInTime = CaseFacts(try Self.record([(Self.fridayDue - 1, .accept)]))
        #expect(!Self.deadlines.wasOverdue(justInTime, before: Self.at(30)))
    }

    @Test func anAcceptanceDecidedInTimeWasNot() throws {
        let inTime = CaseFacts(try Self.record([(Self.at(26, 16), .accept)]))
        #expect(!Self.deadlines.wasOverdue(inTime, before: Self.at(30)))
        #expect(!Self.deadlines.isOverdue(inTime, at: Self.at(30)))
        let refused = CaseFacts(try Self.record([(Self.at(24), .notAccept(reason: CasePolicy.defaultReasons[0]))]))
        #expect(!Self.deadlines.wasOverdue(refused, before: Self.at(30)))
    }

    @Test func anOpenCasePastItsDeadlineIsOverdueNowAndEver() throws {
        let open = CaseFacts(try Self.record())
        #expect(Self.deadlines.isOverdue(open, at: Self.at(30)) && Self.deadlines.wasOverdue(open, before: Self.at(30)))
        // Thursday it was not yet.
        #expect(
            !Self.deadlines.isOverdue(open, at: Self.at(26)) && !Self.deadlines.wasOverdue(open, before: Self.at(26)))
    }

    @Test func aWithdrawnCaseIsNotOverdue() throws {
        // Withdrawn Monday 11-30, after waiting past Friday's deadline: the withdrawal is no late decision.
        let withdrawn = CaseFacts(try Self.record([(Self.at(30), .withdraw)]))
        #expect(!Self.deadlines.isOverdue(withdrawn, at: Self.at(30, 12)))
        #expect(!Self.deadlines.wasOverdue(withdrawn, before: Self.at(30, 12)))
        // Accepted late and withdrawn afterwards: the late acceptance stands.
        let lateThenWithdrawn = CaseFacts(try Self.record([(Self.at(27), .accept), (Self.at(30), .withdraw)]))
        #expect(Self.deadlines.wasOverdue(lateThenWithdrawn, before: Self.at(30, 12)))
    }

    @Test func aConclusionAfterTheECommerceDeadlineWasOverdue() throws {
        // Due 24 h after filing (Tuesday 10:00); accepted in time, concluded Tuesday 11:00.
        let late = CaseFacts(
            try Self.record(
                services: "ecommerce",
                [(Self.at(23, 15), .accept), (Self.at(24, 11), .conclude(CaseOutcome(.mediated)))]
            ))
        #expect(Self.deadlines.wasOverdue(late, before: Self.at(30)))
        let inTime = CaseFacts(
            try Self.record(
                services: "ecommerce",
                [(Self.at(23, 15), .accept), (Self.at(24, 9), .conclude(CaseOutcome(.mediated)))]))
        #expect(!Self.deadlines.wasOverdue(inTime, before: Self.at(30)))
    }

    @Test func theLegalDeadlineInForceAtTheTimeIsTheOneThatCounts() throws {
        // A hearing on Wednesday 11-25 recorded Monday afternoon: accepted Wednesday 09:00 is late (due 11-25 00:00).
        let hearing = CaseFacts(try Self.record([(Self.at(25), .accept)], legal: [(Self.at(23, 15), "2026-11-25")]))
        #expect(Self.deadlines.wasOverdue(hearing, before: Self.at(30)))
        // Cleared on Tuesday before it came: Wednesday's acceptance is within the three working days.
        let cleared = CaseFacts(
            try Self.record(
                [(Self.at(25), .accept)], legal: [(Self.at(23, 15), "2026-11-25"), (Self.at(24), nil)]))
        #expect(!Self.deadlines.wasOverdue(cleared, before: Self.at(30)))
    }

    @Test func thePeriodsEndBoundsEverAndNowIsTheTimeOfTheReport() throws {
        let late = try Self.record([(Self.at(27), .accept)])
        let open = try Self.record()
        let inTime = try Self.record([(Self.at(26, 16), .accept)])
        let withdrawn = try Self.record([(Self.at(30), .withdraw)])
        let all = [late, open, inTime, withdrawn]
        let monday = try Self.report(all, now: Self.at(30, 12))
        #expect(monday.received == 4 && monday.overdueNow == 1 && monday.overdueEver == 2)
        // A report on the period ending Thursday 11-26, made on Monday: nothing was due yet by its end; the open
        // case is overdue now all the same.
        let untilThursday = try Self.report(all, now: Self.at(30, 12), to: "2026-11-26")
        #expect(untilThursday.overdueNow == 1 && untilThursday.overdueEver == 0)
        // Made on Wednesday, before any deadline passed.
        let wednesday = try Self.report([open], now: Self.at(25, 12))
        #expect(wednesday.overdueNow == 0 && wednesday.overdueEver == 0)
    }
}
