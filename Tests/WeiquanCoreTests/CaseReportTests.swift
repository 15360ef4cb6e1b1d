import Foundation
import Testing
import WeiquanCore

/// The report's figures against a fixture computed by hand: 16 cases and 8 handoffs of 2026 (with a few just
/// outside the period, the unit, or at no unit), every figure of every row and of the totals written out with its
/// arithmetic.
@Suite struct CaseReportTests {
    static let directory = OrgDirectory(
        regions: [],
        units: [
            OrgUnit(id: "centre", name: "中心", level: .centre),
            OrgUnit(id: "nanning", name: "南宁", level: .subCentre, parent: "centre"),
            OrgUnit(id: "nanning-hightech-ws", name: "南宁高新", level: .workstation, parent: "nanning"),
            OrgUnit(id: "liuzhou", name: "柳州", level: .subCentre, parent: "centre"),
        ])

    /// An instant written in Shanghai time, `2026-03-02 09:00`.
    static func at(_ text: String) -> Date {
        let iso = text.replacingOccurrences(of: " ", with: "T") + ":00+08:00"
        return ISO8601DateFormatter().date(from: iso)!
    }

    static let hour: TimeInterval = 3600

    final class Fixture {
        var cases: [CaseRecord] = []
        var handoffs: [HandoffRecord] = []

        /// Files case number `number`, then runs `changes` (hours after filing, change).
        func file(
            _ number: Int, _ unit: UnitID?, _ kind: CaseKind, ip: String, at text: String, by applicant: ApplicantID,
            services: String? = nil, rating: Int? = nil, _ changes: [(Double, CaseChange)] = []
        ) throws {
            let filed = CaseReportTests.at(text)
            var fields = ["ip_type": ip]
            fields["services"] = services
            var record = CaseRecord(
                id: CaseID(year: 2026, month: 1, day: 1, sequence: number)!, kind: kind, applicant: applicant,
                createdAt: filed, unit: unit, fields: fields, consent: nil)
            for (hours, change) in changes {
                try record.apply(change, by: "desk-1", at: filed + hours * CaseReportTests.hour)
            }
            if let rating { record.rating = CaseRating(score: rating, at: filed + 200 * CaseReportTests.hour) }
            self.cases.append(record)
        }

        /// A handoff requested at `text`, claimed `claimedAfter` seconds later (if at all), with a form open of `form`.
        func handoff(
            _ number: Int, _ applicant: ApplicantID, _ unit: UnitID, at text: String, claimedAfter: TimeInterval?,
            form: (FormKind, String)? = nil
        ) {
            var progress: FormProgress?
            if let (kind, ip) = form {
                progress = FormProgress(kind: kind, current: "facts")
                progress?.values["ip_type"] = ip
            }
            let requested = CaseReportTests.at(text)
            var record = HandoffRecord(
                id: HandoffID(String(format: "H%06d", number)), applicant: applicant, unit: unit, reason: .requested,
                status: .waiting, requestedAt: requested, form: progress)
            if let claimedAfter {
                record.status = .active
                record.claimedAt = requested + claimedAfter
            }
            self.handoffs.append(record)
        }
    }

    static let opinion = CaseOutcome(.opinionIssued, number: "桂知援意〔2026〕1号")
    static let transfer = CaseTransfer(authority: "南宁市市场监督管理局", date: "2026-03-04", letterNumber: "转1")
    static let duplicate = "重复申请"
    static let notIP = "不属于知识产权纠纷"

    static func fixture() throws -> Fixture {
        let f = Fixture()
        // C1 e-commerce, accepted +2h, concluded (opinion) +20h: within 24 h. Rated 5. A1 asked for a person first.
        try f.file(
            1, "nanning", .aidRequest, ip: "patent", at: "2026-03-02 09:00", by: "A1",
            services: "consultation,ecommerce",
            rating: 5, [(2, .accept), (20, .conclude(opinion))])
        // C2 e-commerce, accepted +4h, started, concluded (mediated) +30h: not within 24 h. Rated 3.
        try f.file(
            2, "nanning", .aidRequest, ip: "patent", at: "2026-03-05 10:00", by: "A2", services: "ecommerce", rating: 3,
            [(4, .accept), (5, .start), (30, .conclude(CaseOutcome(.mediated)))])
        // C3 not accepted +1h, duplicate.
        try f.file(
            3, "nanning", .aidRequest, ip: "patent", at: "2026-03-10 08:00", by: "A3", services: "mediation",
            [(1, .notAccept(reason: duplicate))])
        // C4 e-commerce (older separator 、), accepted +10h, still open: counts against the 24 h.
        try f.file(
            4, "nanning", .aidRequest, ip: "patent", at: "2026-03-20 09:00", by: "A4",
            services: "consultation、ecommerce",
            [(10, .accept)])
        // C5 trademark, accepted +6h, concluded (guidance) +48h. Rated 4. A5 asks for a person only afterwards.
        try f.file(
            5, "nanning", .aidRequest, ip: "trademark", at: "2026-03-15 12:00", by: "A5", services: "consultation",
            rating: 4, [(6, .accept), (48, .conclude(CaseOutcome(.guidanceGiven)))])
        // C6 at the workstation, filed 2026-04-01 07:00 Shanghai (still 31 March in UTC): April. Accepted +1h,
        // concluded (court) +100h. Ended, not rated.
        try f.file(
            6, "nanning-hightech-ws", .aidRequest, ip: "patent", at: "2026-04-01 07:00", by: "A6", services: "overseas",
            [(1, .accept), (100, .conclude(CaseOutcome(.referredToCourt)))])
        // C7 complaint: transferred +24h, receipt +72h, closed without outcome +96h. Rated 2. A7 asked for a person.
        try f.file(
            7, "nanning", .complaint, ip: "trademark", at: "2026-03-03 14:00", by: "A7", rating: 2,
            [(24, .transfer(transfer)), (72, .receiptReturned(date: "2026-03-06")), (96, .close(nil))])
        // C8 complaint transferred +5h, no receipt yet.
        try f.file(
            8, "nanning", .complaint, ip: "trademark", at: "2026-03-25 10:00", by: "A8", [(5, .transfer(transfer))])
        // C9 complaint handled directly: started +1h, closed (guidance) +8h.
        try f.file(
            9, "nanning", .complaint, ip: "trademark", at: "2026-03-28 10:00", by: "A9",
            [(1, .start), (8, .close(CaseOutcome(.guidanceGiven)))])
        // C10 A1's second case, no person since C1: withdrawn +3h.
        try f.file(
            10, "nanning", .aidRequest, ip: "patent", at: "2026-03-12 09:00", by: "A1", services: "consultation",
            [(3, .withdraw)])
        // C11 Liuzhou: outside the Nanning report.
        try f.file(11, "liuzhou", .aidRequest, ip: "patent", at: "2026-03-02 10:00", by: "A11", [(1, .accept)])
        // C12 filed 2025-12-31 23:30 Shanghai: before the period.
        try f.file(12, "nanning", .aidRequest, ip: "patent", at: "2025-12-31 23:30", by: "A12", [(1, .accept)])
        // C13 e-commerce filed 2026-12-31 23:00, accepted +0.5h (in 2026), concluded +11h (in 2027: not counted).
        try f.file(
            13, "nanning", .aidRequest, ip: "patent", at: "2026-12-31 23:00", by: "A13", services: "ecommerce",
            [(0.5, .accept), (11, .conclude(opinion))])
        // C14 not accepted +2h (not IP), yet rated 1.
        try f.file(
            14, "nanning", .aidRequest, ip: "patent", at: "2026-03-08 09:00", by: "A14", services: "consultation",
            rating: 1, [(2, .notAccept(reason: notIP))])
        // C15 at no unit: only in the report on all units.
        try f.file(15, nil, .complaint, ip: "copyright", at: "2026-05-05 10:00", by: "A15")
        // C16 filed at Liuzhou, referred to Nanning +2h, accepted there +5h: counted at Nanning.
        try f.file(
            16, "liuzhou", .aidRequest, ip: "patent", at: "2026-03-18 09:00", by: "A16", services: "consultation",
            [(2, .refer(to: "nanning")), (5, .accept)])

        // HO1 A1 with the aid form (patent) open, waited 600 s.
        f.handoff(1, "A1", "nanning", at: "2026-03-02 08:30", claimedAfter: 600, form: (.aidRequest, "patent"))
        // HO2 A7 with the complaint form (trademark) open, waited 1800 s.
        f.handoff(2, "A7", "nanning", at: "2026-03-03 13:00", claimedAfter: 1800, form: (.complaint, "trademark"))
        // HO3 never claimed, no form.
        f.handoff(3, "A20", "nanning", at: "2026-03-10 10:00", claimedAfter: nil)
        // HO4 at the workstation, waited 300 s.
        f.handoff(4, "A21", "nanning-hightech-ws", at: "2026-04-02 09:00", claimedAfter: 300)
        // HO5 Liuzhou: outside the Nanning report.
        f.handoff(5, "A11", "liuzhou", at: "2026-03-02 09:30", claimedAfter: 120)
        // HO6 A5 after filing C5, waited 1200 s.
        f.handoff(6, "A5", "nanning", at: "2026-03-16 09:00", claimedAfter: 1200)
        // HO7 December 2025: before the period.
        f.handoff(7, "A12", "nanning", at: "2025-12-31 20:00", claimedAfter: 60)
        // HO8 requested 2026-12-31 22:00, claimed in 2027 (11 h later): requested but not claimed in the period.
        f.handoff(8, "A22", "nanning", at: "2026-12-31 22:00", claimedAfter: 11 * hour)
        return f
    }

    static func year() throws -> ReportPeriod { try ReportPeriod(from: "2026-01-01", to: "2027-01-01") }

    static func nanning() throws -> CaseReport {
        let f = try fixture()
        return try CaseReport(
            cases: f.cases, handoffs: f.handoffs, period: try year(), unit: "nanning", directory: directory)
    }

    static func row(_ report: CaseReport, _ unit: UnitID?, _ month: String, _ kind: CaseKind?, _ ip: String?) throws
        -> ReportFigures
    {
        let key = CaseReport.Key(unit: unit, month: month, kind: kind, ipType: ip)
        return try #require(report.rows.first { $0.key == key }, "no row \(key)").figures
    }

    @Test func theRowsAreTheGroupsThatHaveAnythingInOrder() throws {
        let report = try Self.nanning()
        // C11, C12, C15, HO5, HO7 are out; C16 counts at Nanning, C6 and HO4 at the workstation (a child); C6 in
        // April by Shanghai time; forms-less handoffs in rows without kind and IP type, sorted first.
        let keys = report.rows.map { [$0.key.unit?.rawValue, $0.key.month, $0.key.kind?.rawValue, $0.key.ipType] }
        #expect(
            keys == [
                ["nanning", "2026-03", nil, nil],
                ["nanning", "2026-03", "aid_request", "patent"],
                ["nanning", "2026-03", "aid_request", "trademark"],
                ["nanning", "2026-03", "complaint", "trademark"],
                ["nanning", "2026-12", nil, nil],
                ["nanning", "2026-12", "aid_request", "patent"],
                ["nanning-hightech-ws", "2026-04", nil, nil],
                ["nanning-hightech-ws", "2026-04", "aid_request", "patent"],
            ])
    }

    @Test func aidRequestsForPatentsInMarch() throws {
        // C1, C2, C3, C4, C10, C14, C16 and HO1.
        let r = try Self.row(Self.nanning(), "nanning", "2026-03", .aidRequest, "patent")
        #expect(r.received == 7)
        // Accepted: C1 2 h = 7200, C2 4 h = 14400, C4 10 h = 36000, C16 5 h = 18000.
        #expect(r.accepted == 4)
        // Sorted 7200, 14400, 18000, 36000: median rank ⌈0.5×4⌉ = 2 → 14400; p90 rank ⌈0.9×4⌉ = 4 → 36000.
        #expect(r.timeToAccept == ReportSpread(count: 4, median: 14400, p90: 36000))
        #expect(r.notAccepted == 2 && r.notAcceptedByReason == [Self.duplicate: 1, Self.notIP: 1])
        // Concluded: C1 20 h = 72000 (opinion), C2 30 h = 108000 (mediated); median rank 1, p90 rank ⌈1.8⌉ = 2.
        #expect(r.concluded == 2 && r.concludedByOutcome == ["opinion_issued": 1, "mediated": 1])
        #expect(r.timeToConclude == ReportSpread(count: 2, median: 72000, p90: 108000))
        #expect(r.withdrawn == 1 && r.transferred == 0 && r.receiptsReturned == 0)
        // E-commerce: C1, C2, C4; within 24 h only C1 → 1/3 = 33.33 %.
        #expect(r.ecommerceReceived == 3 && r.ecommerceConcludedWithin24h == 1 && r.ecommerceWithin24hPercent == 33.33)
        // Ended: C1, C2 concluded, C3, C14 not accepted, C10 withdrawn = 5; rated C1 5, C2 3, C14 1 → 9/3 = 3;
        // 3/5 = 60 %.
        #expect(r.ended == 5 && r.rated == 3 && r.ratingMean == 3 && r.ratingResponseRatePercent == 60)
        #expect(r.ratedByScore == ["1": 1, "2": 0, "3": 1, "4": 0, "5": 1], "the satisfaction chart's distribution")
        #expect(
            r.handoffs == 1 && r.handoffsClaimed == 1 && r.handoffWait == ReportSpread(count: 1, median: 600, p90: 600))
        // All but C1 (HO1 before it); C10 is A1's second case with no handoff since C1.
        #expect(r.filedWithoutPerson == 6)
    }

    @Test func aidRequestsForTrademarksInMarch() throws {
        let r = try Self.row(Self.nanning(), "nanning", "2026-03", .aidRequest, "trademark")
        // C5: accepted 6 h = 21600, concluded (guidance) 48 h = 172800, rated 4 of 1 ended.
        #expect(r.received == 1 && r.accepted == 1 && r.notAccepted == 0 && r.concluded == 1)
        #expect(r.concludedByOutcome == ["guidance_given": 1])
        #expect(r.timeToAccept == ReportSpread(count: 1, median: 21600, p90: 21600))
        #expect(r.timeToConclude == ReportSpread(count: 1, median: 172800, p90: 172800))
        #expect(r.ecommerceReceived == 0 && r.ecommerceWithin24hPercent == nil)
        #expect(r.ended == 1 && r.rated == 1 && r.ratingMean == 4 && r.ratingResponseRatePercent == 100)
        // HO6 came after the filing, and had no form: it is not in this row.
        #expect(r.handoffs == 0 && r.filedWithoutPerson == 1)
    }

    @Test func complaintsInMarch() throws {
        // C7, C8, C9 and HO2.
        let r = try Self.row(Self.nanning(), "nanning", "2026-03", .complaint, "trademark")
        #expect(r.received == 3 && r.accepted == 0 && r.notAccepted == 0 && r.withdrawn == 0)
        // Transferred C7, C8; receipt C7.
        #expect(r.transferred == 2 && r.receiptsReturned == 1)
        // Closed: C7 96 h = 345600 (no outcome), C9 8 h = 28800 (guidance).
        #expect(r.concluded == 2 && r.concludedByOutcome == ["none": 1, "guidance_given": 1])
        #expect(r.timeToConclude == ReportSpread(count: 2, median: 28800, p90: 345600))
        #expect(r.timeToAccept == ReportSpread(count: 0, median: nil, p90: nil))
        // Ended C7, C9; rated C7 2 → mean 2, 1/2 = 50 %.
        #expect(r.ended == 2 && r.rated == 1 && r.ratingMean == 2 && r.ratingResponseRatePercent == 50)
        #expect(r.handoffs == 1 && r.handoffsClaimed == 1 && r.handoffWait.median == 1800)
        // C7 came after HO2.
        #expect(r.filedWithoutPerson == 2)
    }

    @Test func handoffsWithoutAFormAndAroundTheEnd() throws {
        let report = try Self.nanning()
        // HO3 (never claimed) and HO6 (1200 s).
        let march = try Self.row(report, "nanning", "2026-03", nil, nil)
        #expect(march.received == 0 && march.handoffs == 2 && march.handoffsClaimed == 1)
        #expect(march.handoffWait == ReportSpread(count: 1, median: 1200, p90: 1200))
        // HO8 claimed in 2027: requested in the period, not claimed in it.
        let december = try Self.row(report, "nanning", "2026-12", nil, nil)
        #expect(december.handoffs == 1 && december.handoffsClaimed == 0 && december.handoffWait.count == 0)
        // C13: accepted after 30 min, concluded only in 2027 → e-commerce 0 of 1 within 24 h; not ended.
        let c13 = try Self.row(report, "nanning", "2026-12", .aidRequest, "patent")
        #expect(c13.received == 1 && c13.accepted == 1 && c13.timeToAccept.median == 1800 && c13.concluded == 0)
        #expect(c13.ecommerceReceived == 1 && c13.ecommerceWithin24hPercent == 0)
        #expect(c13.ended == 0 && c13.ratingResponseRatePercent == nil && c13.ratingMean == nil)
        // The workstation: C6 (1 h, 100 h = 360000, ended, not rated) and HO4 (300 s).
        let c6 = try Self.row(report, "nanning-hightech-ws", "2026-04", .aidRequest, "patent")
        #expect(c6.received == 1 && c6.timeToAccept.median == 3600 && c6.timeToConclude.p90 == 360000)
        #expect(c6.concludedByOutcome == ["referred_to_court": 1])
        #expect(c6.ended == 1 && c6.rated == 0 && c6.ratingMean == nil && c6.ratingResponseRatePercent == 0)
        let ho4 = try Self.row(report, "nanning-hightech-ws", "2026-04", nil, nil)
        #expect(ho4.handoffs == 1 && ho4.handoffWait.median == 300)
    }

    @Test func totalsAreTakenOverEverythingNotAddedFromTheRows() throws {
        let t = try Self.nanning().totals
        // 7 + 1 + 3 + 1 (C13) + 1 (C6).
        #expect(t.received == 13)
        // Accept times 1800, 3600, 7200, 14400, 18000, 21600, 36000: median rank ⌈3.5⌉ = 4 → 14400; p90 ⌈6.3⌉ = 7.
        #expect(t.accepted == 7 && t.timeToAccept == ReportSpread(count: 7, median: 14400, p90: 36000))
        #expect(t.notAccepted == 2 && t.notAcceptedByReason == [Self.duplicate: 1, Self.notIP: 1])
        // Conclusion times 28800, 72000, 108000, 172800, 345600, 360000: median rank 3 → 108000; p90 ⌈5.4⌉ = 6.
        #expect(t.concluded == 6 && t.timeToConclude == ReportSpread(count: 6, median: 108000, p90: 360000))
        #expect(
            t.concludedByOutcome == [
                "opinion_issued": 1, "mediated": 1, "guidance_given": 2, "referred_to_court": 1, "none": 1,
            ])
        #expect(t.withdrawn == 1 && t.transferred == 2 && t.receiptsReturned == 1)
        // E-commerce C1, C2, C4, C13; within 24 h C1 → 25 %.
        #expect(t.ecommerceReceived == 4 && t.ecommerceConcludedWithin24h == 1 && t.ecommerceWithin24hPercent == 25)
        // Ended 5 + 1 + 2 + 1 = 9; rated 5, 3, 1, 4, 2 = 15 / 5 = 3; 5 / 9 = 55.555… → 55.56 %.
        #expect(t.ended == 9 && t.rated == 5 && t.ratingMean == 3 && t.ratingResponseRatePercent == 55.56)
        // HO1, HO2, HO3, HO4, HO6, HO8; claimed waits 300, 600, 1200, 1800: median rank 2 → 600, p90 rank 4.
        #expect(t.handoffs == 6 && t.handoffsClaimed == 4)
        #expect(t.handoffWait == ReportSpread(count: 4, median: 600, p90: 1800))
        // 13 cases less C1 and C7.
        #expect(t.filedWithoutPerson == 11)
        // As of the period's end, on the default deadlines (15 working days to accept, 5 to review a complaint, 24 h
        // to conclude an e-commerce dispute; no holidays): overdue ever only C2, concluded 30 h after filing. C4's
        // older separator (、) does not flag it e-commerce for deadlines; C13's 24 h run until 2027-01-01 23:00.
        #expect(t.overdueNow == 0 && t.overdueEver == 1)
        #expect(try Self.row(Self.nanning(), "nanning", "2026-03", .aidRequest, "patent").overdueEver == 1)
    }

    @Test func conversationsAreTheVisitsOfThePeriodInAReportOnAllUnitsOnly() throws {
        let f = try Self.fixture()
        let period = try Self.year()
        let sessions = [
            ConversationSession(id: "s1", startedAt: period.from + 60),
            ConversationSession(id: "s2", startedAt: period.from + 86_400, handedOff: true),
            ConversationSession(id: "s3", startedAt: period.to - 60),
            // Outside the period: the second before it starts, and its end (excluded).
            ConversationSession(id: "s4", startedAt: period.from - 1),
            ConversationSession(id: "s5", startedAt: period.to, handedOff: true),
        ]
        let all = try CaseReport(
            cases: f.cases, handoffs: f.handoffs, period: period, unit: nil, directory: Self.directory,
            sessions: sessions)
        #expect(all.totals.conversations == 3 && all.totals.conversationsWithoutPerson == 2)
        #expect(all.rows.allSatisfy { $0.figures.conversations == nil })
        #expect(all.csv().hasSuffix(",3,2\r\n"))
        let nanning = try CaseReport(
            cases: f.cases, handoffs: f.handoffs, period: period, unit: "nanning", directory: Self.directory,
            sessions: sessions)
        #expect(nanning.totals.conversations == nil && nanning.totals.conversationsWithoutPerson == nil)
    }

    @Test func withoutAUnitEveryUnitAndCasesAtNoneCount() throws {
        let f = try Self.fixture()
        let report = try CaseReport(
            cases: f.cases, handoffs: f.handoffs, period: try Self.year(), unit: nil, directory: Self.directory)
        // 13 + C11 + C15; handoffs 6 + HO5.
        #expect(report.totals.received == 15 && report.totals.handoffs == 7)
        #expect(try Self.row(report, nil, "2026-05", .complaint, "copyright").received == 1)
        // C15, a complaint filed 2026-05-05 and never reviewed (due 5 working days later), is overdue now and ever.
        let c15 = try Self.row(report, nil, "2026-05", .complaint, "copyright")
        #expect(c15.overdueNow == 1 && c15.overdueEver == 1)
        #expect(report.totals.overdueNow == 1 && report.totals.overdueEver == 2)
        // Liuzhou keeps C11 only: C16 is at Nanning now.
        #expect(try Self.row(report, "liuzhou", "2026-03", .aidRequest, "patent").received == 1)
        // A workstation's report has only its own.
        let station = try CaseReport(
            cases: f.cases, handoffs: f.handoffs, period: try Self.year(), unit: "nanning-hightech-ws",
            directory: Self.directory)
        #expect(station.totals.received == 1 && station.totals.handoffs == 1)
    }

    @Test func periodsAndUnitsAreChecked() throws {
        #expect(throws: ReportError.invalidDay(name: "from", text: "2026-13-01")) {
            try ReportPeriod(from: "2026-13-01", to: "2027-01-01")
        }
        #expect(throws: ReportError.invalidDay(name: "to", text: "2026-02-30")) {
            try ReportPeriod(from: "2026-01-01", to: "2026-02-30")
        }
        #expect(throws: ReportError.invalidDay(name: "from", text: "20260101")) {
            try ReportPeriod(from: "20260101", to: "2027-01-01")
        }
        #expect(throws: ReportError.emptyPeriod(from: "2026-02-01", to: "2026-01-01")) {
            try ReportPeriod(from: "2026-02-01", to: "2026-01-01")
        }
        #expect(throws: ReportError.periodTooLong(months: 121)) {
            try ReportPeriod(from: "2020-01-01", to: "2030-01-02")
        }
        #expect(throws: ReportError.unknownUnit("atlantis")) {
            try CaseReport(
                cases: [], handoffs: [], period: try Self.year(), unit: "atlantis", directory: Self.directory)
        }
        let march = try ReportPeriod(from: "2026-03-15", to: "2026-04-15")
        #expect(march.month(of: Self.at("2026-03-15 00:00")) == "2026-03")
        #expect(march.month(of: Self.at("2026-04-01 00:00")) == "2026-04")
        #expect(march.month(of: Self.at("2026-03-14 23:59")) == nil)
        #expect(march.month(of: Self.at("2026-04-15 00:00")) == nil)
        #expect(march.days == ("2026-03-15", "2026-04-15") as (String, String))
    }

    @Test func nearestRank() {
        #expect(NearestRank.percentile(50, of: []) == nil)
        #expect(NearestRank.percentile(50, of: [7]) == 7 && NearestRank.percentile(90, of: [7]) == 7)
        let ten = Array(1...10)
        // ⌈5⌉ = 5, ⌈9⌉ = 9; of 11, ⌈5.5⌉ = 6 and ⌈9.9⌉ = 10.
        #expect(NearestRank.percentile(50, of: ten) == 5 && NearestRank.percentile(90, of: ten) == 9)
        let eleven = Array(1...11)
        #expect(NearestRank.percentile(50, of: eleven) == 6 && NearestRank.percentile(90, of: eleven) == 10)
    }

    @Test func theCSVHasAHeaderARowPerGroupAndTheTotals() throws {
        let csv = try Self.nanning().csv()
        #expect(csv.hasPrefix("\u{FEFF}unit,month,kind,ip_type,received,accepted,not_accepted,"))
        #expect(csv.hasSuffix("\r\n"))
        let lines = csv.dropFirst().split(separator: "\r\n", omittingEmptySubsequences: false).dropLast()
        // Header, 8 rows, totals.
        #expect(lines.count == 10)
        #expect(lines[0].contains("not_accepted:不属于知识产权纠纷,not_accepted:重复申请,concluded,concluded:opinion_issued"))
        let columns = lines[0].split(separator: ",").count
        #expect(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == columns })
        // received … not accepted by reason, concluded, by outcome (opinion, mediated, guidance, court, arbitration,
        // enforcement, no response, other, none), withdrawn, transferred, receipts, e-commerce 4, 1, 25 %, accept
        // 7/14400/36000, conclude 6/108000/360000, ended 9, rated 5, mean 3, 55.56 %, handoffs 6, 4, 600, 1800,
        // without a person 11, overdue now 0, ever 1; visits (conversations) empty: a report on one unit.
        #expect(
            lines.last
                == "total,,,,13,7,2,1,1,6,1,1,2,1,0,0,0,0,1,1,2,1,4,1,25,7,14400,36000,6,108000,360000,9,5,3,55.56,6,4,600,1800,11,0,1,,"
        )
        #expect(lines[1].hasPrefix("nanning,2026-03,,,0,0,0,"))
        #expect(try Self.nanning().csv(byteOrderMark: false).hasPrefix("unit,"))
    }

    @Test func csvCellsAreEscaped() {
        #expect(CaseReport.escape("nanning") == "nanning")
        #expect(CaseReport.escape("a,b") == "\"a,b\"")
        #expect(CaseReport.escape("说\"不\"") == "\"说\"\"不\"\"\"")
        #expect(CaseReport.escape("两行\n文字") == "\"两行\n文字\"")
        #expect(CaseReport.escape("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CaseReport.escape("-1") == "'-1" && CaseReport.escape("@a") == "'@a")
        // A reason with a comma gets a quoted header.
        var record = CaseRecord(
            id: "WQ202603020001", kind: .aidRequest, applicant: "A", createdAt: Self.at("2026-03-02 09:00"),
            unit: "nanning", fields: [:], consent: nil)
        record.timeline.append(
            CaseEvent(
                at: Self.at("2026-03-02 10:00"), actor: "d", action: .notAccepted, from: .submitted, to: .notAccepted))
        record.notAcceptedReason = "材料不全,逾期"
        let report = try? CaseReport(
            cases: [record], handoffs: [], period: try! Self.year(), unit: nil, directory: Self.directory)
        #expect(report?.csv().contains(",\"not_accepted:材料不全,逾期\",") == true)
        #expect(report?.csv().contains("\r\nnanning,2026-03,aid_request,,1,0,1,1,") == true)
    }

    @Test func theJSONIsFlatRowsWithEveryKey() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(try Self.nanning())
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["from"] as? String == "2026-01-01" && object["to"] as? String == "2027-01-01")
        #expect(object["unit"] as? String == "nanning" && object["time_zone"] as? String == "Asia/Shanghai")
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 8)
        #expect(rows[0]["kind"] is NSNull && rows[0]["month"] as? String == "2026-03")
        #expect(rows[1]["received"] as? Int == 7 && rows[1]["ip_type"] as? String == "patent")
        #expect((rows[1]["time_to_accept"] as? [String: Any])?["median_seconds"] as? Int == 14400)
        #expect(rows[0]["ecommerce_within_24h_percent"] is NSNull)
        #expect(Set(rows[0].keys) == Set(rows[1].keys))
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["rating_response_rate_percent"] as? Double == 55.56)
        #expect(totals["overdue_now"] as? Int == 0 && totals["overdue_ever"] as? Int == 1)
        #expect((totals["not_accepted_by_reason"] as? [String: Int])?[Self.duplicate] == 1)
    }
}
