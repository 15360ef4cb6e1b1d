import Foundation
import WeiquanCore
import WeiquanStore

/// The staff desk's reads over a year's worth of cases: a list page filtered as `GET /api/v1/cases` does it
/// (`CaseService.list`: every case from the store, filtered, sorted newest first, a page of 50) and the year's
/// report (`GET /api/v1/reports`), on 100,000 generated cases (seeded: the same on every run) and 20,000 handoffs
/// in the in-memory store. Each figure is the median of several runs, in milliseconds.
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

    let directory: OrgDirectory
    var caseCount = 100_000
    var handoffCount = 20_000

    /// 2026-01-01 00:00 in Shanghai.
    static let yearStart = Date(timeIntervalSince1970: 1_767_196_800)

    static let facts = [
        "对方在电商平台销售与我司外观设计专利相同的产品，请求出具侵权判定参考意见。",
        "展会上发现有企业展出仿冒我方注册商标的商品，希望获得维权指导。",
        "我公司在海外被诉专利侵权，需要应对指导和专家意见。",
        "有人在网店上盗用我的摄影作品作为商品主图，要求删除并赔偿。",
    ]

    /// Cases spread over 2026 and the units of the directory, at every stage of their lifecycle.
    func cases() throws -> [CaseRecord] {
        var random = Generator(state: 2026)
        let units = self.directory.units.map(\.id)
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
        let units = self.directory.units.map(\.id)
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

    /// `CaseService.matches` and its sort and page, as the service runs them (copied: they are internal to it).
    static func page(_ cases: [CaseRecord], unit: UnitID, text: String, directory: OrgDirectory) -> [CaseRecord] {
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

    /// Whether `needle` occurs in `haystack` (UTF-8 bytes; a UTF-8 match is a character match).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var start = 0
        let last = haystack.count - needle.count
        while start <= last {
            if haystack[start] == first {
                var offset = 1
                while offset < needle.count, haystack[start + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            start += 1
        }
        return false
    }

    /// The median milliseconds of `runs` runs of `body`.
    static func median(runs: Int, _ body: () async throws -> Int) async rethrows -> (ms: Double, result: Int) {
        var times: [Double] = []
        var result = 0
        let clock = ContinuousClock()
        for _ in 0..<runs {
            let start = clock.now
            result = try await body()
            let elapsed = clock.now - start
            times.append(Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15)
        }
        return (times.sorted()[(runs - 1) / 2], result)
    }

    static func line(_ name: String, _ measured: (ms: Double, result: Int), _ what: String) {
        let text = name.padding(toLength: 58, withPad: " ", startingAt: 0)
        print(text + String(format: "%10.1f ms", measured.ms) + "  (\(measured.result) \(what))")
    }

    func run() async throws {
        let cases = try self.cases()
        let handoffs = self.handoffs()
        let store = MemoryDocumentStore()
        for start in stride(from: 0, to: cases.count, by: 5_000) {
            try await store.put(contentsOf: Array(cases[start..<min(start + 5_000, cases.count)]))
        }
        try await store.put(contentsOf: handoffs)
        let directory = self.directory
        print("")
        print("cases: \(cases.count) cases, \(handoffs.count) handoffs in the memory store; median ms, 1 core")
        let decode = try await Self.median(runs: 5) { try await store.all(CaseRecord.self).count }
        Self.line("store.all(CaseRecord) (decodes every case)", decode, "cases")
        let filterOnly = await Self.median(runs: 7) {
            Self.page(cases, unit: "nanning", text: "电商", directory: directory).count
        }
        Self.line("filter + sort + page of 50, cases already decoded", filterOnly, "on the page")
        let noText = await Self.median(runs: 7) {
            cases.filter { $0.status == .inProgress && $0.unit == "nanning" }
                .sorted { ($0.createdAt, $0.id.rawValue) > ($1.createdAt, $1.id.rawValue) }.prefix(50).count
        }
        Self.line("  the same without the text search", noText, "on the page")
        // The proposal: cases kept decoded (as the handoffs are), each with its search text put together once, and the
        // units a caller covers looked up once.
        let indexed = cases.map { record in
            (
                record,
                ([record.id.rawValue] + record.fields.values.sorted() + record.timeline.compactMap(\.detail))
                    .joined(separator: "\n").lowercased()
            )
        }
        let proposal = await Self.median(runs: 7) {
            let covered = Set(directory.units.map(\.id).filter { directory.unit($0, isWithin: "nanning") })
            let open: Set<CaseStatus> = [.submitted, .accepted, .inProgress]
            return indexed.filter { record, text in
                open.contains(record.status) && record.unit.map(covered.contains) == true && text.contains("电商")
            }
            .map(\.0).sorted { ($0.createdAt, $0.id.rawValue) > ($1.createdAt, $1.id.rawValue) }.prefix(50).count
        }
        Self.line("  proposal: decoded index, search text built once", proposal, "on the page")
        // Narrower still: one small row per case, newest first (kept sorted as cases come in), walked without copying
        // whole records; only the page's 50 records are fetched.
        struct Row {
            var index: Int
            var status: CaseStatus
            var unit: UnitID?
            var text: [UInt8]
        }
        let rows = indexed.enumerated()
            .sorted {
                ($0.element.0.createdAt, $0.element.0.id.rawValue) > ($1.element.0.createdAt, $1.element.0.id.rawValue)
            }
            .map {
                Row(
                    index: $0.offset, status: $0.element.0.status, unit: $0.element.0.unit,
                    text: Array($0.element.1.utf8))
            }
        let needle = Array("电商".utf8)
        let narrow = await Self.median(runs: 7) {
            let covered = Set(directory.units.map(\.id).filter { directory.unit($0, isWithin: "nanning") })
            let open: Set<CaseStatus> = [.submitted, .accepted, .inProgress]
            var total = 0
            var page: [CaseRecord] = []
            for row in rows where open.contains(row.status) {
                guard let unit = row.unit, covered.contains(unit), Self.contains(row.text, needle) else { continue }
                total += 1
                if page.count < 50 { page.append(cases[row.index]) }
            }
            return total >= page.count ? page.count : -1
        }
        Self.line("  proposal: narrow rows, newest first, bytes searched", narrow, "on the page")
        let listed = try await Self.median(runs: 5) {
            Self.page(try await store.all(CaseRecord.self), unit: "nanning", text: "电商", directory: directory).count
        }
        Self.line("list page as CaseService.list does it (all + filter + …)", listed, "on the page")
        let period = try ReportPeriod(from: "2026-01-01", to: "2027-01-01")
        let report = try await Self.median(runs: 7) {
            try CaseReport(cases: cases, handoffs: handoffs, period: period, unit: nil, directory: directory).rows.count
        }
        Self.line("year's report, all units (decoded cases)", report, "rows")
        let whole = try await Self.median(runs: 5) {
            let all = try await store.all(CaseRecord.self)
            let waits = try await store.all(HandoffRecord.self)
            return try CaseReport(cases: all, handoffs: waits, period: period, unit: nil, directory: directory).csv()
                .utf8.count
        }
        Self.line("year's report as the route does it (all + report + CSV)", whole, "bytes of CSV")
    }
}
