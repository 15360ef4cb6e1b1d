import NIOCore
import PostgresNIO
import WeiquanStore

/// Blobs in the shared database's `blobs` table (schema version 3): one row per blob, its bytes in a `bytea`,
/// keyed by the lowercase hex of their SHA-256, so that every instance reads what any of them stored.
///
/// A put is `INSERT … ON CONFLICT DO NOTHING`: the same bytes put twice, even by two instances at once, keep one row.
/// Failures are `StoreError`s as for ``PostgresDocumentStore`` (`.unavailable` when the database cannot be reached).
public struct PostgresBlobStore: BlobStore {
    /// The database and its pools.
    public let database: PostgresDatabase

    /// Blobs on `database` (which must be running and migrated).
    public init(database: PostgresDatabase) {
        self.database = database
    }

    public func put(_ bytes: [UInt8], sha256: String) async throws {
        try BlobKey.check(sha256)
        let logger = self.database.logger
        let buffer = ByteBuffer(bytes: bytes)
        _ = try await self.run("storing blob \(sha256)") { connection in
            try await connection.query(
                "INSERT INTO blobs (sha256, bytes) VALUES (\(sha256), \(buffer)) ON CONFLICT (sha256) DO NOTHING",
                logger: logger)
        }
    }

    public func get(sha256: String) async throws -> [UInt8]? {
        try BlobKey.check(sha256)
        let logger = self.database.logger
        return try await self.run("reading blob \(sha256)") { connection -> [UInt8]? in
            let rows = try await connection.query(
                "SELECT bytes FROM blobs WHERE sha256 = \(sha256)", logger: logger
            ).decode(ByteBuffer.self)
            for try await buffer in rows {
                return Array(buffer.readableBytesView)
            }
            return nil
        }
    }

    public func delete(sha256: String) async throws {
        try BlobKey.check(sha256)
        let logger = self.database.logger
        _ = try await self.run("deleting blob \(sha256)") { connection in
            try await connection.query("DELETE FROM blobs WHERE sha256 = \(sha256)", logger: logger)
        }
    }

    private func run<T: Sendable>(
        _ action: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            return try await self.database.withConnection(body)
        } catch {
            throw PostgresStoreFailure.storeError(error, while: action, on: self.database.url)
        }
    }
}

extension PostgresDocumentStore: BlobStoreProviding {
    /// The `blobs` table of the same database.
    public var blobs: any BlobStore { PostgresBlobStore(database: self.database) }
}
