/// What several instances serving one account on one store must agree on, behind one seam: one writer at a
/// time per key (an applicant's conversation), roles that one instance holds at a time (the outbox's sender and
/// the account's access-token refresher, the timers), and word of what the other instances changed.
///
/// ``InProcessCoordination`` is the one instance of the embedded store: nothing to agree with anyone. The
/// PostgreSQL implementation (module `WeiquanPostgres`) uses advisory locks and LISTEN/NOTIFY. Features that
/// keep something in memory either take it fresh from the store while holding ``exclusively(_:_:)``, or keep
/// it up to date from ``changes()``; none keeps the truth of a shared thing in one process only.
public protocol Coordination: Sendable {
    /// True when this process is the only one writing the store, so what it remembers of the store is exact.
    var isSingleInstance: Bool { get }

    /// Runs `body` while no other instance runs a body for the same `key`; on one instance, callers of one key
    /// are expected to be in order already (the service's lanes). Throws `StoreError` `.unavailable` if the
    /// lock could not be taken (the database is unreachable, or the wait passed its limit); `body` did not run.
    func exclusively<T: Sendable>(_ key: String, _ body: @Sendable () async throws -> T) async throws -> T

    /// Runs `body` while this instance holds `role`, which one instance holds at a time: waits until the role
    /// is free, runs `body`, and cancels it when the role is lost (the database went away); then waits again.
    /// Returns when the calling task is cancelled. `body` should run until it is cancelled.
    func lead(_ role: String, _ body: @escaping @Sendable () async throws -> Void) async throws

    /// What other instances change, as they commit it; each call gives a new sequence that starts now.
    /// `.resync` means word may have been missed (a lost connection): reload what is kept from the store.
    func changes() -> AsyncStream<CoordinationEvent>
}

/// Word of other instances' writes.
public enum CoordinationEvent: Sendable, Equatable {
    /// These documents were written (put or deleted) by another instance.
    case changed([DocumentKey])
    /// Word may have been missed: whatever is kept in memory about the store must be reloaded.
    case resync
}

/// The coordination of one instance alone on its store (the embedded journal, or the in-memory twin):
/// every key is already its own, every role is held, and no one else changes anything.
public struct InProcessCoordination: Coordination {
    public init() {}

    public var isSingleInstance: Bool { true }

    public func exclusively<T: Sendable>(_ key: String, _ body: @Sendable () async throws -> T) async throws -> T {
        try await body()
    }

    public func lead(_ role: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await body()
    }

    public func changes() -> AsyncStream<CoordinationEvent> {
        AsyncStream { $0.finish() }
    }
}
