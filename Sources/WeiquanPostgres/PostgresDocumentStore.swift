import Foundation
import Logging
import PostgresNIO
import WeiquanStore

/// The document store on a PostgreSQL database that several instances share: table `documents`, one row per
/// document, its JSON in a `jsonb` column (`SELECT json FROM documents WHERE collection = 'cases'` shows it).
///
/// A write is one transaction: its creates are `INSERT … ON CONFLICT DO NOTHING` (a create that met a row fails the
/// whole transaction with `.conflict`), its other puts upserts, its deletes deletes, and a change notice
/// (``PostgresChangeNotice``) goes out on commit. Changes are checked exactly as by the other stores first.
///
/// jsonb keeps a document's values, not its bytes: reads return the same JSON with keys ordered and spacing
/// normalised by PostgreSQL (`1.5e3` reads back as `1500`), which decodes to the same typed document. jsonb cannot hold
/// the escape `\u0000`; a document with one is rejected (`.invalidDocument`).
///
/// Every call fails with `StoreError` `.unavailable` when the database cannot be reached within the database's
/// `connectTimeout` or a statement passes its `statementTimeout`; the pool reconnects on its own, so a later call
/// works again once the database is back. ``PostgresDatabase/run()`` must be running. Call ``migrate()`` once at
/// start-up before anything else.
public final class PostgresDocumentStore: DocumentStore {
    /// The database and its pools.
    public let database: PostgresDatabase
    private let logger: Logger

    /// A store on `database` (which must be running for any call to work).
    public init(database: PostgresDatabase) {
        self.database = database
        self.logger = database.logger
    }

    /// Brings the schema up to date: applies, in order, each version the database lacks (one transaction each,
    /// recorded in `weiquan_schema_migrations`), safe when several instances start at once. Returns the versions
    /// applied now (empty when the schema was up to date). Throws `.unsupportedVersion` if a newer weiquan migrated
    /// the database.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let logger = self.logger
        return try await self.run("migrating the schema") { connection in
            try await PostgresMigrations.apply(on: connection, logger: logger)
        }
    }

    /// The newest schema version applied to the database (0 for a database never migrated).
    public func schemaVersion() async throws -> Int {
        let logger = self.logger
        return try await self.run("reading the schema version") { connection in
            try await PostgresMigrations.versions(on: connection, logger: logger).max() ?? 0
        }
    }

    /// The schema version this build migrates to.
    public static var latestSchemaVersion: Int { PostgresMigrations.latestVersion }

    /// Applies the changes in one transaction, and returns once it is committed (durable on the database).
    ///
    /// Throws `.invalidDocument` (nothing written) for a bad change, `.conflict` (nothing written) for a create that
    /// meets an existing document, `.unavailable` when the database cannot be reached (if the commit itself was cut
    /// off, whether the write applied is not known).
    public func write(_ changes: [DocumentChange]) async throws {
        if changes.isEmpty {
            return
        }
        let plan = try PostgresWritePlan(try DocumentChange.validated(changes))
        let notice = PostgresChangeNotice(instanceID: self.database.instanceID, keys: plan.touchedKeys)
        let logger = self.logger
        let action = "writing \(changes.count) change\(changes.count == 1 ? "" : "s")"
        try await self.run(action, attempts: 3) { connection in
            try await plan.apply(notifying: notice, on: connection, logger: logger)
        }
    }

    /// The JSON of one document, or nil if there is none.
    public func document(collection: String, id: String) async throws -> Data? {
        let logger = self.logger
        return try await self.run("reading \(collection)/\(id)") { connection in
            let rows = try await connection.query(
                "SELECT json::text FROM documents WHERE collection = \(collection) AND id = \(id)", logger: logger
            ).decode(String.self)
            for try await json in rows {
                return Data(json.utf8)
            }
            return nil
        }
    }

    /// Every document of a collection, ordered by id (byte order, like the other stores).
    /// The documents of `keys` that exist, in one query.
    public func documents(_ keys: [DocumentKey]) async throws -> [DocumentKey: Data] {
        guard !keys.isEmpty else { return [:] }
        let logger = self.logger
        let collections = keys.map(\.collection)
        let ids = keys.map(\.id)
        let rows = try await self.run("reading \(keys.count) documents") { connection in
            var found: [PostgresKeyedRow] = []
            for try await (collection, id, json) in try await connection.query(
                """
                SELECT d.collection, d.id, d.json::text FROM documents AS d
                JOIN unnest(\(collections)::text[], \(ids)::text[]) AS k(collection, id)
                ON d.collection = k.collection AND d.id = k.id
                """,
                logger: logger
            ).decode((String, String, String).self) {
                found.append(PostgresKeyedRow(collection: collection, id: id, json: json))
            }
            return found
        }
        var documents: [DocumentKey: Data] = [:]
        for row in rows { documents[DocumentKey(collection: row.collection, id: row.id)] = Data(row.json.utf8) }
        return documents
    }

    public func documents(collection: String) async throws -> [(id: String, json: Data)] {
        let logger = self.logger
        let rows = try await self.run("reading the collection \(collection)") { connection in
            var documents: [PostgresDocumentRow] = []
            for try await (id, json) in try await connection.query(
                #"SELECT id, json::text FROM documents WHERE collection = \#(collection) ORDER BY id COLLATE "C""#,
                logger: logger
            ).decode((String, String).self) {
                documents.append(PostgresDocumentRow(id: id, json: json))
            }
            return documents
        }
        return rows.map { (id: $0.id, json: Data($0.json.utf8)) }
    }

    /// How many documents a collection holds.
    public func count(collection: String) async throws -> Int {
        let logger = self.logger
        return try await self.run("counting the collection \(collection)") { connection in
            let rows = try await connection.query(
                "SELECT count(*) FROM documents WHERE collection = \(collection)", logger: logger
            ).decode(Int.self)
            for try await count in rows {
                return count
            }
            return 0
        }
    }

    /// The names of the collections that hold documents, in byte order (the column is `COLLATE "C"`).
    public func collections() async throws -> [String] {
        let logger = self.logger
        return try await self.run("listing the collections") { connection in
            var names: [String] = []
            for try await name in try await connection.query(
                "SELECT DISTINCT collection FROM documents ORDER BY collection", logger: logger
            ).decode(String.self) {
                names.append(name)
            }
            return names
        }
    }

    /// Throws `.unavailable` unless the database answers within the timeouts and accepts writes (not a standby, not
    /// read-only), and `.notFound` if the schema is missing.
    public func checkWritable() async throws {
        let logger = self.logger
        let url = self.database.url
        try await self.run("checking the database") { connection in
            let rows = try await connection.query(
                """
                SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on',
                    to_regclass('documents') IS NOT NULL
                """,
                logger: logger
            ).decode((Bool, Bool).self)
            for try await (readOnly, hasSchema) in rows {
                if readOnly {
                    throw StoreError(
                        code: .unavailable, message: "the database \(url) is read-only (a standby?): writes would fail")
                }
                if !hasSchema {
                    throw StoreError(
                        code: .notFound, message: "the database \(url) has no documents table: run the migrations")
                }
            }
        }
    }

    /// Runs `body` on a connection of the store pool, turning failures into `StoreError`s. A deadlock or
    /// serialization failure (everything rolled back) is tried again, up to `attempts` runs in all.
    private func run<T: Sendable>(
        _ action: String, attempts: Int = 1, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await self.database.withConnection(body)
            } catch {
                if attempt < attempts, let state = PostgresStoreFailure.sqlState(of: error),
                    PostgresStoreFailure.retryableStates.contains(state)
                {
                    attempt += 1
                    continue
                }
                throw PostgresStoreFailure.storeError(error, while: action, on: self.database.url)
            }
        }
    }
}

/// One row of a collection listing, as read.
private struct PostgresKeyedRow: Sendable {
    var collection: String
    var id: String
    var json: String
}

private struct PostgresDocumentRow: Sendable {
    var id: String
    var json: String
}
