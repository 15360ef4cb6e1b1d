import Foundation
import Logging
import WeiquanPostgres
import WeiquanServer
import WeiquanStore

/// The PostgreSQL side of the CLI: everything that names the PostgreSQL store and coordination types.
///
/// `PostgresDocumentStore` and `PostgresCoordination` land on main from their own branches; until they do,
/// the code that uses them is kept under `WEIQUAN_POSTGRES_STORE` (not defined), and a PostgreSQL URL is
/// refused with a clear message.
enum PostgresBackend {
    /// The collections of the service, for stores that cannot list their own yet.
    static let knownCollections = ["audit", "cases", "conversations", "dedupe", "handoffs", "outbox", "tokens"]

    /// Every collection of `store` that holds a document.
    static func collections(of store: any DocumentStore) async throws -> [String] {
        #if WEIQUAN_POSTGRES_STORE
        return try await store.collections()
        #else
        var names: [String] = []
        for name in Self.knownCollections {
            if try await store.count(collection: name) > 0 { names.append(name) }
        }
        return names
        #endif
    }

    /// Checks the database answers, runs its pools while `body` runs, and migrates the schema first when
    /// `migrate` is true.
    static func withStore<T: Sendable>(
        url: PostgresStoreURL, migrate: Bool, logger: Logger,
        _ body: @escaping @Sendable (OpenedStore) async throws -> T
    ) async throws -> T {
        try await PostgresProbe.check(url, logger: logger)
        #if WEIQUAN_POSTGRES_STORE
        let database = PostgresDatabase(url: url, logger: logger)
        return try await database.withRunning {
            let store = PostgresDocumentStore(database: database)
            let applied = migrate ? try await store.migrate() : []
            let version = try await store.schemaVersion()
            let coordination = PostgresCoordination(database: database)
            let tokens = TokenCollection(store: store, coordination: coordination, storeDescription: url.description)
            let opened = OpenedStore(
                location: .postgres(url), documents: store, coordination: coordination, tokens: tokens,
                centre: store, schemaVersion: version, migrationsApplied: applied
            )
            return try await body(opened)
        }
        #else
        throw CommandFailure(
            "PostgreSQL stores (\(url)) are not available in this build yet: use the embedded store (--data)")
        #endif
    }
}
