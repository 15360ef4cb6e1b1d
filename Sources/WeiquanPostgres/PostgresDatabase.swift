import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// One instance's connection to the shared PostgreSQL database: the connection pools the store and the
/// coordination use, and this instance's id (which tells its own change notices from other instances').
///
/// Two pools, so that waiting for a per-applicant lock never takes the connection a write needs: `client` for
/// the store's reads and writes, `lockClient` for the advisory locks held while a conversation is worked.
/// Both reconnect on their own; ``run()`` must run (it is a `Service`) for either to hand out connections.
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

    /// - Parameters:
    ///   - url: Where the database is.
    ///   - connections: The store pool's size.
    ///   - lockConnections: How many applicants' locks this instance can hold (or wait for) at once.
    ///   - connectTimeout: How long a new connection may take before the request fails (the database is
    ///     unreachable: the webhook answers at once instead of waiting out WeChat's 5 seconds).
    public init(
        url: PostgresStoreURL, instanceID: String = UUID().uuidString, connections: Int = 16,
        lockConnections: Int = 32, connectTimeout: Duration = .seconds(2),
        logger: Logger = Logger(label: "weiquan.postgres")
    ) {
        self.url = url
        self.instanceID = instanceID
        self.logger = logger
        func configuration(maximum: Int) -> PostgresClient.Configuration {
            var configuration = PostgresClient.Configuration(
                host: url.host, port: url.port, username: url.username, password: url.password,
                database: url.database, tls: .disable
            )
            configuration.options.maximumConnections = maximum
            configuration.options.connectTimeout = connectTimeout
            return configuration
        }
        self.client = PostgresClient(configuration: configuration(maximum: connections), backgroundLogger: logger)
        self.lockClient = PostgresClient(
            configuration: configuration(maximum: lockConnections), backgroundLogger: logger)
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
}
