import Logging
import PostgresNIO
import WeiquanStore

/// A session advisory lock of PostgreSQL named by text: held by one connection until it unlocks it or the
/// connection ends.
///
/// The name is hashed to the lock's 64-bit key with `hashtextextended(name, 0)`. Two names with one hash are
/// one lock: a collision (rare with 64 bits: about one chance in 10^10 among 65,536 names held at once) only
/// makes two keys wait for each other; it never lets two holders of one key run together. Each use has its
/// own ``Space``, so an applicant's key never shares a lock with a role of the same name.
struct PostgresAdvisoryLock: Sendable {
    /// What a lock is for.
    enum Space: String, Sendable {
        /// ``PostgresCoordination/exclusively(_:_:)``: one writer per key.
        case key = "weiquan.exclusively"
        /// ``PostgresCoordination/lead(_:_:)``: one holder per role.
        case role = "weiquan.lead"
    }

    /// The text that is hashed: the space, a tab, the name.
    let name: String

    init(_ space: Space, _ name: String) {
        self.name = space.rawValue + "\t" + name
    }

    /// Waits for the lock, at most `timeout` (PostgreSQL's `lock_timeout`); waiters are granted the lock in the
    /// order they asked for it, whichever connection or instance they come from. One round trip: the settings are
    /// made in a subquery the lock's statement reads first.
    ///
    /// - Parameter statementTimeout: The `statement_timeout` of the statements that follow on this connection while
    ///   it holds the lock (the work done on it, see ``PostgresDatabase/withConnection(on:_:)``); ``release(on:logger:)``
    ///   sets it back to none, so that the next wait for a lock is bounded by `timeout` alone.
    /// - Throws: `StoreError` `.unavailable` when the wait passed `timeout`; the query's own error otherwise.
    func lock(
        on connection: PostgresConnection, timeout: Duration, statementTimeout: Duration? = nil, logger: Logger
    ) async throws {
        let lockTimeout = String(Self.milliseconds(timeout))
        let statements = String(statementTimeout.map(Self.milliseconds) ?? 0)
        do {
            _ = try await connection.rowsUnlessClosed(
                """
                SELECT pg_advisory_lock(hashtextextended(\(self.name), 0)) FROM (
                    SELECT set_config('lock_timeout', \(lockTimeout), false),
                        set_config('statement_timeout', \(statements), false)
                ) AS settings
                """,
                logger: logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == Self.lockNotAvailable {
            throw StoreError(
                code: .unavailable,
                message: "waited longer than \(timeout) for the lock \(self.name.debugDescription)"
            )
        }
    }

    /// A duration in whole milliseconds, at least 1 (PostgreSQL reads 0 as "no limit").
    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// Takes the lock if it is free; false when another session holds it.
    func tryLock(on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.rowsUnlessClosed(
            "SELECT pg_try_advisory_lock(hashtextextended(\(self.name), 0))", logger: logger)
        return try rows.first?.decode(Bool.self) ?? false
    }

    /// Gives the lock back. If that fails, the connection is closed, which ends the session and with it the lock:
    /// a pooled connection never goes back to the pool still holding a lock.
    func release(on connection: PostgresConnection, logger: Logger) async {
        do {
            let rows = try await connection.rowsUnlessClosed(
                """
                SELECT pg_advisory_unlock(hashtextextended(\(self.name), 0)), set_config('statement_timeout', '0', false)
                """,
                logger: logger)
            if try rows.first?.decode(Bool.self) == true { return }
            logger.warning("advisory lock was not held at release", metadata: ["lock": "\(self.name)"])
        } catch {
            logger.warning(
                "could not release advisory lock; closing its connection",
                metadata: ["lock": "\(self.name)", "error": "\(String(reflecting: error))"])
        }
        await Self.close(connection, logger: logger)
    }

    /// Ends the session (and every lock it holds); the pool replaces the connection.
    static func close(_ connection: PostgresConnection, logger: Logger) async {
        do {
            try await connection.close()
        } catch {
            logger.debug("closing a lock connection failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// SQLSTATE `lock_not_available`: `lock_timeout` passed.
    private static let lockNotAvailable = "55P03"
}
