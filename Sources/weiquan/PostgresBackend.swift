import Foundation
import Logging
import WeiquanPostgres
import WeiquanServer
import WeiquanStore

/// The PostgreSQL side of the CLI: everything that names the PostgreSQL store and coordination types.
enum PostgresBackend {
    /// Every collection of `store` that holds a document.
    static func collections(of store: any DocumentStore) async throws -> [String] {
        try await store.collections()
    }

    /// Checks the database answers, runs its pools while `body` runs, and migrates the schema first when
    /// `migrate` is true.
    static func withStore<T: Sendable>(
        url: PostgresStoreURL, migrate: Bool, logger: Logger,
        _ body: @escaping @Sendable (OpenedStore) async throws -> T
    ) async throws -> T {
        try await PostgresProbe.check(url, logger: logger)
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
    }
}
