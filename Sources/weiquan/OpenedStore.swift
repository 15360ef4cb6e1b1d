import Foundation
import Logging
import WeiquanServer
import WeiquanStore

/// How a command uses a store.
enum StoreAccess: Sendable {
    /// Reads only: the embedded store is opened read-only, without its lock (the service may be running).
    case read
    /// Writes: the embedded store takes its directory's lock (the service must not be running on it).
    case write
}

/// A store open for one command: its documents, how instances agree, and where its tokens are.
struct OpenedStore: Sendable {
    /// Where it is.
    var location: StoreLocation
    /// The documents the service keeps (for the embedded store, without the tokens: those are in `tokens.json`).
    var documents: any DocumentStore
    /// How this process agrees with the service's instances on the same store.
    var coordination: any Coordination
    /// Where `weiquan token` finds and changes the tokens.
    var tokens: any TokenStorage
    /// The whole centre, tokens included, as `weiquan store copy` and `status` see it.
    var centre: any DocumentStore
    /// PostgreSQL: the schema version (after migrating, when the command migrates).
    var schemaVersion: Int?
    /// PostgreSQL: the migrations this open applied.
    var migrationsApplied: [Int]

    /// The data directory of an embedded store.
    var directory: String? {
        if case .embedded(let directory) = self.location { return directory }
        return nil
    }
}

extension StoreLocation {
    /// Opens the store, runs `body`, and closes the store (the database's pools stop) however `body` ends.
    ///
    /// PostgreSQL: the database is checked to be reachable first (a clear error within seconds, not the
    /// pool's retries) and, when `migrate` is true, brought to the current schema.
    func withStore<T: Sendable>(
        access: StoreAccess, migrate: Bool = true, logger: Logger = Logger(label: "weiquan"),
        _ body: @escaping @Sendable (OpenedStore) async throws -> T
    ) async throws -> T {
        switch self {
        case .embedded(let directory):
            return try await Self.withEmbedded(directory: directory, access: access, body)
        case .postgres(let url):
            return try await PostgresBackend.withStore(url: url, migrate: migrate, logger: logger, body)
        }
    }

    /// The tokens `weiquan token` administers: for the embedded store, `tokens.json` alone (the store is not
    /// opened, so this works while the service runs); for PostgreSQL, the `tokens` collection.
    func withTokenStorage<T: Sendable>(
        _ body: @escaping @Sendable (any TokenStorage) async throws -> T
    ) async throws -> T {
        switch self {
        case .embedded(let directory):
            return try await body(TokenFile(directory: URL(fileURLWithPath: directory)))
        case .postgres:
            return try await self.withStore(access: .write) { try await body($0.tokens) }
        }
    }

    private static func withEmbedded<T: Sendable>(
        directory: String, access: StoreAccess, _ body: @Sendable (OpenedStore) async throws -> T
    ) async throws -> T {
        let url = URL(fileURLWithPath: directory)
        let store: FileDocumentStore
        switch access {
        case .read:
            guard FileManager.default.fileExists(atPath: directory) else {
                throw CommandFailure("there is no data directory at '\(directory)' (give it with --data)")
            }
            store = try await FileDocumentStore.openReadOnly(directory: url)
        case .write:
            do {
                store = try await FileDocumentStore.open(directory: url)
            } catch let error as StoreError where error.code == .locked {
                throw CommandFailure(
                    "the data directory '\(directory)' is in use: \(error.message.split(separator: ";")[0]); "
                        + "stop the service that uses it first")
            }
        }
        let tokens = TokenFile(directory: url)
        let opened = OpenedStore(
            location: .embedded(directory: directory), documents: store, coordination: InProcessCoordination(),
            tokens: tokens, centre: TokenFileOverlay(base: store, tokens: tokens), schemaVersion: nil,
            migrationsApplied: []
        )
        do {
            let result = try await body(opened)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// The data directory the service uses when none is given: `$WEIQUAN_SERVER_DATA_DIRECTORY`, else `data`.
func defaultDataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    environment["WEIQUAN_SERVER_DATA_DIRECTORY"].flatMap { $0.isEmpty ? nil : $0 } ?? "data"
}
