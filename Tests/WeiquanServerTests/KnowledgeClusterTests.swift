import Foundation
import Testing
import WeiquanCore
import WeiquanPostgres
import WeiquanStore
import WeiquanTestSupport

@testable import WeiquanServer

/// Two instances' knowledge bases on one store, each following the other's writes as ``KnowledgeFollower`` does in
/// the application: what staff change on one instance is what the bot finds on the other. Each test runs on
/// ``ClusterTwin`` and on PostgreSQL (two `PostgresDatabase`s on one fresh database, each with its
/// `PostgresCoordination` listening), skipped without a test server.
@Suite struct KnowledgeClusterTests {
    typealias Backend = ConversationClusterTests.Backend

    static let staff = DeskHarness.staff1

    /// Instances `a` and `b` on `backend`, following each other; `cluster` is the twin (nil on PostgreSQL).
    static func withTwoInstances(
        on backend: Backend,
        _ body: @escaping @Sendable (KnowledgeHarness, KnowledgeHarness, ClusterTwin?) async throws -> Void
    ) async throws {
        switch backend {
        case .twin:
            let cluster = ClusterTwin()
            let (a, b) = (cluster.member("a"), cluster.member("b"))
            try await Self.following(
                try await KnowledgeHarness(store: a.store, coordination: a.coordination, name: "a"),
                try await KnowledgeHarness(store: b.store, coordination: b.coordination, name: "b")
            ) { try await body($0, $1, cluster) }
        case .postgres:
            try await TestPostgres.withDatabase { url in
                let a = TestPostgres.database(
                    url: url, instanceID: "a", connections: 4, lockConnections: 8)
                let b = TestPostgres.database(
                    url: url, instanceID: "b", connections: 4, lockConnections: 8)
                try await a.withRunning {
                    try await b.withRunning {
                        let storeA = PostgresDocumentStore(database: a)
                        try await storeA.migrate()
                        let (coordinationA, coordinationB) = (
                            PostgresCoordination(database: a), PostgresCoordination(database: b)
                        )
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask { try await coordinationA.run() }
                            group.addTask { try await coordinationB.run() }
                            defer { group.cancelAll() }
                            try await Self.following(
                                try await KnowledgeHarness(store: storeA, coordination: coordinationA, name: "a"),
                                try await KnowledgeHarness(
                                    store: PostgresDocumentStore(database: b), coordination: coordinationB, name: "b")
                            ) { try await body($0, $1, nil) }
                        }
                    }
                }
            }
        }
    }

    /// Runs both instances' followers while `body` runs, once each has subscribed and read the store again.
    private static func following(
        _ a: KnowledgeHarness, _ b: KnowledgeHarness,
        _ body: @escaping @Sendable (KnowledgeHarness, KnowledgeHarness) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for harness in [a, b] {
                group.addTask { try await KnowledgeFollower(knowledge: harness.knowledge).run() }
            }
            defer { group.cancelAll() }
            // The first snapshot is the load at start; the follower's reload after it subscribed is the second.
            for harness in [a, b] {
                try await harness.snapshots.wait("the follower subscribed") { $0.count >= 2 }
            }
            try await body(a, b)
        }
    }

    @Test(arguments: Backend.available)
    func anEntryCreatedOnOneInstanceIsFoundOnTheOther(_ backend: Backend) async throws {
        try await Self.withTwoInstances(on: backend) { a, b, _ in
            let entry = try await a.service.create(
                Self.staff,
                KnowledgeHarness.content(
                    "亚马逊店铺因美国TRO被冻结资金", question: "亚马逊店铺被美国法院的临时限制令冻结了怎么办",
                    answer: "尽快联系美国律师，在期限内应诉或和解。"))
            try await b.waitForSnapshot("b finds the entry") { $0.index.best("亚马逊店铺被TRO冻结了")?.id == entry.id }
            #expect(b.knowledge.answer(to: "亚马逊店铺被TRO冻结了")?.entry == entry)

            // Changed on the second instance: the first answers with the new text; retired there: neither finds it.
            var content = KnowledgeHarness.content(entry.title, question: entry.question, answer: "先查看通知，找到案号。")
            content.tags = ["海外"]
            let updated = try await b.service.update(Self.staff, entry.id, content)
            try await a.waitForSnapshot("a takes in the change") { $0.entries[entry.id]?.answer == updated.answer }
            _ = try await b.service.retire(Self.staff, entry.id)
            try await a.waitForSnapshot("a drops the retired entry") { $0.index.count == 0 }
            #expect(a.knowledge.answer(to: "亚马逊店铺被TRO冻结了") == nil)
            #expect(b.knowledge.answer(to: "亚马逊店铺被TRO冻结了") == nil)
        }
    }

    @Test(arguments: Backend.available)
    func editsOfOneEntryFromBothInstancesAreMadeOneAfterTheOther(_ backend: Backend) async throws {
        try await Self.withTwoInstances(on: backend) { a, b, _ in
            let entry = try await a.service.create(Self.staff, KnowledgeHarness.content("展会上发现侵权展品如何投诉"))
            async let first = a.service.update(
                Self.staff, entry.id, KnowledgeHarness.content(entry.title, answer: "向展会投诉站投诉。"))
            async let second = b.service.update(
                DeskHarness.staff2, entry.id, KnowledgeHarness.content(entry.title, answer: "带齐权利证明。"))
            let results = try await [first, second]
            let stored = try #require(try await a.store.get(KnowledgeEntry.self, id: entry.id.rawValue))
            #expect(results.contains(stored))
            // One store: the audit trail of both instances.
            let audits = try await a.audits()
            #expect(audits.map(\.action).filter { $0 == .kbUpdated }.count == 2)
            #expect(Set(audits.filter { $0.action == .kbUpdated }.map(\.actor)) == ["desk-1", "desk-2"])
            // Both instances end on what was stored last.
            try await a.waitForSnapshot("a holds the last edit") { $0.entries[entry.id] == stored }
            try await b.waitForSnapshot("b holds the last edit") { $0.entries[entry.id] == stored }
        }
    }

    @Test func aResyncReadsWhatWordWasMissedOf() async throws {
        try await Self.withTwoInstances(on: .twin) { _, b, cluster in
            let cluster = try #require(cluster)
            // Written straight into the shared store: no instance hears of it.
            let missed = KnowledgeEntry(
                id: "kb-missed", title: "商标到期如何续展", question: "注册商标快到期了", answer: "期满前十二个月内办理续展。",
                createdAt: DeskHarness.mondayMorning, createdBy: "import")
            try await cluster.store.put(missed)
            #expect(b.knowledge.entry("kb-missed") == nil)
            cluster.resync("b")
            try await b.waitForSnapshot("b reloads") { $0.entries["kb-missed"] == missed }
            #expect(b.knowledge.best("商标快到期了怎么续展")?.id == "kb-missed")
        }
    }
}
