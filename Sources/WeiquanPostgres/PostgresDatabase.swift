import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import WeiquanStore

/// One instance's connection to the shared PostgreSQL database: the connection pools the store and the
/// coordination use, and this instance's id (which tells its own change notices from other instances').
///
/// Two pools, so that waiting for a per-applicant lock never takes the connection a write needs: `client` for
/// the store's reads and writes, `lockClient` for the advisory locks held while a conversation is worked.
/// Both reconnect on their own; ``run()`` must run (it is a `Service`) for either to hand out connections.
///
/// The store pool's sessions have a `statement_timeout`, so no query of the store waits on the database for longer;
/// both pools' sessions carry `application_name` `weiquan` (seen in `pg_stat_activity`).
public final class PostgresDatabase: Service, Sendable {
    /// Where the database is.
    public let url: PostgresStoreURL
    /// This instance's id, unique per start.
    public let instanceID: String
    /// The pool for the store's queries.
    public let client: PostgresClient
    /// The pool for advisory locks held across a piece of work, and the coordination's own connections.
    public let lockClient: PostgresClient
    public let logger: Logger
    /// How long ``withConnection(on:_:)`` waits for a connection before it gives up with `.unavailable`.
    public let connectTimeout: Duration
    /// How long one statement of the store pool may run (the sessions' `statement_timeout`).
    public let statementTimeout: Duration

    /// - Parameters:
    ///   - url: Where the database is.
    ///   - connections: The store pool's size.
    ///   - lockConnections: How many applicants' locks this instance can hold (or wait for) at once.
    ///   - connectTimeout: How long a new connection may take before the request fails (the database is
    ///     unreachable: the webhook answers at once instead of waiting out WeChat's 5 seconds).
    ///   - statementTimeout: How long one statement of the store pool may run before the database cancels it.
    public init(
        url: PostgresStoreURL, instanceID: String = UUID().uuidString, connections: Int = 16,
        lockConnections: Int = 32, connectTimeout: Duration = .seconds(2), statementTimeout: Duration = .seconds(5),
        logger: Logger = Logger(label: "weiquan.postgres")
    ) {
        self.url = url
        self.instanceID = instanceID
        self.logger = logger
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        func configuration(maximum: Int, parameters: [(String, String)]) -> PostgresClient.Configuration {
            var configuration = PostgresClient.Configuration(
                host: url.host, port: url.port, username: url.username, password: url.password,
                database: url.database, tls: .disable
            )
            configuration.options.maximumConnections = maximum
            configuration.options.connectTimeout = connectTimeout
            configuration.options.additionalStartupParameters = [("application_name", "weiquan")] + parameters
            return configuration
        }
        let milliseconds = max(1, Int((statementTimeout / .milliseconds(1)).rounded(.up)))
        self.client = PostgresClient(
            configuration: configuration(maximum: connections, parameters: [("statement_timeout", "\(milliseconds)")]),
            backgroundLogger: logger)
        self.lockClient = PostgresClient(
            configuration: configuration(maximum: lockConnections, parameters: []), backgroundLogger: logger)
    }

    /// Runs both pools until cancelled (or until graceful shutdown).
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            group.addTask { await self.lockClient.run() }
            await group.waitForAll()
        }
    }

    /// Runs the pools while `body` runs, for a command that does one piece of work and exits.
    public func withRunning<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await self.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// Runs `body` with a connection of `client` (the store pool when nil), or throws `StoreError` `.unavailable`
    /// if no connection was handed out within ``connectTimeout`` (the database is down or unreachable, or every
    /// connection is busy): a caller never waits out the pool's own retries.
    ///
    /// `body` must not keep the connection. Errors it throws come out as they are.
    ///
    /// Inside ``PostgresCoordination/exclusively(_:_:)`` the store's calls (`client` nil) run on the connection that
    /// holds the key's lock instead (``PinnedConnection``): no lease from the pool, no wait to bound.
    public func withConnection<T: Sendable>(
        on client: PostgresClient? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        if client == nil, let pinned = PinnedConnection.current, pinned.database === self, pinned.isHeld {
            // Not answered at all if the connection closed under it: fail as soon as it closes.
            let connection = pinned.connection
            return try await connection.unlessClosed { try await body(connection) }
        }
        let client = client ?? self.client
        let leased = LeaseFlag()
        let timeout = self.connectTimeout
        return try await withThrowingTaskGroup(of: LeaseRace<T>.self) { group in
            group.addTask {
                let value = try await client.withConnection { connection in
                    leased.set()
                    return try await body(connection)
                }
                return .finished(value)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return .timeout
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                switch next {
                case .finished(let value):
                    return value
                case .timeout where !leased.isSet:
                    throw StoreError(
                        code: .unavailable,
                        message: "no connection to the database \(self.url) within \(timeout) (is it running and "
                            + "reachable, and are its connections all busy?)")
                case .timeout:
                    // The connection came in time; the work goes on under the statement timeout.
                    break
                }
            }
            throw CancellationError()
        }
    }
}

/// Which of a connection's work and its wait limit ended first.
private enum LeaseRace<T: Sendable>: Sendable {
    case finished(T)
    case timeout
}

/// Set once a connection is handed out.
private final class LeaseFlag: Sendable {
    private let value = Mutex(false)

    func set() { self.value.withLock { $0 = true } }

    var isSet: Bool { self.value.withLock { $0 } }
}
