import ArgumentParser
import Foundation
import WeiquanPostgres

/// Where a centre's store is: the embedded store in a data directory, or a PostgreSQL database.
enum StoreLocation: Sendable, CustomStringConvertible {
    /// The embedded journal store (and `tokens.json`) in this directory.
    case embedded(directory: String)
    /// A PostgreSQL database.
    case postgres(PostgresStoreURL)

    /// Reads `postgres://…` or `postgresql://…` as a database and anything else without a scheme as a
    /// directory. Throws a ``StoreLocationError`` for another scheme or a malformed PostgreSQL URL (the
    /// message never repeats the text, which may hold a password).
    init(parsing text: String) throws(StoreLocationError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard let url = PostgresStoreURL(text) else {
                throw .malformedURL
            }
            self = .postgres(url)
        } else if let range = text.range(of: "://") {
            throw .unsupportedScheme(String(text[..<range.lowerBound]))
        } else if text.isEmpty {
            throw .emptyDirectory
        } else {
            self = .embedded(directory: text)
        }
    }

    /// The directory, or the URL without its password.
    var description: String {
        switch self {
        case .embedded(let directory): return "the embedded store in \(directory)"
        case .postgres(let url): return "PostgreSQL at \(url)"
        }
    }
}

/// Why a `--store`, `--from` or `--to` value names no store.
enum StoreLocationError: Error, CustomStringConvertible, Equatable {
    case malformedURL
    case unsupportedScheme(String)
    case emptyDirectory
    /// `--store` named a directory (only URLs go there; directories go to `--data`).
    case notAURL
    /// Both `--store` and `--data` were given.
    case storeAndData

    var description: String {
        switch self {
        case .malformedURL:
            return "the PostgreSQL URL is not valid: write postgres://user[:password]@host[:port]/database"
        case .unsupportedScheme(let scheme):
            return "'\(scheme)://' stores are not supported: give postgres://user@host:port/database or a directory"
        case .emptyDirectory:
            return "the store's directory is empty text"
        case .notAURL:
            return "--store takes a PostgreSQL URL (postgres://user@host:port/database); "
                + "give the embedded store's directory with --data"
        case .storeAndData:
            return "give --store (PostgreSQL) or --data (the embedded store), not both"
        }
    }
}
