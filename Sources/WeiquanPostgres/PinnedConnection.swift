import PostgresNIO
import Synchronization

/// The connection a piece of work holds while it runs under a key's lock: the store's calls made by that work
/// (in its task and the child tasks it awaits) use it rather than leasing another from the pool, which saves a
/// lease and a bounded wait per call.
///
/// A task started inside the work and still running after it (an unstructured `Task`, which inherits task-local
/// values) must not use a connection that has gone back to the pool: ``release()`` marks the pin as no longer
/// held, and calls after that lease from the pool as usual. The connection runs one statement at a time, so work
/// that issues several at once waits for each in turn; the store's calls are single statements (no transaction
/// is left open on it).
final class PinnedConnection: Sendable {
    /// The pin of the running task, if any.
    @TaskLocal static var current: PinnedConnection?

    let connection: PostgresConnection
    let database: PostgresDatabase
    private let held = Mutex(true)

    init(_ connection: PostgresConnection, of database: PostgresDatabase) {
        self.connection = connection
        self.database = database
    }

    /// Whether the work it was made for still holds the connection.
    var isHeld: Bool { self.held.withLock { $0 } }

    /// The work ended: its connection goes back to the pool.
    func release() {
        self.held.withLock { $0 = false }
    }
}
