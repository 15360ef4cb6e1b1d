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

    /// Applies the plan and sends `notice` in one statement (``PostgresMigrations`` version 2, `weiquan_write`):
    /// one round trip, all or nothing. A create that meets an existing document fails the statement with
    /// SQLSTATE `WQ409`, which becomes ``conflict(_:)``.
    func apply(notifying notice: PostgresChangeNotice, on connection: PostgresConnection, logger: Logger) async throws {
        let creates = (self.creates.map(\.key.collection), self.creates.map(\.key.id), self.creates.map(\.json))
        let puts = (self.puts.map(\.key.collection), self.puts.map(\.key.id), self.puts.map(\.json))
        let deletes = (self.deletes.map(\.collection), self.deletes.map(\.id))
        do {
            // The statement's error (a conflict, a timeout) comes with its result row: read it.
            _ = try await connection.query(
                """
                SELECT weiquan_write(\(creates.0)::text[], \(creates.1)::text[], \(creates.2)::text[],
                    \(puts.0)::text[], \(puts.1)::text[], \(puts.2)::text[], \(deletes.0)::text[], \(deletes.1)::text[],
                    \(PostgresChangeNotice.channel), \(notice.payload))::text
                """,
                logger: logger
            ).collect()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == Self.conflictState {
            let taken = error.serverInfo?[.message] ?? ""
            let key = self.creates.first { "\($0.key)" == taken }?.key ?? self.creates.first?.key
            throw Self.conflict(key ?? DocumentKey(collection: "?", id: taken))
        }
    }

    /// The SQLSTATE `weiquan_write` raises for a create of a document that exists.
    static let conflictState = "WQ409"

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
