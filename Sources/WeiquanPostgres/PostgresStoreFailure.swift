import PostgresNIO
import WeiquanStore

/// Turns what PostgresNIO throws into the store's errors: the database out of reach, down, timed out or read-only is
/// `.unavailable` (the service stays up and tries again); a document PostgreSQL cannot hold is `.invalidDocument`;
/// anything else the server refuses is `.io`, with the server's message.
enum PostgresStoreFailure {
    /// SQLSTATEs after which the same transaction may simply be tried again.
    static let retryableStates: Set<String> = ["40001", "40P01"]

    /// The SQLSTATE of a server error, looking inside a transaction's error; nil for anything else.
    static func sqlState(of error: any Error) -> String? {
        switch error {
        case let error as PSQLError where error.code == .server:
            return error.serverInfo?[.sqlState]
        case let error as PostgresTransactionError:
            return (error.closureError ?? error.beginError ?? error.commitError).flatMap(Self.sqlState(of:))
        default:
            return nil
        }
    }

    /// The error to throw for `error`, which happened while doing `action` (such as "writing 3 documents") on
    /// `database`. Store errors and cancellation pass through unchanged.
    static func storeError(_ error: any Error, while action: String, on database: PostgresStoreURL) -> any Error {
        switch error {
        case is StoreError, is CancellationError:
            return error
        case let error as PostgresTransactionError:
            if let closureError = error.closureError {
                return Self.storeError(closureError, while: action, on: database)
            }
            if let beginError = error.beginError {
                return Self.storeError(beginError, while: action, on: database)
            }
            let reason = error.commitError.map { Self.reason($0) } ?? "no reason given"
            return StoreError(
                code: .unavailable,
                message: "\(action) on \(database): the commit failed (\(reason)); whether it was applied is not known")
        case let error as PSQLError where error.code == .server:
            return Self.serverError(error, while: action, on: database)
        default:
            return StoreError(
                code: .unavailable,
                message: "\(action) on \(database) failed: the database cannot be reached (\(Self.reason(error)))")
        }
    }

    private static func serverError(_ error: PSQLError, while action: String, on database: PostgresStoreURL)
        -> StoreError
    {
        let state = error.serverInfo?[.sqlState] ?? "?????"
        let message = error.serverInfo?[.message] ?? "no message"
        let text = "\(action) on \(database) failed: \(message) (SQLSTATE \(state))"
        switch state {
        case "22P05", "22021", "54000":
            // A \u0000 escape (jsonb cannot hold it), bytes that are not text, a document too large.
            return StoreError(code: .invalidDocument, message: text)
        case "57014":
            return StoreError(code: .unavailable, message: text + "; a statement ran into the timeout")
        case "42P01", "3D000":
            return StoreError(
                code: .notFound, message: text + "; has the schema been created (weiquan's migrations run)?")
        case "25006":
            return StoreError(code: .unavailable, message: text + "; the database is read-only (a standby?)")
        default:
            let unavailableClasses = ["08", "40", "53", "55", "57", "58", "XX"]
            if unavailableClasses.contains(where: { state.hasPrefix($0) }) {
                return StoreError(code: .unavailable, message: text)
            }
            return StoreError(code: .io, message: text)
        }
    }

    /// A failure's details (PostgresNIO's `description` hides them on purpose; these are for the operator's log).
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return message
            }
            if let underlying = error.underlying {
                return "\(error.code): \(underlying)"
            }
            return "\(error.code)"
        }
        return String(describing: error)
    }
}
