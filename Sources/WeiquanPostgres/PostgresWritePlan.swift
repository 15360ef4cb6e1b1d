import Logging
import PostgresNIO
import WeiquanStore

/// A write (its changes already validated) as at most three statements of one transaction: the creates, then the
/// upserts of every other document whose last change puts it, then the deletes of those whose last change deletes
/// it.
///
/// Changes to one document apply in order, so only a document's first change can meet the database: a create
/// after an earlier put of the same document in the write conflicts at once (no statement runs), and a create after
/// a delete of it is an ordinary put. The rows are sorted, so that concurrent writes lock shared documents in the
/// same order.
struct PostgresWritePlan: Sendable {
    /// Documents the database must not hold yet, with the JSON the create puts.
    private(set) var creates: [(key: DocumentKey, json: String)] = []
    /// Documents put (upserted) by the write, with their final JSON.
    private(set) var puts: [(key: DocumentKey, json: String)] = []
    /// Documents the write leaves deleted.
    private(set) var deletes: [DocumentKey] = []
    /// Every document written, in the order the write first names it (for the change notice).
    private(set) var touchedKeys: [DocumentKey] = []

    /// Plans validated changes; throws `.conflict` for a create that meets a document put earlier in the write.
    init(_ changes: [DocumentChange]) throws(StoreError) {
        // Whether each document exists after the changes so far, as far as the write itself tells.
        var known: [DocumentKey: Bool] = [:]
        var final: [DocumentKey: String?] = [:]
        var onlyCreated: Set<DocumentKey> = []
        for change in changes {
            let key = change.key
            let json = change.json.map { String(decoding: $0, as: UTF8.self) }
            if let existed = known[key] {
                onlyCreated.remove(key)
                if change.mustNotExist && existed {
                    throw PostgresWritePlan.conflict(key)
                }
            } else {
                self.touchedKeys.append(key)
                if change.mustNotExist, let json {
                    self.creates.append((key, json))
                    onlyCreated.insert(key)
                }
            }
            known[key] = json != nil
            final[key] = json
        }
        for (key, json) in final where !onlyCreated.contains(key) {
            if let json {
                self.puts.append((key, json))
            } else {
                self.deletes.append(key)
            }
        }
        self.creates.sort { PostgresWritePlan.precedes($0.key, $1.key) }
        self.puts.sort { PostgresWritePlan.precedes($0.key, $1.key) }
        self.deletes.sort(by: PostgresWritePlan.precedes)
    }

    /// Runs the statements on a connection inside a transaction; throws `.conflict` if a create met a row (the
    /// caller's transaction then rolls back).
    func apply(on connection: PostgresConnection, logger: Logger) async throws {
        if !self.creates.isEmpty {
            let collections = self.creates.map(\.key.collection)
            let ids = self.creates.map(\.key.id)
            let documents = self.creates.map(\.json)
            var inserted: Set<DocumentKey> = []
            for try await (collection, id) in try await connection.query(
                """
                INSERT INTO documents (collection, id, json)
                SELECT * FROM unnest(\(collections)::text[], \(ids)::text[], \(documents)::text[]::jsonb[])
                ON CONFLICT DO NOTHING
                RETURNING collection, id
                """,
                logger: logger
            ).decode((String, String).self) {
                inserted.insert(DocumentKey(collection: collection, id: id))
            }
            if let existing = self.creates.first(where: { !inserted.contains($0.key) }) {
                throw PostgresWritePlan.conflict(existing.key)
            }
        }
        if !self.puts.isEmpty {
            let collections = self.puts.map(\.key.collection)
            let ids = self.puts.map(\.key.id)
            let documents = self.puts.map(\.json)
            try await connection.query(
                """
                INSERT INTO documents (collection, id, json)
                SELECT * FROM unnest(\(collections)::text[], \(ids)::text[], \(documents)::text[]::jsonb[])
                ON CONFLICT (collection, id) DO UPDATE SET json = excluded.json
                """,
                logger: logger)
        }
        if !self.deletes.isEmpty {
            let collections = self.deletes.map(\.collection)
            let ids = self.deletes.map(\.id)
            try await connection.query(
                """
                DELETE FROM documents AS d
                USING unnest(\(collections)::text[], \(ids)::text[]) AS k(collection, id)
                WHERE d.collection = k.collection AND d.id = k.id
                """,
                logger: logger)
        }
    }

    /// The error of a create that met an existing document (worded as by the other stores).
    static func conflict(_ key: DocumentKey) -> StoreError {
        StoreError(
            code: .conflict,
            message: "\(key) exists already, and a change had to create it; nothing of the write was applied")
    }

    /// The order rows are written in: by collection, then id.
    private static func precedes(_ left: DocumentKey, _ right: DocumentKey) -> Bool {
        (left.collection, left.id) < (right.collection, right.id)
    }
}
