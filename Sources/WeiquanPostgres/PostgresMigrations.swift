import Logging
import PostgresNIO
import WeiquanStore

/// One step of the schema: statements run in one transaction, recorded as `version` in
/// `weiquan_schema_migrations`. Versions only ever grow; a step once released is never edited.
struct PostgresMigration: Sendable {
    var version: Int
    var name: String
    var statements: [String]
}

/// The schema's versions, and applying them. Each runs in its own transaction under a transaction-scoped advisory
/// lock, so several instances starting at once apply each version exactly once (the others wait, then see it done).
enum PostgresMigrations {
    /// The advisory lock key every migration transaction takes (`'weiquan_migrations'` as a number).
    static let lockKey: Int64 = 0x7765_6971_7561_6E6D

    /// Every version, in order.
    static let all: [PostgresMigration] = [
        PostgresMigration(
            version: 1,
            name: "documents",
            statements: [
                // Byte order (COLLATE "C") for the keys, so the primary key lists a collection in the file store's
                // order and compares ids exactly.
                """
                CREATE TABLE documents (
                    collection text COLLATE "C" NOT NULL,
                    id text COLLATE "C" NOT NULL,
                    json jsonb NOT NULL,
                    PRIMARY KEY (collection, id)
                )
                """,
                """
                CREATE INDEX documents_cases_applicant ON documents ((json ->> 'applicant'))
                WHERE collection = 'cases'
                """,
            ]
        ),
        // A whole write in one round trip (one statement, so one transaction): the creates, which must all be new
        // (else SQLSTATE WQ409 names the first that exists, and nothing is applied), the puts, the deletes and the
        // notification. Before, a write was BEGIN, up to three statements, pg_notify and COMMIT: five round trips.
        PostgresMigration(
            version: 2,
            name: "weiquan_write",
            statements: [
                """
                CREATE FUNCTION weiquan_write(
                    create_collections text[], create_ids text[], create_documents text[],
                    put_collections text[], put_ids text[], put_documents text[],
                    delete_collections text[], delete_ids text[], channel text, payload text
                ) RETURNS void LANGUAGE plpgsql AS $body$
                DECLARE
                    inserted text[];
                    taken text;
                BEGIN
                    IF cardinality(create_ids) > 0 THEN
                        WITH rows AS (
                            INSERT INTO documents (collection, id, json)
                            SELECT * FROM unnest(create_collections, create_ids, create_documents::jsonb[])
                            ON CONFLICT DO NOTHING
                            RETURNING collection, id
                        )
                        SELECT array_agg(collection || '/' || id) INTO inserted FROM rows;
                        IF coalesce(cardinality(inserted), 0) < cardinality(create_ids) THEN
                            SELECT k.collection || '/' || k.id INTO taken
                            FROM unnest(create_collections, create_ids) WITH ORDINALITY AS k(collection, id, n)
                            WHERE NOT (k.collection || '/' || k.id = ANY (coalesce(inserted, '{}')))
                            ORDER BY k.n LIMIT 1;
                            RAISE EXCEPTION USING ERRCODE = 'WQ409', MESSAGE = taken;
                        END IF;
                    END IF;
                    IF cardinality(put_ids) > 0 THEN
                        INSERT INTO documents (collection, id, json)
                        SELECT * FROM unnest(put_collections, put_ids, put_documents::jsonb[])
                        ON CONFLICT (collection, id) DO UPDATE SET json = excluded.json;
                    END IF;
                    IF cardinality(delete_ids) > 0 THEN
                        DELETE FROM documents AS d
                        USING unnest(delete_collections, delete_ids) AS k(collection, id)
                        WHERE d.collection = k.collection AND d.id = k.id;
                    END IF;
                    PERFORM pg_notify(channel, payload);
                END
                $body$
                """
            ]
        ),
        // Evidence the applicants sent (pictures, voice, video, files), fetched from WeChat's temporary media API
        // before it forgets them: the bytes where every instance reads them, one row per blob, keyed by the lowercase
        // hex of their SHA-256 (so the same bytes are kept once). The documents say which case they belong to.
        PostgresMigration(
            version: 3,
            name: "blobs",
            statements: [
                """
                CREATE TABLE blobs (
                    sha256 text COLLATE "C" PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
                    bytes bytea NOT NULL,
                    stored_at timestamptz NOT NULL DEFAULT now()
                )
                """
            ]
        ),
    ]

    /// The newest version this build knows.
    static var latestVersion: Int { PostgresMigrations.all.last?.version ?? 0 }

    static let createLedger = """
        CREATE TABLE IF NOT EXISTS weiquan_schema_migrations (
            version integer PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """

    /// Applies the versions the database lacks, each in one transaction; returns those applied now. Throws
    /// `.unsupportedVersion` if the database has a version this build does not know (a newer weiquan migrated it).
    static func apply(on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        var applied: [Int] = []
        for migration in PostgresMigrations.all {
            let done = try await connection.withTransaction(logger: logger) { connection in
                // Migrations may take long (an index on a big table); the lock wait is the other instance's migration.
                try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(\(PostgresMigrations.lockKey))", logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: PostgresMigrations.createLedger), logger: logger)
                let versions = try await PostgresMigrations.versions(on: connection, logger: logger)
                if let newest = versions.max(), newest > PostgresMigrations.latestVersion {
                    throw StoreError(
                        code: .unsupportedVersion,
                        message: "the database's schema is at version \(newest), newer than this weiquan knows "
                            + "(\(PostgresMigrations.latestVersion)): upgrade weiquan")
                }
                if versions.contains(migration.version) {
                    return false
                }
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO weiquan_schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
                return true
            }
            if done {
                logger.info(
                    "applied schema migration",
                    metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                applied.append(migration.version)
            }
        }
        return applied
    }

    /// The versions recorded; empty when there is no ledger yet.
    static func versions(on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        let exists = try await connection.query(
            "SELECT to_regclass('weiquan_schema_migrations') IS NOT NULL", logger: logger
        ).collect()
        guard let row = exists.first, try row.decode(Bool.self) else {
            return []
        }
        var versions: [Int] = []
        for try await version in try await connection.query(
            "SELECT version FROM weiquan_schema_migrations ORDER BY version", logger: logger
        ).decode(Int.self) {
            versions.append(version)
        }
        return versions
    }
}
