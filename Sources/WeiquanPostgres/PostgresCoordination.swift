import Logging
import PostgresNIO
import ServiceLifecycle
import WeiquanStore

/// The coordination of several instances on one PostgreSQL database: advisory locks for
/// ``exclusively(_:_:)`` and ``lead(_:_:)``, LISTEN/NOTIFY for ``changes()``.
///
/// Every lock and the listening connection come from the database's `lockClient`, so they never take a
/// connection that the store's queries need. ``run()`` (this is a `Service`) keeps the LISTEN connection that
/// ``changes()`` feeds on; the locks need nothing running besides the database.
public final class PostgresCoordination: Coordination, Service {
    let database: PostgresDatabase
    let lockTimeout: Duration
    let leaseCheckInterval: Duration
    let clock: any Clock<Duration>
    let subscribers = ChangeSubscribers()

    /// The longest pause between attempts to listen again after the connection failed.
    static let longestListenBackoff: Duration = .seconds(10)
    /// The first pause after the listening connection failed; it doubles with each failure in a row.
    static let firstListenBackoff: Duration = .milliseconds(100)

    /// - Parameters:
    ///   - database: The shared database; it must be running (``PostgresDatabase/run()``).
    ///   - lockTimeout: How long ``exclusively(_:_:)`` waits for a key before it gives up with `.unavailable`
    ///     (a holder that hangs cannot block the others forever).
    ///   - leaseCheckInterval: How often ``lead(_:_:)`` asks for a role while another instance holds it, and
    ///     checks its connection while it holds the role; also the longest time before a lost role is noticed.
    ///   - clock: The clock of those pauses (and of the listener's back-off).
    public init(
        database: PostgresDatabase, lockTimeout: Duration = .seconds(30), leaseCheckInterval: Duration = .seconds(2),
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.database = database
        self.lockTimeout = lockTimeout
        self.leaseCheckInterval = leaseCheckInterval
        self.clock = clock
    }

    /// Always false: other instances write the same database.
    public var isSingleInstance: Bool { false }

    var logger: Logger { self.database.logger }

    // MARK: - One writer per key

    /// Runs `body` while this connection holds the session advisory lock of `key`, so that no body of the same key
    /// runs on any instance meanwhile.
    ///
    /// - Waiters are served in arrival order across instances: PostgreSQL grants the waiters of one lock in the
    ///   order they asked for it.
    /// - Each caller waits on a connection of its own from `lockClient` (it is held until `body` ends); the lock
    ///   is released when `body` returns, throws or is cancelled.
    /// - The wait is bounded by `lockTimeout` (PostgreSQL's `lock_timeout`): past it, or when no connection
    ///   can be had, this throws `StoreError` `.unavailable` and `body` does not run. A caller cancelled while it
    ///   waits still waits for PostgreSQL (up to `lockTimeout`), then throws `CancellationError` without running
    ///   `body`.
    /// - Keys are hashed to 64 bits (see ``PostgresAdvisoryLock``): a collision only makes two keys wait for
    ///   each other.
    /// - If the connection fails while `body` runs, the lock is gone with it: `body` still runs to its end and
    ///   its result is returned, but another instance may take the key meanwhile. The lock makes overlap rare,
    ///   not impossible, so the writes made under it must stay safe on their own: create-only writes, and reads
    ///   taken fresh under the lock.
    public func exclusively<T: Sendable>(_ key: String, _ body: @Sendable () async throws -> T) async throws -> T {
        let lock = PostgresAdvisoryLock(.key, key)
        let logger = self.logger
        let timeout = self.lockTimeout
        let outcome: Result<T, any Error>
        do {
            let database = self.database
            let statementTimeout = database.statementTimeout
            outcome = try await database.lockClient.withConnection { connection in
                try await lock.lock(
                    on: connection, timeout: timeout, statementTimeout: statementTimeout, logger: logger)
                guard !Task.isCancelled else {
                    await lock.release(on: connection, logger: logger)
                    throw CancellationError()
                }
                // The work's own reads and writes run on this connection (``PinnedConnection``).
                let pin = PinnedConnection(connection, of: database)
                let outcome: Result<T, any Error>
                do {
                    outcome = .success(try await PinnedConnection.$current.withValue(pin) { try await body() })
                } catch {
                    outcome = .failure(error)
                }
                pin.release()
                await lock.release(on: connection, logger: logger)
                return outcome
            }
        } catch {
            throw Self.lockFailure(error, what: "the lock of key \(key.debugDescription)")
        }
        return try outcome.get()
    }

    /// What a failure to take a lock is thrown as: cancellation stays cancellation, `StoreError` stays itself,
    /// anything else (no connection, a failed query) is `.unavailable`.
    static func lockFailure(_ error: any Error, what: String) -> any Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        if error is StoreError { return error }
        return StoreError(
            code: .unavailable, message: "could not take \(what): \(String(reflecting: error))")
    }
}
