import Foundation
import Logging
import PostgresNIO
import Testing
import WeiquanPostgres

/// The PostgreSQL server the tests may use: `scripts/test.sh` starts a throwaway cluster and sets
/// `WEIQUAN_TEST_POSTGRES_URL` (and `WEIQUAN_REQUIRE_POSTGRES=1`); a plain `swift test` has neither.
///
/// Mark a PostgreSQL test or suite with ``Testing/Trait/postgres``: it is skipped when there is no server, unless
/// one is required, and then it fails (so CI cannot pass by skipping). Give each test its own database with
/// ``withDatabase(_:)``, so tests run in parallel without seeing each other's documents, locks or notices:
///
/// ```swift
/// @Test(.postgres) func somethingShared() async throws {
///     try await TestPostgres.withRunningDatabase { database in
///         let store = PostgresDocumentStore(database: database)
///         try await store.migrate()
///         …
///     }
/// }
/// ```
///
/// ``withDatabase(_:)`` gives just the URL, for a test that makes its own `PostgresDatabase`s (two instances).
public enum TestPostgres {
    /// The variable holding the server's URL (`postgres://user@host:port/database`, a database to connect to for
    /// creating the tests' own).
    public static let urlVariable = "WEIQUAN_TEST_POSTGRES_URL"
    /// The variable that, set to `1`, makes a missing or unreachable server a test failure instead of a skip.
    public static let requireVariable = "WEIQUAN_REQUIRE_POSTGRES"

    /// The server's URL as given, or nil when the variable is unset or empty.
    public static var urlText: String? {
        guard let text = ProcessInfo.processInfo.environment[TestPostgres.urlVariable], !text.isEmpty else {
            return nil
        }
        return text
    }

    /// Whether a server was given (the URL variable is set).
    public static var isAvailable: Bool { TestPostgres.urlText != nil }

    /// Whether a server is required (`WEIQUAN_REQUIRE_POSTGRES=1`): PostgreSQL tests then run and fail without one.
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment[TestPostgres.requireVariable] == "1"
    }

    /// How long a test's pools may wait for a connection. The product's 2 s (answer the webhook before WeChat's 5 s)
    /// is a speed a loaded machine does not always give when every suite creates its databases and connects at once;
    /// a test of the timeout itself passes its own.
    public static let connectTimeout: Duration = .seconds(30)

    /// A ``PostgresDatabase`` for a test: the product's defaults but for ``connectTimeout``.
    public static func database(
        url: PostgresStoreURL, instanceID: String = UUID().uuidString, connections: Int = 16, lockConnections: Int = 32,
        statementTimeout: Duration = .seconds(5), logger: Logger = Logger(label: "weiquan.postgres")
    ) -> WeiquanPostgres.PostgresDatabase {
        WeiquanPostgres.PostgresDatabase(
            url: url, instanceID: instanceID, connections: connections, lockConnections: lockConnections,
            connectTimeout: TestPostgres.connectTimeout, statementTimeout: statementTimeout, logger: logger)
    }

    /// Whether PostgreSQL tests run: a server was given, or one is required (and its absence is a failure).
    public static var shouldRun: Bool { TestPostgres.isAvailable || TestPostgres.isRequired }

    /// The server's URL, parsed. Throws ``TestPostgresError`` when it is unset or not a `postgres://` URL.
    public static func serverURL() throws -> PostgresStoreURL {
        guard let text = TestPostgres.urlText else {
            throw TestPostgresError(
                "\(TestPostgres.requireVariable)=1 but \(TestPostgres.urlVariable) is not set: run the tests with "
                    + "scripts/test.sh, which starts a PostgreSQL server for them")
        }
        guard let url = PostgresStoreURL(text) else {
            throw TestPostgresError("\(TestPostgres.urlVariable) is not a postgres:// URL: \(text)")
        }
        return url
    }

    /// Creates a new, empty database on the server, named `weiquan_test_<random>`, and returns its URL. Drop it with
    /// ``dropDatabase(_:)`` (``withDatabase(_:)`` does both).
    public static func makeDatabase() async throws -> PostgresStoreURL {
        var url = try TestPostgres.serverURL()
        let name = "weiquan_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await TestPostgres.administer(url, #"CREATE DATABASE "\#(name)""#)
        url.database = name
        return url
    }

    /// Drops a database made by ``makeDatabase()``, ending any connection still open to it.
    public static func dropDatabase(_ url: PostgresStoreURL) async throws {
        guard url.database.hasPrefix("weiquan_test_"),
            url.database.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else {
            throw TestPostgresError("refusing to drop \(url.database): not a database made by makeDatabase()")
        }
        try await TestPostgres.administer(
            try TestPostgres.serverURL(), #"DROP DATABASE IF EXISTS "\#(url.database)" WITH (FORCE)"#)
    }

    /// Runs `body` with the URL of a new, empty database, dropped afterwards (also when `body` throws).
    public static func withDatabase<T>(_ body: (PostgresStoreURL) async throws -> T) async throws -> T {
        let url = try await TestPostgres.makeDatabase()
        let result: T
        do {
            result = try await body(url)
        } catch {
            try? await TestPostgres.dropDatabase(url)
            throw error
        }
        try await TestPostgres.dropDatabase(url)
        return result
    }

    /// Runs `body` with a ``PostgresDatabase`` on a new, empty database, its pools running meanwhile; afterwards stops
    /// them and drops the database. The schema is not created: call `PostgresDocumentStore.migrate()` for that.
    public static func withRunningDatabase<T>(
        instanceID: String = UUID().uuidString, _ body: (WeiquanPostgres.PostgresDatabase) async throws -> T
    ) async throws -> T {
        try await TestPostgres.withDatabase { url in
            let database = TestPostgres.database(url: url, instanceID: instanceID)
            let running = Task { try await database.run() }
            let result: T
            do {
                result = try await body(database)
            } catch {
                running.cancel()
                _ = await running.result
                throw error
            }
            running.cancel()
            _ = await running.result
            return result
        }
    }

    /// Runs one statement on a connection of its own to the server's database given in the URL.
    private static func administer(_ server: PostgresStoreURL, _ sql: String) async throws {
        var configuration = PostgresConnection.Configuration(
            host: server.host, port: server.port, username: server.username, password: server.password,
            database: server.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(10)
        let logger = Logger(label: "weiquan.test-postgres")
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw TestPostgresError("cannot connect to the test server \(server): \(String(reflecting: error))")
        }
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            try? await connection.close()
            throw TestPostgresError("\(sql) failed on \(server): \(String(reflecting: error))")
        }
        try await connection.close()
    }
}

/// The test server is missing, unreachable or refused a statement.
public struct TestPostgresError: Error, CustomStringConvertible {
    /// What went wrong, for a person.
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when a PostgreSQL server is given or required (see ``TestPostgres``).
    public static var postgres: Self {
        .enabled(
            if: TestPostgres.shouldRun,
            "no PostgreSQL server: set WEIQUAN_TEST_POSTGRES_URL, or run scripts/test.sh")
    }
}
