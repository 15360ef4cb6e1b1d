import Logging
import PostgresNIO
import WeiquanStore

extension PostgresCoordination {
    /// Runs `body` while this instance holds `role`: one instance at a time, across every instance on the database.
    ///
    /// - The role is a session advisory lock (`pg_try_advisory_lock`) on a `lockClient` connection that is held for
    ///   as long as the role is. While another instance holds it, this asks again every `leaseCheckInterval`.
    /// - While it holds the role, `body` runs in a child task and the connection is checked (`SELECT 1`) every
    ///   `leaseCheckInterval`. When the check fails the role is lost (PostgreSQL dropped the lock with the
    ///   session, so another instance may take it): `body` is cancelled, and once it has ended this asks for the
    ///   role again on a new connection. Until the check notices, `body` and another instance's body may overlap
    ///   by up to `leaseCheckInterval` (plus the time the check takes): what a leader does must stay safe anyway.
    /// - Returns when the calling task is cancelled (cancelling `body` and giving the role back), or when `body`
    ///   returns; rethrows what `body` throws, after giving the role back.
    public func lead(_ role: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let lock = PostgresAdvisoryLock(.role, role)
        var logger = self.logger
        logger[metadataKey: "role"] = "\(role)"
        while !Task.isCancelled {
            let outcome: Leadership
            do {
                outcome = try await self.database.lockClient.withConnection { connection in
                    try await self.holdRole(lock, on: connection, body, logger: logger)
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("could not ask for the role", metadata: ["error": "\(String(reflecting: error))"])
                outcome = .lost
            }
            switch outcome {
            case .bodyReturned, .cancelled:
                return
            case .bodyFailed(let error):
                throw error
            case .lost:
                do {
                    try await self.clock.sleep(for: self.leaseCheckInterval)
                } catch {
                    return
                }
            }
        }
    }

    /// Waits on `connection` until the role is free, then holds it while `body` runs.
    private func holdRole(
        _ lock: PostgresAdvisoryLock, on connection: PostgresConnection,
        _ body: @escaping @Sendable () async throws -> Void, logger: Logger
    ) async throws -> Leadership {
        while try await lock.tryLock(on: connection, logger: logger) == false {
            try await self.clock.sleep(for: self.leaseCheckInterval)
        }
        logger.info("took the role")
        let interval = self.leaseCheckInterval
        let clock = self.clock
        var outcome = await withTaskGroup(of: Leadership.self) { group in
            group.addTask {
                do {
                    try await body()
                    return .bodyReturned
                } catch {
                    return .bodyFailed(error)
                }
            }
            group.addTask {
                await Self.watch(connection, every: interval, clock: clock, logger: logger)
                return .lost
            }
            // The first to end decides; the other is cancelled, and waited for before the role is given back.
            let first = await group.next() ?? .lost
            group.cancelAll()
            return first
        }
        if Task.isCancelled { outcome = .cancelled }
        if case .lost = outcome {
            logger.warning("lost the role: its connection failed")
            await PostgresAdvisoryLock.close(connection, logger: logger)
        } else {
            await lock.release(on: connection, logger: logger)
            logger.info("gave the role back")
        }
        return outcome
    }

    /// Returns when a check of `connection` fails, or when cancelled.
    private static func watch(
        _ connection: PostgresConnection, every interval: Duration, clock: any Clock<Duration>, logger: Logger
    ) async {
        while true {
            do {
                try await clock.sleep(for: interval)
            } catch {
                return
            }
            do {
                _ = try await connection.rowsUnlessClosed("SELECT 1", logger: logger)
            } catch {
                logger.debug("role connection check failed", metadata: ["error": "\(String(reflecting: error))"])
                return
            }
        }
    }
}

/// How a stretch of leadership ended.
enum Leadership: Sendable {
    /// `body` returned.
    case bodyReturned
    /// `body` threw.
    case bodyFailed(any Error)
    /// The connection failed (or could not be had): the role may be another instance's now.
    case lost
    /// The calling task was cancelled.
    case cancelled
}
