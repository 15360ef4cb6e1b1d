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
    func rowsUnlessClosed(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        let closed = StoreError(code: .unavailable, message: "the lock connection closed")
        guard !self.isClosed else { throw closed }
        let answer = FirstAnswer<[PostgresRow]>()
        return try await withCheckedThrowingContinuation { continuation in
            answer.wait(continuation)
            self.closeFuture.whenComplete { _ in answer.give(.failure(closed)) }
            Task {
                do {
                    answer.give(.success(try await self.query(query, logger: logger).collect()))
                } catch {
                    answer.give(.failure(error))
                }
            }
        }
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
