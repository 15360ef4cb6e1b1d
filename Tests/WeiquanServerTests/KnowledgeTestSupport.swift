import Foundation
import Logging
import Synchronization
import Testing
import WeiquanCore
import WeiquanPostgres
import WeiquanStore
import WeiquanTestSupport

@testable import WeiquanServer

/// Where a knowledge-base test keeps its entries: the in-memory store, or a fresh PostgreSQL database (skipped
/// without a test server, required in CI).
enum KnowledgeBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory
    case postgres

    var testDescription: String { self.rawValue }

    /// The backends this run can use.
    static var available: [KnowledgeBackend] { TestPostgres.shouldRun ? [.memory, .postgres] : [.memory] }

    /// Runs `body` with an empty store of this backend.
    func withStore<T: Sendable>(_ body: @escaping @Sendable (any DocumentStore) async throws -> T) async throws -> T {
        switch self {
        case .memory:
            return try await body(MemoryDocumentStore())
        case .postgres:
            return try await TestPostgres.withRunningDatabase { database in
                let store = PostgresDocumentStore(database: database)
                try await store.migrate()
                return try await body(store)
            }
        }
    }
}

/// A knowledge base and its service on a store, with a test clock and numbered ids (`kb-000001`, `audit-1`).
struct KnowledgeHarness {
    let store: any DocumentStore
    let clock: TestClock
    let knowledge: KnowledgeBase
    let service: KnowledgeService
    /// Every snapshot the base swapped in, newest last.
    let snapshots: Observed<[KnowledgeBase.Snapshot]>

    init(
        store: any DocumentStore, coordination: any Coordination = InProcessCoordination(), name: String = "a"
    ) async throws {
        self.store = store
        self.clock = TestClock(DeskHarness.mondayMorning)
        let snapshots = Observed<[KnowledgeBase.Snapshot]>([])
        self.snapshots = snapshots
        self.knowledge = try await KnowledgeBase(
            store: store, coordination: coordination, options: .standard, logger: Logger(label: "test"),
            observer: { snapshot in snapshots.update { $0.append(snapshot) } })
        let audits = Mutex(0)
        let entries = Mutex(0)
        self.service = KnowledgeService(
            knowledge: self.knowledge, clock: self.clock.function,
            makeID: {
                audits.withLock { value in
                    value += 1
                    return "audit-\(name)-\(value)"
                }
            },
            newEntryID: {
                entries.withLock { value in
                    value += 1
                    return KnowledgeEntryID("kb-\(name)\(String(format: "%05d", value))")
                }
            })
    }

    /// The content of an entry with this title.
    static func content(_ title: String, question: String = "问题", answer: String = "回答") -> KnowledgeService.Content {
        KnowledgeService.Content(title: title, question: question, answer: answer)
    }

    /// The audit events of the knowledge base, in the order they were written.
    func audits() async throws -> [AuditEvent] {
        try await self.store.all(AuditEvent.self)
            .filter { $0.action.rawValue.hasPrefix("kb_") }
            .sorted { ($0.id.count, $0.id) < ($1.id.count, $1.id) }
    }

    /// Returns once the base's current snapshot satisfies `condition` (checked now and after every swap).
    func waitForSnapshot(
        _ what: String, _ condition: @escaping @Sendable (KnowledgeBase.Snapshot) -> Bool
    ) async throws {
        let knowledge = self.knowledge
        try await self.snapshots.wait(what) { _ in condition(knowledge.snapshot) }
    }
}
