import Foundation
import Logging
import PostgresNIO
import Testing
import WeiquanPostgres
import WeiquanTestSupport

/// A bounded wait ran out of attempts.
struct NotReached: Error, CustomStringConvertible {
    var what: String
    var description: String { self.what }
}

/// One of the instances of a test: its database object (pools and instance id), coordination and clock.
struct CoordinationTestInstance: Sendable {
    let name: String
    let database: WeiquanPostgres.PostgresDatabase
    let coordination: PostgresCoordination
    let clock: ManualClock
}

/// Runs `body` with `count` instances on one fresh database, their pools running (and their coordinations'
/// ``PostgresCoordination/run()`` when `listening`); each instance has its own manual clock.
func withCoordinationInstances(
    _ count: Int = 2, lockTimeout: Duration = .seconds(30), listening: Bool = false,
    _ body: @Sendable ([CoordinationTestInstance]) async throws -> Void
) async throws {
    try await TestPostgres.withDatabase { url in
        try await runInstances(count, on: url, lockTimeout: lockTimeout, listening: listening, body)
    }
}

/// ``withCoordinationInstances(_:lockTimeout:listening:_:)`` on the database at `url`.
private func runInstances(
    _ count: Int, on url: PostgresStoreURL, lockTimeout: Duration, listening: Bool,
    _ body: @Sendable ([CoordinationTestInstance]) async throws -> Void
) async throws {
    let instances = (0..<count).map { index in
        let name = String(UnicodeScalar(UInt8(ascii: "A") + UInt8(index)))
        let database = TestPostgres.database(
            url: url, instanceID: "instance-\(name)", connections: 4, lockConnections: 16,
            logger: Logger(label: "test.postgres.\(name)"))
        let clock = ManualClock()
        let coordination = PostgresCoordination(
            database: database, lockTimeout: lockTimeout, leaseCheckInterval: .seconds(2), clock: clock)
        return CoordinationTestInstance(name: name, database: database, coordination: coordination, clock: clock)
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
        for instance in instances {
            group.addTask { try await instance.database.run() }
            if listening {
                group.addTask { try await instance.coordination.run() }
            }
        }
        defer { group.cancelAll() }
        try await body(instances)
    }
}

extension CoordinationTestInstance {
    /// Runs a statement on this instance's store pool.
    func execute(_ query: PostgresQuery) async throws {
        _ = try await self.database.client.query(query).collect()
    }

    /// The first column of the first row, as an integer.
    func count(_ query: PostgresQuery) async throws -> Int {
        for try await value in try await self.database.client.query(query).decode(Int.self) { return value }
        return 0
    }

    /// Waits until `count` advisory locks of this database are being waited for (PostgreSQL queued them).
    func waitForLockWaiters(_ count: Int) async throws {
        try await self.waitForAdvisoryLocks("\(count) waiter(s) on advisory locks", granted: false) { $0 >= count }
    }

    /// Waits until no session of this database holds an advisory lock (an ended session's locks go with it a
    /// moment after its client is told).
    func waitForNoLockHolders() async throws {
        try await self.waitForAdvisoryLocks("no holder of advisory locks", granted: true) { $0 == 0 }
    }

    /// Asks PostgreSQL again and again, a bounded number of times, how many advisory locks of this database are
    /// granted (or waited for), until `condition` holds for that number.
    private func waitForAdvisoryLocks(
        _ what: String, granted: Bool, attempts: Int = 3000, until condition: @escaping @Sendable (Int) -> Bool
    ) async throws {
        try await withSafetyLimit(what) {
            for _ in 0..<attempts {
                let locks = try await self.count(
                    """
                    SELECT count(*)::int8 FROM pg_locks WHERE locktype = 'advisory' AND granted = \(granted)
                    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                    """)
                if condition(locks) { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw NotReached(what: "\(what) after \(attempts) looks")
        }
    }

    /// Ends the sessions of this database that hold an advisory lock (as if their connections failed).
    /// - Returns: How many were ended.
    func terminateLockHolders() async throws -> Int {
        try await self.count(
            """
            SELECT count(pg_terminate_backend(pid))::int8 FROM pg_locks WHERE locktype = 'advisory' AND granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """)
    }

    /// Ends the sessions of this database that listen for change notices.
    /// - Returns: How many were ended.
    func terminateListeners() async throws -> Int {
        try await self.count(
            """
            SELECT count(pg_terminate_backend(pid))::int8 FROM pg_stat_activity
            WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()
            """)
    }
}

/// Moves `clock` to its next sleeper's deadline again and again until `condition` holds for `observed`, at most
/// `moves` times; each move waits for a task to sleep on the clock (an event), never for time to pass.
func advance<Value: Sendable>(
    _ clock: ManualClock, until what: String, on observed: Observed<Value>, moves: Int = 100,
    _ condition: @escaping @Sendable (Value) -> Bool
) async throws {
    for _ in 0..<moves {
        if condition(observed.value) { return }
        let reached = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await observed.wait(what, until: condition)
                return true
            }
            group.addTask {
                try await clock.waitForSleepers(1)
                return false
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
        if reached { return }
        clock.advanceToNextDeadline()
    }
    Issue.record("\(what): not reached after \(moves) moves of the clock")
}

/// Returns only when cancelled (throwing `CancellationError`): a body that holds on until it is told to stop.
func untilCancelled() async throws {
    try await Observed(false).wait("cancellation", safetyLimit: .seconds(24 * 3600)) { $0 }
}
