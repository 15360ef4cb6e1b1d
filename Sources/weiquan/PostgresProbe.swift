import Logging
import PostgresNIO
import WeiquanPostgres

/// One connection to the database before the pools start, so that a wrong URL, a wrong password or a
/// database that is down is reported at once and in plain words (the pools would retry for a minute and
/// then say only that they gave up).
enum PostgresProbe {
    /// Connects and disconnects; throws a ``CommandFailure`` naming the database (without its password).
    static func check(
        _ url: PostgresStoreURL, timeout: TimeAmount = .seconds(5), logger: Logger
    ) async throws {
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: .disable
        )
        configuration.options.connectTimeout = timeout
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw CommandFailure("cannot open the PostgreSQL store \(url): \(Self.reason(error))")
        }
    }

    /// What went wrong, in the server's words when it answered, else the connection's.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else {
            return "\(error)"
        }
        if let message = error.serverInfo?[.message] {
            return message
        }
        let hint = "is the server running, and are the host and port right?"
        if let underlying = error.underlying {
            return "\(underlying) (\(hint))"
        }
        return "no connection (\(error.code)): \(hint)"
    }
}
