import Foundation

/// A store of JSON documents grouped in collections: the durable file store, or its in-memory twin.
///
/// Reads see every write that has returned, and nothing of a write that has not.
public protocol DocumentStore: Sendable {
    /// Applies the changes atomically (all or none after a crash) and returns only when they are durable.
    ///
    /// Throws `StoreError` `.invalidDocument` (nothing written) if a change is not one JSON object or has
    /// an empty collection or id, and `.conflict` (nothing written) if a change that must create its document
    /// (``DocumentChange/mustNotExist``) meets one that exists when the write applies. Changes to the same
    /// document apply in order (a create after a delete of that document succeeds, a second create of it
    /// conflicts); an empty list does nothing.
    func write(_ changes: [DocumentChange]) async throws
    /// The JSON of one document, or nil if there is none.
    func document(collection: String, id: String) async throws -> Data?
    /// Every document of a collection, ordered by id.
    func documents(collection: String) async throws -> [(id: String, json: Data)]
    /// The JSON of each of `keys` that exists, read together (one round trip on a database); the default reads
    /// them one by one.
    func documents(_ keys: [DocumentKey]) async throws -> [DocumentKey: Data]
    /// How many documents a collection holds.
    func count(collection: String) async throws -> Int
    /// The names of the collections that hold at least one document, sorted like ids.
    func collections() async throws -> [String]
    /// Throws if a write would fail now (for /healthz): e.g. the directory is gone or read-only.
    func checkWritable() async throws
    /// Starts ``write(_:)`` and tells `completion` its outcome once the changes are durable (or why they are not),
    /// without the caller waiting: a caller that may stop waiting (WeChat's reply budget) and leave the rest of its
    /// work to whoever is told. The default runs ``write(_:)`` in a task of its own.
    func startWrite(_ changes: [DocumentChange], completion: @escaping @Sendable (Result<Void, any Error>) -> Void)
    /// Whether reads answer from memory without waiting (no disk, no network): work that only reads may then run
    /// inside a short budget, leaving only the durable write to wait for. The default is false.
    var readsAreImmediate: Bool { get }
}

extension DocumentStore {
    public func startWrite(
        _ changes: [DocumentChange], completion: @escaping @Sendable (Result<Void, any Error>) -> Void
    ) {
        Task {
            do {
                try await self.write(changes)
                completion(.success(()))
            } catch {
                completion(.failure(error))
            }
        }
    }

    public var readsAreImmediate: Bool { false }

    public func documents(_ keys: [DocumentKey]) async throws -> [DocumentKey: Data] {
        var found: [DocumentKey: Data] = [:]
        for key in keys {
            found[key] = try await self.document(collection: key.collection, id: key.id)
        }
        return found
    }

    /// Stores one typed document (one durable write).
    public func put<D: StoredDocument>(_ document: D) async throws {
        try await self.write([DocumentChange.put(document)])
    }

    /// Stores several typed documents in one atomic, durable write.
    public func put<D: StoredDocument>(contentsOf documents: [D]) async throws {
        try await self.write(documents.map { try DocumentChange.put($0) })
    }

    /// The typed document `id` of `type`'s collection, or nil if there is none.
    public func get<D: StoredDocument>(_ type: D.Type, id: String) async throws -> D? {
        guard let json = try await self.document(collection: D.collection, id: id) else {
            return nil
        }
        return try Self.decode(type, id: id, from: json)
    }

    /// Every document of `type`'s collection, ordered by id.
    public func all<D: StoredDocument>(_ type: D.Type) async throws -> [D] {
        try await self.documents(collection: D.collection).map { try Self.decode(type, id: $0.id, from: $0.json) }
    }

    /// Deletes the typed document `id` (nothing happens if there is none).
    public func delete<D: StoredDocument>(_ type: D.Type, id: String) async throws {
        try await self.write([DocumentChange.delete(type, id: id)])
    }

    /// How many documents `type`'s collection holds.
    public func count<D: StoredDocument>(_ type: D.Type) async throws -> Int {
        try await self.count(collection: D.collection)
    }

    private static func decode<D: StoredDocument>(_ type: D.Type, id: String, from json: Data) throws -> D {
        try StoreCoding.decode(type, key: DocumentKey(collection: D.collection, id: id), from: json)
    }
}
