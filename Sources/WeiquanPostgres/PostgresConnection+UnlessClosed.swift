import Logging
import PostgresNIO
import Synchronization
import WeiquanStore

extension PostgresConnection {
    /// Runs `query` and returns its rows, or throws `StoreError` `.unavailable` as soon as the connection closes.
    ///
    /// A query given to a connection whose channel has already closed is never answered: this is what keeps a
    /// lock's release or a role's check from waiting forever on a connection that PostgreSQL ended. (The query
    /// runs in a task of its own; if the channel closed just before the query was given to it, that task stays
    /// suspended, which costs a little memory once per such failure.) Not cancellable, like postgres-nio's query.
    ///
    /// The close is watched through one ``ConnectionCloseSignal`` per connection, registered on its close future
    /// once: a callback per query on a long-lived pooled connection would pile up until the connection closes.
    func rowsUnlessClosed(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.unlessClosed { try await self.query(query, logger: logger).collect() }
    }

    /// Runs `operation` (queries on this connection) and returns what it returns, or throws `StoreError`
    /// `.unavailable` as soon as the connection closes, as ``rowsUnlessClosed(_:logger:)`` does for one query.
    func unlessClosed<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let closed = StoreError(code: .unavailable, message: "the connection closed")
        guard !self.isClosed else { throw closed }
        let signal = ConnectionCloseSignal.of(self)
        let answer = FirstAnswer<T>()
        let watch = Mutex<Int?>(nil)
        defer { if let id = watch.withLock({ $0 }) { signal.stopWatching(id) } }
        return try await withCheckedThrowingContinuation { continuation in
            answer.wait(continuation)
            guard let id = signal.watch({ answer.give(.failure(closed)) }) else {
                answer.give(.failure(closed))
                return
            }
            watch.withLock { $0 = id }
            Task {
                do {
                    answer.give(.success(try await operation()))
                } catch {
                    answer.give(.failure(error))
                }
            }
        }
    }
}

/// Tells the waiters of one connection that it closed: registered on the connection's close future once, with
/// waiters added and removed per query.
final class ConnectionCloseSignal: Sendable {
    private struct State {
        var closed = false
        var nextID = 0
        var waiters: [Int: @Sendable () -> Void] = [:]
    }

    private static let signals = Mutex<[ObjectIdentifier: ConnectionCloseSignal]>([:])
    private let state = Mutex(State())

    /// The signal of `connection`, made (and hooked to its close future) on first use; forgotten once it closed.
    static func of(_ connection: PostgresConnection) -> ConnectionCloseSignal {
        let key = ObjectIdentifier(connection)
        let (signal, isNew) = Self.signals.withLock { signals -> (ConnectionCloseSignal, Bool) in
            if let known = signals[key] { return (known, false) }
            let made = ConnectionCloseSignal()
            signals[key] = made
            return (made, true)
        }
        if isNew {
            connection.closeFuture.whenComplete { _ in
                Self.signals.withLock { _ = $0.removeValue(forKey: key) }
                signal.close()
            }
        }
        return signal
    }

    /// Runs `action` when the connection closes; nil (and `action` not kept) when it has closed already.
    func watch(_ action: @escaping @Sendable () -> Void) -> Int? {
        self.state.withLock { state in
            guard !state.closed else { return nil }
            state.nextID += 1
            state.waiters[state.nextID] = action
            return state.nextID
        }
    }

    /// Forgets a watch whose query has been answered.
    func stopWatching(_ id: Int) {
        _ = self.state.withLock { $0.waiters.removeValue(forKey: id) }
    }

    /// How many queries wait on this connection now (for tests: it must not grow with the queries run).
    var waiterCount: Int { self.state.withLock { $0.waiters.count } }

    private func close() {
        let waiters = self.state.withLock { state -> [@Sendable () -> Void] in
            state.closed = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter() }
    }
}

/// A continuation resumed by whichever answer comes first; later ones are dropped.
private final class FirstAnswer<Value: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<Value, any Error>?>(nil)

    func wait(_ continuation: CheckedContinuation<Value, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    func give(_ answer: Result<Value, any Error>) {
        let continuation = self.continuation.withLock { stored -> CheckedContinuation<Value, any Error>? in
            defer { stored = nil }
            return stored
        }
        continuation?.resume(with: answer)
    }
}
