import Foundation
import Logging
import PostgresNIO
import Testing
import WeiquanPostgres
import WeiquanTestSupport

@testable import WeiquanStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What only the PostgreSQL store does: migrations, change notices, jsonb's limits, and failing fast (and
/// recovering) when the database is away. The contract shared with the other stores is in
/// `DocumentStoreContractTests` and `DocumentStoreCreateTests`.
@Suite(.postgres) struct PostgresDocumentStoreTests {
    @Test func migratingTwiceAppliesNothingTheSecondTime() async throws {
        try await TestPostgres.withRunningDatabase { database in
            let store = PostgresDocumentStore(database: database)
            #expect(try await store.schemaVersion() == 0)
            #expect(try await store.migrate() == Array(1...PostgresDocumentStore.latestSchemaVersion))
            #expect(try await store.migrate() == [])
            #expect(try await store.schemaVersion() == PostgresDocumentStore.latestSchemaVersion)
            try await store.checkWritable()
        }
    }

    @Test func twoInstancesMigratingAtOnceApplyEachVersionOnce() async throws {
        try await TestPostgres.withDatabase { url in
            let first = TestPostgres.database(url: url)
            let second = TestPostgres.database(url: url)
            let running = [Task { try await first.run() }, Task { try await second.run() }]
            defer { running.forEach { $0.cancel() } }
            async let fromFirst = PostgresDocumentStore(database: first).migrate()
            async let fromSecond = PostgresDocumentStore(database: second).migrate()
            let applied = try await [fromFirst, fromSecond]
            #expect(
                applied.flatMap { $0 }.sorted() == Array(1...PostgresDocumentStore.latestSchemaVersion), "\(applied)")
            try await PostgresDocumentStore(database: first).write([put("c", "a", "{}")])
            #expect(try await PostgresDocumentStore(database: second).count(collection: "c") == 1)
            for task in running {
                task.cancel()
                _ = await task.result
            }
        }
    }

    @Test func aWriteNotifiesOnCommitWithTheKeysWritten() async throws {
        try await TestPostgres.withRunningDatabase(instanceID: "instance-a") { database in
            let store = PostgresDocumentStore(database: database)
            try await store.migrate()
            let notice = try await withSafetyLimit("two change notices") {
                try await database.withConnection(on: database.lockClient) { connection in
                    try await connection.listen(on: PostgresChangeNotice.channel) { notifications in
                        // A rejected write sends nothing: the first notice is the good write's.
                        try await store.write([put("c", "taken", "{}")])
                        _ = try? await store.write([put("c", "never", "{}"), create("c", "taken", "{}")])
                        try await store.write([put("cases", "WQ1", "{}"), .delete(collection: "c", id: "taken")])
                        var payloads: [String] = []
                        for try await notification in notifications {
                            payloads.append(notification.payload)
                            if payloads.count == 2 { break }
                        }
                        return payloads
                    }
                }
            }
            #expect(
                notice.map { PostgresChangeNotice(payload: $0) } == [
                    PostgresChangeNotice(instanceID: "instance-a", keys: [DocumentKey(collection: "c", id: "taken")]),
                    PostgresChangeNotice(
                        instanceID: "instance-a",
                        keys: [DocumentKey(collection: "cases", id: "WQ1"), DocumentKey(collection: "c", id: "taken")]),
                ])
        }
    }

    @Test func documentsAreJSONThatAPersonCanQuery() async throws {
        try await TestPostgres.withRunningDatabase { database in
            let store = PostgresDocumentStore(database: database)
            try await store.migrate()
            try await store.write([put("cases", "WQ1", #"{"applicant":"o-abc","title":"专利侵权"}"#)])
            let title = try await database.withConnection { connection in
                var titles: [String] = []
                for try await title in try await connection.query(
                    "SELECT json ->> 'title' FROM documents WHERE collection = 'cases' AND json ->> 'applicant' = 'o-abc'",
                    logger: database.logger
                ).decode(String.self) {
                    titles.append(title)
                }
                return titles
            }
            #expect(title == ["专利侵权"])
        }
    }

    @Test func aDocumentJSONBCannotHoldIsRejectedWithNothingWritten() async throws {
        try await TestPostgres.withRunningDatabase { database in
            let store = PostgresDocumentStore(database: database)
            try await store.migrate()
            let error = await storeError {
                try await store.write([put("c", "ok", "{}"), put("c", "nul", #"{"text":"a\u0000b"}"#)])
            }
            #expect(error?.code == .invalidDocument, "\(String(describing: error))")
            #expect(try await store.count(collection: "c") == 0)
        }
    }

    @Test func aStoreWithoutItsSchemaSaysSo() async throws {
        try await TestPostgres.withRunningDatabase { database in
            let store = PostgresDocumentStore(database: database)
            let error = await storeError { try await store.checkWritable() }
            #expect(error?.code == .notFound)
            let read = await storeError { _ = try await store.count(collection: "c") }
            #expect(read?.code == .notFound)
        }
    }

    @Test func aWriteHeldUpPastTheStatementTimeoutIsUnavailable() async throws {
        try await TestPostgres.withDatabase { url in
            let database = TestPostgres.database(url: url, statementTimeout: .seconds(1))
            let running = Task { try await database.run() }
            defer { running.cancel() }
            let store = PostgresDocumentStore(database: database)
            try await store.migrate()
            try await store.write([put("c", "held", #"{"v":1}"#)])
            let settings = try await database.withConnection { connection in
                var settings: [String] = []
                for try await (timeout, name) in try await connection.query(
                    "SELECT current_setting('statement_timeout'), current_setting('application_name')",
                    logger: database.logger
                ).decode((String, String).self) {
                    settings += [timeout, name]
                }
                return settings
            }
            #expect(settings == ["1s", "weiquan"])
            // Another session holds the row (the lock pool has no statement timeout); the write waits for it.
            let error = try await database.withConnection(on: database.lockClient) { connection in
                try await connection.withTransaction(logger: database.logger) { connection in
                    try await connection.query(
                        "SELECT 1 FROM documents WHERE collection = 'c' AND id = 'held' FOR UPDATE",
                        logger: database.logger)
                    return await storeError { try await store.write([put("c", "held", #"{"v":2}"#)]) }
                }
            }
            #expect(error?.code == .unavailable, "\(String(describing: error))")
            #expect(stored(try await store.document(collection: "c", id: "held"), is: #"{"v":1}"#, in: .postgres))
            running.cancel()
            _ = await running.result
        }
    }

    @Test func everyCallIsUnavailableWhenNothingListens() async throws {
        let url = try #require(PostgresStoreURL("postgres://postgres@127.0.0.1:\(try closedPort())/nothing"))
        let database = WeiquanPostgres.PostgresDatabase(url: url, connectTimeout: .milliseconds(300))
        let running = Task { try await database.run() }
        defer { running.cancel() }
        let store = PostgresDocumentStore(database: database)
        let calls: [(String, @Sendable () async throws -> Void)] = [
            ("write", { try await store.write([put("c", "a", "{}")]) }),
            ("document", { _ = try await store.document(collection: "c", id: "a") }),
            ("documents", { _ = try await store.documents(collection: "c") }),
            ("count", { _ = try await store.count(collection: "c") }),
            ("collections", { _ = try await store.collections() }),
            ("checkWritable", { try await store.checkWritable() }),
            ("migrate", { _ = try await store.migrate() }),
        ]
        for (name, call) in calls {
            // Each call gives up after the connect timeout; the safety limit only stops a hang.
            let error = try await withSafetyLimit("\(name) to fail") { await storeError { try await call() } }
            #expect(error?.code == .unavailable, "\(name): \(String(describing: error))")
        }
        running.cancel()
        _ = await running.result
    }

    /// The database going away and coming back, on a throwaway cluster of this test's own (the shared one serves
    /// the other tests): calls fail with `.unavailable` while it is down, and work again once it is back without
    /// anything being restarted, the pool reconnecting on its own (after its back-off, so the test allows a few
    /// calls for that, each bounded by the connect timeout, which is generous because the suite runs in parallel).
    @Test func theStoreWorksAgainAfterTheDatabaseComesBack() async throws {
        let cluster = try await ThrowawayCluster.start()
        do {
            let url = try #require(PostgresStoreURL(cluster.url))
            let database = WeiquanPostgres.PostgresDatabase(url: url, connectTimeout: .seconds(3))
            let running = Task { try await database.run() }
            defer { running.cancel() }
            let store = PostgresDocumentStore(database: database)
            // The cluster has just started: on a slow host its first connections may take longer than the
            // timeout, so the first calls are allowed a few tries as well.
            let early = try await Self.retryingWhileUnavailable {
                try await store.migrate()
                try await store.write([put("c", "before", #"{"v":1}"#)])
            }
            #expect(early.count < 20, "never available: \(early.last.map(String.init(describing:)) ?? "")")

            try await cluster.run("halt")
            let write = await storeError { try await store.write([put("c", "during", "{}")]) }
            #expect(write?.code == .unavailable, "\(String(describing: write))")
            let check = await storeError { try await store.checkWritable() }
            #expect(check?.code == .unavailable, "\(String(describing: check))")

            try await cluster.run("resume")
            let failures = try await Self.retryingWhileUnavailable {
                try await store.write([put("c", "after", #"{"v":2}"#)])
            }
            #expect(failures.count < 20, "still unavailable: \(failures.last.map(String.init(describing:)) ?? "")")
            #expect(try await store.documents(collection: "c").map(\.id) == ["after", "before"])
            try await store.checkWritable()
            running.cancel()
            _ = await running.result
        } catch {
            _ = try? await cluster.run("stop")
            throw error
        }
        try await cluster.run("stop")
    }

    /// Runs `body` until it does not fail with `.unavailable`, at most 20 times; the failures on the way.
    static func retryingWhileUnavailable(_ body: () async throws -> Void) async throws -> [StoreError] {
        var failures: [StoreError] = []
        while failures.count < 20 {
            do {
                try await body()
                break
            } catch let error as StoreError where error.code == .unavailable {
                failures.append(error)
            }
        }
        return failures
    }
}

/// A port on the loopback interface that nothing listens on (bound, then closed again).
private func closedPort() throws -> Int {
    #if canImport(Glibc)
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { throw TestPostgresError("socket() failed") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
        }
    }
    guard bound else { throw TestPostgresError("bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
