import Foundation
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

#if canImport(Glibc)
import Glibc
#endif

/// The staff desk's reads over a year's worth of cases, on 100,000 generated cases (seeded: the same on every run)
/// and 20,000 handoffs in the in-memory store: list pages as `GET /api/v1/cases` makes them (`CaseService.list`:
/// the case index's rows filtered, counted and paged, the page's records fetched), the year's report as
/// `GET /api/v1/reports` makes it (the facts of the case and handoff indexes, CSV), what the index costs at
/// start and in memory, and — for the ratio — the same reads as they were before the index (every case decoded
/// from the store per request). Each figure is the median of several runs, in milliseconds.
struct CaseListBench {
    /// SplitMix64, as the tests' `SeededGenerator`.
    struct Generator {
        var state: UInt64

        mutating func next(below bound: Int) -> Int {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    let data: BotData
    var caseCount = 100_000
    var handoffCount = 20_000

    /// 2026-01-01 00:00 in Shanghai.
    static let yearStart = Date(timeIntervalSince1970: 1_767_196_800)
    /// The service's clock: 2026-12-15 10:00 in Shanghai, a Tuesday, late in the year the cases were filed.
    static let now = Date(timeIntervalSince1970: 1_781_490_600)

    static let facts = [
        "对方在电商平台销售与我司外观设计专利相同的产品，请求出具侵权判定参考意见。",
        "展会上发现有企业展出仿冒我方注册商标的商品，希望获得维权指导。",
        "我公司在海外被诉专利侵权，需要应对指导和专家意见。",
        "有人在网店上盗用我的摄影作品作为商品主图，要求删除并赔偿。",
    ]

    /// Cases spread over 2026 and the units of the directory, at every stage of their lifecycle.
    func cases() throws -> [CaseRecord] {
        var random = Generator(state: 2026)
        let units = self.data.configuration.directory.units.map(\.id)
        let types = IPType.allCases.map(\.rawValue)
        let services = ["consultation", "infringement_opinion", "mediation", "ecommerce", "exhibition", "overseas"]
        var records: [CaseRecord] = []
        records.reserveCapacity(self.caseCount)
        for number in 0..<self.caseCount {
            let filed = Self.yearStart + Double(random.next(below: 365 * 86_400))
            let kind: CaseKind = random.next(below: 4) == 0 ? .complaint : .aidRequest
            let fields = [
                "applicant_type": "enterprise", "name": "南宁某某科技有限公司\(number % 977)", "phone": "13800138000",
                "region": "南宁市", "ip_type": types[random.next(below: types.count)],
                "other_party": "某某贸易商行", "facts": Self.facts[random.next(below: Self.facts.count)],
                "services": services[random.next(below: services.count)],
            ]
            var record = CaseRecord(
                id: CaseID.make(year: 2026, month: 1, day: 1, sequence: number), kind: kind,
                applicant: ApplicantID("o6_applicant_\(number % 40_000)"), createdAt: filed,
                unit: units[random.next(below: units.count)], fields: fields, consent: nil)
            let hour = { (count: Int) in filed + Double(count * 3600 + random.next(below: 3600)) }
            switch (kind, random.next(below: 5)) {
            case (.aidRequest, 0): break
            case (.aidRequest, 1):
                try record.apply(.notAccept(reason: CasePolicy.defaultReasons[0]), by: "d", at: hour(2))
            case (.aidRequest, _):
                try record.apply(.accept, by: "d", at: hour(random.next(below: 48)))
                try record.apply(.start, by: "d", at: hour(50))
                if random.next(below: 3) > 0 {
                    try record.apply(
                        .conclude(CaseOutcome(.guidanceGiven)), by: "d", at: hour(60 + random.next(below: 600)))
                    record.rating = CaseRating(score: 1 + random.next(below: 5), at: hour(800))
                }
            case (.complaint, let stage):
                let transfer = CaseTransfer(authority: "南宁市市场监督管理局", date: "2026-03-04", letterNumber: "转1")
                if stage > 0 { try record.apply(.transfer(transfer), by: "d", at: hour(24)) }
                if stage > 1 { try record.apply(.receiptReturned(date: "2026-03-10"), by: "d", at: hour(100)) }
                if stage > 2 { try record.apply(.close(nil), by: "d", at: hour(200)) }
            }
            records.append(record)
        }
        return records
    }

    func handoffs() -> [HandoffRecord] {
        var random = Generator(state: 11)
        let units = self.data.configuration.directory.units.map(\.id)
        return (0..<self.handoffCount).map { number in
            let requested = Self.yearStart + Double(random.next(below: 365 * 86_400))
            var record = HandoffRecord(
                id: HandoffID("H\(100_000 + number)"), applicant: ApplicantID("o6_applicant_\(number * 2)"),
                unit: units[random.next(below: units.count)], reason: .requested, status: .ended,
                requestedAt: requested)
            if random.next(below: 4) > 0 { record.claimedAt = requested + Double(random.next(below: 1800)) }
            return record
        }
    }

    /// The list as `CaseService.list` made it before the index (copied): every case decoded, filtered on status,
    /// unit and text (`localizedStandardContains` on each answer), sorted newest first, a page of 50.
    static func oldPage(_ cases: [CaseRecord], unit: UnitID, text: String, directory: OrgDirectory) -> [CaseRecord] {
        let statuses: Set<CaseStatus> = [.submitted, .accepted, .inProgress]
        let matching = cases.filter { record in
            guard statuses.contains(record.status) else { return false }
            guard record.unit.map({ directory.unit($0, isWithin: unit) }) ?? false else { return false }
            let haystack = [record.id.rawValue] + record.fields.values.sorted() + record.timeline.compactMap(\.detail)
            return haystack.contains { $0.localizedStandardContains(text) }
        }
        .sorted { ($0.createdAt, $0.id.rawValue) > ($1.createdAt, $1.id.rawValue) }
        return Array(matching.prefix(50))
    }

    /// The median milliseconds of `runs` runs of `body`.
    static func median(runs: Int, _ body: () async throws -> Int) async rethrows -> (ms: Double, result: Int) {
        var times: [Double] = []
        var result = 0
        let clock = ContinuousClock()
        for _ in 0..<runs {
            let start = clock.now
            result = try await body()
            times.append(Self.milliseconds(clock.now - start))
        }
        return (times.sorted()[(runs - 1) / 2], result)
    }

    static func milliseconds(_ elapsed: Duration) -> Double {
        Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
    }

    static func line(_ name: String, _ measured: (ms: Double, result: Int), _ what: String) {
        let text = name.padding(toLength: 60, withPad: " ", startingAt: 0)
        print(text + String(format: "%10.1f ms", measured.ms) + "  (\(measured.result) \(what))")
    }

    /// The resident set of this process in bytes (Linux: `/proc/self/statm`); nil elsewhere.
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// What the index's arrays hold, counted: the rows and facts inline, their search texts and stages, and the
    /// map from id to position. Strings of more than 15 UTF-8 bytes (the applicants' ids here) live on the heap
    /// and are counted by their length.
    static func estimatedBytes(_ index: CaseIndex, ids: [CaseID]) -> Int {
        var bytes = 0
        let facts = index.facts()
        bytes += facts.count * MemoryLayout<CaseFacts>.stride
        for fact in facts {
            bytes += fact.stages.count * MemoryLayout<CaseFacts.Stage>.stride + 32
            if fact.applicant.rawValue.utf8.count > 15 { bytes += fact.applicant.rawValue.utf8.count + 32 }
        }
        for id in ids {
            guard let row = index.row(id) else { continue }
            bytes += MemoryLayout<CaseIndex.Row>.stride + row.text.count + 32
            if row.applicant.rawValue.utf8.count > 15 { bytes += row.applicant.rawValue.utf8.count + 32 }
        }
        // The position map: a key and a value per case, at a load of at most 3/4.
        bytes += ids.count * (MemoryLayout<CaseID>.stride + MemoryLayout<Int>.stride) * 4 / 3
        return bytes
    }

    func run() async throws {
        print("")
        let records = try self.cases()
        let handoffs = self.handoffs()
        // Memory first, while the heap holds little that was freed (glibc would reuse it, hiding the growth): the
        // resident set before and after one index is built from the generated cases, which stay alive throughout.
        let deadlines = CaseDeadlines(self.data.configuration)
        let before = Self.residentBytes()
        let index = CaseIndex(records: records, deadlines: deadlines)
        let after = Self.residentBytes()
        let estimate = Self.estimatedBytes(index, ids: records.map(\.id))
        if let before, let after {
            print(
                String(
                    format: "memory: the index of %d cases: %.1f MB resident (%.0f bytes a case); counted %.1f MB",
                    index.count, Double(after - before) / 1e6, Double(after - before) / Double(index.count),
                    Double(estimate) / 1e6))
        } else {
            print(String(format: "memory: the index of %d cases: counted %.1f MB", index.count, Double(estimate) / 1e6))
        }
        let store = MemoryDocumentStore()
        for start in stride(from: 0, to: records.count, by: 5_000) {
            try await store.put(contentsOf: Array(records[start..<min(start + 5_000, records.count)]))
        }
        try await store.put(contentsOf: handoffs)
        let directory = self.data.configuration.directory
        print("cases: \(records.count) cases, \(handoffs.count) handoffs in the memory store; median ms, 1 core")

        // Before the index: what every list page and report decoded.
        let decode = try await Self.median(runs: 3) { try await store.all(CaseRecord.self).count }
        Self.line("before: store.all(CaseRecord), decoding every case", decode, "cases")
        let oldList = try await Self.median(runs: 3) {
            Self.oldPage(try await store.all(CaseRecord.self), unit: "nanning", text: "电商", directory: directory).count
        }
        Self.line("before: list page (all + filter + sort + 50)", oldList, "on the page")
        let period = try ReportPeriod(from: "2026-01-01", to: "2027-01-01")
        let oldReport = try await Self.median(runs: 3) {
            let all = try await store.all(CaseRecord.self)
            let waits = try await store.all(HandoffRecord.self)
            return try CaseReport(
                cases: all, handoffs: waits, period: period, unit: nil, directory: directory, deadlines: deadlines,
                now: Self.now
            ).csv().utf8.count
        }
        Self.line("before: year's report (all + report + CSV)", oldReport, "bytes of CSV")

        // Start-up: the service loads every case once, and builds the index from them.
        let decoded = try await store.all(CaseRecord.self)
        let build = await Self.median(runs: 3) { CaseIndex(records: decoded, deadlines: deadlines).count }
        Self.line("start: the index built from the decoded cases", build, "rows")
        let machine = self.data.makeMachine()
        let startup = try await Self.median(runs: 3) {
            try await ConversationService(machine: machine, store: store, clock: { Self.now }).caseIndex.count
        }
        Self.line("start: ConversationService.init (decode + summaries + index)", startup, "rows")

        // The list and the report as the routes make them, on a service over the store.
        let service = try await ConversationService(machine: machine, store: store, clock: { Self.now })
        let cases = CaseService(service: service)
        let admin = StaffIdentity(name: "admin", role: .admin, unit: nil)
        let nanning = StaffIdentity(name: "nanning-1", role: .staff, unit: "nanning")
        let open: Set<CaseStatus> = [.submitted, .accepted, .inProgress]
        let lists: [(String, StaffIdentity, CaseService.Filter, Int)] = [
            ("list: open + nanning + text 电商, page 1", admin, .init(statuses: open, unit: "nanning", text: "电商"), 0),
            ("list: no filter, page 1 (newest 50)", admin, .init(), 0),
            ("list: no filter, offset 50,000", admin, .init(), 50_000),
            ("list: text 南宁某某 (most cases), page 1", admin, .init(text: "南宁某某"), 0),
            ("list: text 不存在 (no case: every row searched)", admin, .init(text: "不存在"), 0),
            ("list: nanning staff, overdue (sorted by deadline)", nanning, .init(overdue: true), 0),
            ("list: due within 48 h, complaints", admin, .init(kind: .complaint, dueWithin: .seconds(48 * 3600)), 0),
        ]
        for (name, who, filter, offset) in lists {
            var total = 0
            let measured = try await Self.median(runs: 7) {
                let page = try await cases.list(who, filter: filter, limit: 50, offset: offset)
                total = page.total
                return page.cases.count
            }
            Self.line(name, measured, "on the page of \(total)")
        }

        let facts = await Self.median(runs: 7) { service.caseIndex.facts().count }
        Self.line("report: the cases' facts from the index", facts, "cases")
        let waits = try await Self.median(runs: 7) { try await store.all(HandoffRecord.self).count }
        Self.line("  (before: store.all(HandoffRecord), the handoffs decoded)", waits, "handoffs")
        let snapshot = service.caseIndex.facts()
        let handoffFacts = try await store.all(HandoffRecord.self).map(HandoffFacts.init)
        let figures = try await Self.median(runs: 7) {
            try CaseReport(
                facts: snapshot, handoffs: handoffFacts, period: period, unit: nil, directory: directory,
                deadlines: deadlines, now: Self.now
            ).rows.count
        }
        Self.line("report: CaseReport over the facts (with overdue)", figures, "rows")
        let route = try await Self.median(runs: 7) {
            try await service.report(period: period, unit: nil).csv().utf8.count
        }
        Self.line("report as the route makes it (facts + report + CSV)", route, "bytes of CSV")
        let unit = try await Self.median(runs: 7) {
            try await service.report(period: period, unit: "nanning").csv().utf8.count
        }
        Self.line("report of one unit (nanning) as the route makes it", unit, "bytes of CSV")
        withExtendedLifetime((index, decoded)) {}
    }
}
