import Foundation
import Logging
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanPostgres
import WeiquanStore
import WeiquanTestSupport

@testable import WeiquanServer

/// The case index behind the staff's list and the reports: the list gives what decoding every case and filtering
/// it gave (the old code is the oracle here), pages and totals hold, a case gone from the store is left out of its
/// page, and the index follows this instance's writes, another instance's and a resync. On the in-memory store
/// and on PostgreSQL (skipped without a test server).
@Suite struct CaseIndexTests {
    typealias Backend = ConversationClusterTests.Backend

    /// Monday 2026-11-23 10:00 in Shanghai.
    static let now = DeskHarness.mondayMorning
    static let nanning = StaffIdentity(name: "nanning-1", role: .staff, unit: "nanning")
    static let everyone = [DeskHarness.admin, DeskHarness.staff1, Self.nanning, DeskHarness.liuzhou]

    // MARK: - Stores

    /// Runs `body` with an empty store of `backend`.
    static func withStore(_ backend: Backend, _ body: (any DocumentStore) async throws -> Void) async throws {
        switch backend {
        case .twin:
            try await body(MemoryDocumentStore())
        case .postgres:
            try await TestPostgres.withRunningDatabase { database in
                let store = PostgresDocumentStore(database: database)
                try await store.migrate()
                try await body(store)
            }
        }
    }

    static func service(_ store: any DocumentStore, coordination: any Coordination = InProcessCoordination())
        async throws -> ConversationService
    {
        try await ConversationService(
            machine: TestServer.data.makeMachine(), store: store, coordination: coordination,
            clock: { Self.now })
    }

    static func cases(_ service: ConversationService) -> CaseService {
        CaseService(service: service, logger: Logger(label: "test"))
    }

    // MARK: - A seeded set of cases

    /// `count` cases filed over the 40 days before ``now`` (several at the same instant, so the id breaks ties) at
    /// every stage, across units (one unknown, some at none), with assignees, notes, legal deadlines and rights.
    static func seeded(count: Int = 300) throws -> [CaseRecord] {
        var random = SeededGenerator(seed: 2026)
        let units: [UnitID?] = ["nanning", "nanning-hightech-ws", "liuzhou", "centre", "guilin", nil, "atlantis"]
        let types: [String?] = ["patent", "trademark", "copyright", nil]
        let services: [String?] = ["consultation", "ecommerce", "exhibition", "mediation,ecommerce", nil]
        let facts = ["对方在电商平台销售侵权产品", "展会上发现仿冒ABC商标的商品", "Shop XYZ 盗用我的摄影作品", "我公司在海外被诉专利侵权"]
        let reason = CasePolicy.defaultReasons[0]
        var records: [CaseRecord] = []
        for number in 1...count {
            let filed = Self.now - Double(1 + random.next(below: 40 * 24)) * 3600
            let kind: CaseKind = random.next(below: 3) == 0 ? .complaint : .aidRequest
            var fields = [
                "facts": facts[random.next(below: facts.count)], "name": "某某科技有限公司\(number % 13)",
                "phone": "1380013\(String(format: "%04d", number))",
            ]
            fields["ip_type"] = types[random.next(below: types.count)]
            if kind == .aidRequest { fields["services"] = services[random.next(below: services.count)] }
            if random.next(below: 4) == 0 { fields["ip_number"] = "ZL20261\(number % 5)" }
            var record = CaseRecord(
                id: try #require(CaseID(year: 2026, month: 11, day: 1, sequence: number)), kind: kind,
                applicant: ApplicantID("applicant-\(number % 60)"), createdAt: filed,
                unit: units[random.next(below: units.count)], fields: fields, consent: nil)
            var at = filed
            func next() -> Date {
                at += 1800
                return at
            }
            if random.next(below: 3) == 0 {
                try record.assign(
                    to: ["desk-1", "desk-2"][random.next(below: 2)], experts: [], by: "desk-1", at: next())
            }
            if random.next(below: 4) == 0 { try record.addNote("补充材料 Case-\(number)", by: "desk-1", at: next()) }
            if random.next(below: 5) == 0 {
                let day = Self.day(Self.now + Double(random.next(below: 20) - 10) * 86_400)
                try record.recordLegalDeadline(day, by: "desk-1", at: next())
            }
            let stage = random.next(below: 6)
            switch kind {
            case .aidRequest:
                if stage == 4 { try record.apply(.notAccept(reason: reason), by: "desk-1", at: next()) }
                if stage == 5 { try record.apply(.withdraw, by: "applicant", at: next()) }
                if (1...3).contains(stage) { try record.apply(.accept, by: "desk-1", at: next()) }
                if stage == 2 { try record.apply(.start, by: "desk-1", at: next()) }
                if stage == 3 { try record.apply(.conclude(CaseOutcome(.mediated)), by: "desk-1", at: next()) }
            case .complaint:
                let transfer = CaseTransfer(authority: "南宁市市场监督管理局", date: "2026-11-02", letterNumber: "转\(number)")
                if stage == 1 || stage == 2 { try record.apply(.transfer(transfer), by: "desk-1", at: next()) }
                if stage == 2 { try record.apply(.receiptReturned(date: "2026-11-09"), by: "desk-1", at: next()) }
                if stage == 3 || stage == 4 { try record.apply(.start, by: "desk-1", at: next()) }
                if stage == 4 { try record.apply(.close(nil), by: "desk-1", at: next()) }
                if stage == 5 { try record.apply(.withdraw, by: "applicant", at: next()) }
            }
            if [.submitted, .accepted].contains(record.status), record.unit != nil, random.next(below: 6) == 0 {
                let to: UnitID = record.unit == "liuzhou" ? "nanning" : "liuzhou"
                try record.apply(.refer(to: to), by: "desk-1", at: next())
            }
            records.append(record)
        }
        return records
    }

    /// The day (`yyyy-MM-dd`) of `date` in Shanghai.
    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    static func store(_ records: [CaseRecord], in store: any DocumentStore) async throws {
        for start in stride(from: 0, to: records.count, by: 100) {
            try await store.put(contentsOf: Array(records[start..<min(start + 100, records.count)]))
        }
    }

    // MARK: - The oracle: the list as it was, over every case decoded

    /// `CaseService.list` before the index: every case, filtered, sorted newest first (or by deadline), paged.
    static func oracle(
        _ records: [CaseRecord], _ who: StaffIdentity, _ filter: CaseService.Filter, directory: OrgDirectory,
        deadlines: CaseDeadlines
    ) -> [CaseRecord] {
        func maySee(_ record: CaseRecord) -> Bool {
            guard who.role != .admin, let unit = who.unit else { return who.role == .admin || who.role == .staff }
            guard let owner = record.unit else { return false }
            return directory.unit(owner, isWithin: unit)
        }
        func matches(_ record: CaseRecord) -> Bool {
            if let statuses = filter.statuses, !statuses.contains(record.status) { return false }
            if let unit = filter.unit, !(record.unit.map { directory.unit($0, isWithin: unit) } ?? false) {
                return false
            }
            if let kind = filter.kind, record.kind != kind { return false }
            if let ipType = filter.ipType, record.fields["ip_type"] != ipType { return false }
            if let assignee = filter.assignee, record.assignee != assignee { return false }
            if let text = filter.text, !text.isEmpty {
                let haystack =
                    [record.id.rawValue] + record.fields.values.sorted() + record.timeline.compactMap(\.detail)
                if !haystack.contains(where: { $0.localizedStandardContains(text) }) { return false }
            }
            let deadline = deadlines.current(for: record)
            let overdue = deadline?.isOverdue(at: Self.now) ?? false
            if let wanted = filter.overdue, overdue != wanted { return false }
            if let window = filter.dueWithin, !(deadline?.isDueSoon(at: Self.now, within: window) ?? false) {
                return false
            }
            return true
        }
        var matching = records.filter { maySee($0) && matches($0) }
            .sorted { ($0.createdAt, $0.id.rawValue) > ($1.createdAt, $1.id.rawValue) }
        if filter.isAboutDeadlines {
            let due = Dictionary(uniqueKeysWithValues: matching.map { ($0.id, deadlines.current(for: $0)?.dueAt) })
            matching.sort {
                (due[$0.id].flatMap { $0 } ?? .distantFuture, $0.id.rawValue)
                    < (due[$1.id].flatMap { $0 } ?? .distantFuture, $1.id.rawValue)
            }
        }
        return matching
    }

    /// Every filter of the list, alone and combined.
    static let filters: [CaseService.Filter] = {
        var filters: [CaseService.Filter] = [
            .init(), .init(statuses: [.submitted]), .init(statuses: [.accepted, .inProgress]),
            .init(statuses: [.concluded, .closed, .withdrawn, .notAccepted]), .init(unit: "nanning"),
            .init(unit: "liuzhou"), .init(unit: "centre"), .init(unit: "nanning-hightech-ws"), .init(kind: .complaint),
            .init(kind: .aidRequest), .init(ipType: "patent"), .init(ipType: "copyright"), .init(ipType: ""),
            .init(assignee: "desk-1"), .init(assignee: "nobody"), .init(overdue: true), .init(overdue: false),
            .init(dueWithin: .seconds(48 * 3600)), .init(dueWithin: .seconds(7 * 86_400)), .init(text: ""),
            .init(statuses: [.submitted, .accepted], unit: "nanning", text: "电商"),
            .init(unit: "liuzhou", overdue: true), .init(kind: .aidRequest, dueWithin: .seconds(10 * 86_400)),
            .init(ipType: "trademark", assignee: "desk-2", text: "abc"),
        ]
        for text in [
            "电商", "abc", "ABC", "xyz", "shop xyz", "13800130", "补充材料", "case-1", "CASE-2", "WQ2026110101", "nanning",
            "mediated", "南宁市市场监督管理局", "不存在的词", "2026-11",
        ] {
            filters.append(.init(text: text))
        }
        return filters
    }()

    // MARK: - The list

    @Test(arguments: Backend.available)
    func theListGivesWhatDecodingEveryCaseGaveForEveryFilterAndPage(_ backend: Backend) async throws {
        try await Self.withStore(backend) { store in
            let records = try Self.seeded()
            try await Self.store(records, in: store)
            let service = try await Self.service(store)
            let cases = Self.cases(service)
            #expect(service.caseIndex.count == records.count)
            let pages = [(50, 0), (7, 3), (500, 0), (10, 290), (600, 0), (0, 0)]
            for who in Self.everyone {
                for filter in Self.filters {
                    let expected = Self.oracle(
                        records, who, filter, directory: cases.configuration.directory, deadlines: cases.deadlines)
                    for (limit, offset) in pages {
                        let listed = try await cases.list(who, filter: filter, limit: limit, offset: offset)
                        let page = Array(expected.dropFirst(offset).prefix(min(limit, 500)))
                        #expect(listed.total == expected.count, "\(who.name) \(filter) \(limit)/\(offset)")
                        #expect(listed.cases == page, "\(who.name) \(filter) \(limit)/\(offset)")
                    }
                }
            }
            // The seeded set has something for the filters that matter.
            let all = try await cases.list(DeskHarness.admin, filter: .init(), limit: 500)
            #expect(all.total == records.count && all.cases.count == records.count)
            #expect(try await cases.list(DeskHarness.admin, filter: .init(overdue: true)).total > 0)
            #expect(try await cases.list(DeskHarness.admin, filter: .init(text: "电商")).total > 0)
        }
    }

    @Test func aSearchIsWidthAndCaseInsensitiveAndNeverSpansTwoAnswers() async throws {
        let store = MemoryDocumentStore()
        let records = try Self.seeded()
        try await Self.store(records, in: store)
        let cases = Self.cases(try await Self.service(store))
        let who = DeskHarness.admin
        let plain = try await cases.list(who, filter: .init(text: "abc"), limit: 500)
        #expect(plain.total > 0)
        // Full-width letters and traditional characters are normalised as the matcher's text is.
        #expect(try await cases.list(who, filter: .init(text: "ＡＢＣ"), limit: 500).cases == plain.cases)
        let ecommerce = try await cases.list(who, filter: .init(text: "电商"), limit: 500)
        #expect(try await cases.list(who, filter: .init(text: "電商"), limit: 500).cases == ecommerce.cases)
        // The name's end and the phone's start are in different answers.
        #expect(try await cases.list(who, filter: .init(text: "公司01380013"), limit: 500).total == 0)
    }

    @Test(arguments: Backend.available)
    func pagesAddUpToTheWholeList(_ backend: Backend) async throws {
        try await Self.withStore(backend) { store in
            try await Self.store(try Self.seeded(), in: store)
            let cases = Self.cases(try await Self.service(store))
            for filter in [CaseService.Filter(), .init(statuses: [.submitted]), .init(overdue: true)] {
                let whole = try await cases.list(DeskHarness.staff1, filter: filter, limit: 500)
                var paged: [CaseID] = []
                var offset = 0
                while offset < whole.total {
                    let page = try await cases.list(DeskHarness.staff1, filter: filter, limit: 13, offset: offset)
                    #expect(page.total == whole.total)
                    #expect(page.cases.count == min(13, whole.total - offset))
                    paged += page.cases.map(\.id)
                    offset += 13
                }
                #expect(paged == whole.cases.map(\.id))
                let beyond = try await cases.list(DeskHarness.staff1, filter: filter, limit: 13, offset: whole.total)
                #expect(beyond.cases.isEmpty && beyond.total == whole.total)
            }
            await #expect(throws: DeskError.self) {
                try await cases.list(DeskHarness.admin, filter: .init(unit: "atlantis"))
            }
            await #expect(throws: DeskError.self) { try await cases.list(DeskHarness.volunteer, filter: .init()) }
        }
    }

    @Test(arguments: Backend.available)
    func aCaseDeletedFromTheStoreUnderTheIndexIsLeftOutOfItsPage(_ backend: Backend) async throws {
        try await Self.withStore(backend) { store in
            try await Self.store(try Self.seeded(count: 60), in: store)
            let service = try await Self.service(store)
            let cases = Self.cases(service)
            let before = try await cases.list(DeskHarness.admin, filter: .init(), limit: 10)
            let gone = before.cases[3].id
            // Deleted behind the service's back: the index still has it.
            try await store.delete(CaseRecord.self, id: gone.rawValue)
            #expect(service.caseIndex.row(gone) != nil)
            let after = try await cases.list(DeskHarness.admin, filter: .init(), limit: 10)
            #expect(after.cases.map(\.id) == before.cases.map(\.id).filter { $0 != gone })
            #expect(after.total == before.total)
        }
    }

    // MARK: - Following the store

    @Test(arguments: Backend.available)
    func theIndexFollowsFilingsEditsWithdrawalsAndRatingsOfThisInstance(_ backend: Backend) async throws {
        try await Self.withStore(backend) { store in
            let harness = try await DeskHarness(store: store)
            let index = harness.service.caseIndex
            let cases = Self.cases(harness.service)
            for (number, text) in ConversationClusterTests.aidRequest.enumerated() {
                await harness.say(text, from: "user-i", id: 100 + number)
            }
            let id = try #require(index.facts().first?.id)
            #expect(index.row(id)?.status == .submitted && index.row(id)?.unit == "nanning")
            #expect(try await cases.list(DeskHarness.staff1, filter: .init(text: "网店上销售")).cases.map(\.id) == [id])
            _ = try await cases.change(DeskHarness.staff1, id, .accept, note: nil)
            #expect(index.row(id)?.status == .accepted && index.facts().first?.acceptedAt == Self.now)
            _ = try await cases.assign(DeskHarness.staff1, id, assignee: "desk-2", experts: [])
            #expect(index.row(id)?.assignee == "desk-2")
            _ = try await cases.note(DeskHarness.staff1, id, text: "申请人补充了ＸＹＺ公司的证据")
            #expect(try await cases.list(DeskHarness.staff1, filter: .init(text: "xyz公司")).total == 1)
            // Earlier than the e-commerce conclusion (filed for consultation and e-commerce: Tuesday 10:00).
            _ = try await cases.recordLegalDeadline(DeskHarness.staff1, id, day: "2026-11-24", note: nil)
            #expect(index.row(id)?.deadline?.kind == .legal && index.facts().first?.legalDeadline == "2026-11-24")
            _ = try await cases.change(DeskHarness.staff1, id, .conclude(CaseOutcome(.mediated)), note: nil)
            await harness.say("5", from: "user-i", id: 200)
            #expect(index.facts().first?.ratingScore == 5 && index.row(id)?.status == .concluded)
            // A second case (another applicant's, on the same patent), withdrawn by the applicant.
            for (number, text) in ConversationClusterTests.aidRequest.enumerated() {
                await harness.say(text, from: "user-j", id: 300 + number)
            }
            let second = try #require(index.facts().last?.id)
            #expect(second != id)
            #expect(
                try await cases.related(
                    to: try #require(try await store.get(CaseRecord.self, id: id.rawValue)),
                    for: DeskHarness.staff1) == [second])
            await harness.say("撤回 \(second)", from: "user-j", id: 400)
            await harness.say("1", from: "user-j", id: 401)
            #expect(index.row(second)?.status == .withdrawn)
            // The report from the index.
            let report = try await harness.service.report(
                period: try ReportPeriod(from: "2026-11-01", to: "2026-12-01"), unit: nil)
            #expect(report.totals.received == 2 && report.totals.accepted == 1 && report.totals.concluded == 1)
            #expect(report.totals.withdrawn == 1 && report.totals.rated == 1 && report.totals.ratingMean == 5)
            // Concluded the hour it was filed, before the legal deadline of 11-24: nothing overdue.
            #expect(report.totals.overdueEver == 0 && report.totals.overdueNow == 0)
        }
    }

    /// Two services on one store of `backend` (``ClusterTwin`` members, or two PostgreSQL instances): `body` gets
    /// both, the second's stream of word about the first's writes, and the second's own store.
    static func withTwoServices(
        on backend: Backend,
        _ body:
            @escaping @Sendable (
                ConversationService, ConversationService, AsyncStream<CoordinationEvent>, any DocumentStore
            ) async throws -> Void
    ) async throws {
        switch backend {
        case .twin:
            let cluster = ClusterTwin()
            let (a, b) = (cluster.member("a"), cluster.member("b"))
            let first = try await Self.service(a.store, coordination: a.coordination)
            let second = try await Self.service(b.store, coordination: b.coordination)
            try await body(first, second, b.coordination.changes(), b.store)
        case .postgres:
            try await TestPostgres.withDatabase { url in
                let a = TestPostgres.database(
                    url: url, instanceID: "a", connections: 4, lockConnections: 4)
                let b = TestPostgres.database(
                    url: url, instanceID: "b", connections: 4, lockConnections: 4)
                try await a.withRunning {
                    try await b.withRunning {
                        let storeA = PostgresDocumentStore(database: a)
                        try await storeA.migrate()
                        let storeB = PostgresDocumentStore(database: b)
                        let coordinationB = PostgresCoordination(database: b)
                        let events = coordinationB.changes()
                        let listening = Task { try await coordinationB.run() }
                        defer { listening.cancel() }
                        let first = try await Self.service(storeA, coordination: PostgresCoordination(database: a))
                        let second = try await Self.service(storeB, coordination: coordinationB)
                        try await body(first, second, events, storeB)
                    }
                }
            }
        }
    }

    /// Word of other instances' writes ended before what a test waited for came.
    struct StreamEnded: Error {
        var what: String
    }

    /// Hands `service` the events of `events` (as its ``ChangeFollower`` does) until `condition` holds.
    static func follow(
        _ events: AsyncStream<CoordinationEvent>, into service: ConversationService, _ what: String,
        until condition: @escaping @Sendable () -> Bool
    ) async throws {
        try await withSafetyLimit(what) {
            var iterator = events.makeAsyncIterator()
            while !condition() {
                guard let event = await iterator.next() else { throw StreamEnded(what: what) }
                await service.takeIn(event, logger: Logger(label: "test"))
            }
        }
    }

    @Test(arguments: Backend.available)
    func theIndexFollowsAnotherInstancesWritesAndAResync(_ backend: Backend) async throws {
        try await Self.withTwoServices(on: backend) { first, second, events, secondStore in
            let index = second.caseIndex
            for (number, text) in ConversationClusterTests.aidRequest.enumerated() {
                _ = await first.handle(.text(text), applicant: "user-o", key: "msg:\(number)")
            }
            let id = try #require(first.caseIndex.facts().first?.id)
            try await Self.follow(events, into: second, "the filing") { index.row(id) != nil }
            #expect(index.row(id)?.status == .submitted)
            _ = try await Self.cases(first).change(DeskHarness.staff1, id, .accept, note: nil)
            try await Self.follow(events, into: second, "the acceptance") { index.row(id)?.status == .accepted }
            let listed = try await Self.cases(second).list(DeskHarness.staff1, filter: .init(statuses: [.accepted]))
            #expect(listed.cases.map(\.id) == [id] && listed.cases.first?.status == .accepted)
            // A handoff asked for on the other instance reaches this one's report.
            _ = await first.handle(.text("人工"), applicant: "user-h", key: "msg:h")
            try await Self.follow(events, into: second, "the handoff") { second.handoffs.facts().count == 1 }
            let period = try ReportPeriod(from: "2026-11-01", to: "2026-12-01")
            let report = try await second.report(period: period, unit: nil)
            #expect(report.totals.received == 1 && report.totals.accepted == 1 && report.totals.handoffs == 1)
            // Deleted by the other instance: gone here too.
            try await first.store.delete(CaseRecord.self, id: id.rawValue)
            try await Self.follow(events, into: second, "the deletion") { index.row(id) == nil }
            let handoff = try #require(try await first.store.all(HandoffRecord.self).first)
            try await first.store.delete(HandoffRecord.self, id: handoff.id.rawValue)
            try await Self.follow(events, into: second, "the handoff's deletion") {
                second.handoffs.facts().isEmpty && second.handoffs.record(handoff.id) == nil
            }
            // Written where no word of it reaches the second service (its own store, behind its back): the index
            // lacks it until a resync.
            var quiet = try Self.seeded(count: 1)[0]
            quiet.id = "WQ202611300001"
            try await secondStore.put(quiet)
            #expect(index.row(quiet.id) == nil)
            await second.takeIn(.resync, logger: Logger(label: "test"))
            #expect(index.row(quiet.id) != nil && index.count == 1)
        }
    }
}
