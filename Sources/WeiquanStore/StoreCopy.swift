import Foundation

/// Copies every document of a set of collections from one store to another (`weiquan store copy`: the
/// embedded store to PostgreSQL and back), then checks the copy by reading both back.
///
/// The copy goes collection by collection, in writes of at most ``batchSize`` documents, each atomic and
/// durable; the source's JSON bytes are written as they are. A destination that holds any document in the
/// collections is refused unless ``copy(collections:replacing:)`` is asked to replace it: then documents
/// the source does not have are deleted, so that the destination ends up equal to the source.
///
/// ``verify(collections:)`` compares counts, ids and each document's JSON after normalisation (PostgreSQL's
/// JSONB keeps neither key order nor spacing): both sides parsed and written again with sorted keys.
public struct StoreCopy: Sendable {
    /// How many documents of one collection were copied, and deleted from the destination.
    public struct Entry: Sendable, Equatable {
        public var collection: String
        public var copied: Int
        /// Documents the destination had and the source did not (only when replacing).
        public var deleted: Int

        public init(collection: String, copied: Int, deleted: Int) {
            self.collection = collection
            self.copied = copied
            self.deleted = deleted
        }
    }

    /// The most differences ``verify(collections:)`` lists (it counts them all).
    public static let differencesListed = 20

    public let source: any DocumentStore
    public let destination: any DocumentStore
    /// The most documents in one write.
    public let batchSize: Int

    /// A copy from `source` to `destination`, `batchSize` documents per write (at least 1).
    public init(from source: any DocumentStore, to destination: any DocumentStore, batchSize: Int = 500) {
        self.source = source
        self.destination = destination
        self.batchSize = max(1, batchSize)
    }

    /// Copies every document of `collections` (in the order given) and returns the counts per collection.
    ///
    /// `collections` must name every collection of either store (so that an unexpected one in the destination
    /// is noticed). Throws ``StoreCopyError/destinationNotEmpty(_:)`` (nothing written) when the destination
    /// holds a document in any of them and `replacing` is false; else the stores' errors.
    public func copy(collections: [String], replacing: Bool) async throws -> [Entry] {
        let collections = Self.unique(collections)
        var occupied: [String: Int] = [:]
        for collection in collections {
            let count = try await self.destination.count(collection: collection)
            if count > 0 { occupied[collection] = count }
        }
        guard occupied.isEmpty || replacing else {
            throw StoreCopyError.destinationNotEmpty(occupied)
        }
        var entries: [Entry] = []
        for collection in collections {
            let documents = try await self.source.documents(collection: collection)
            var deleted = 0
            if occupied[collection] != nil {
                let kept = Set(documents.map(\.id))
                let stale = try await self.destination.documents(collection: collection).map(\.id).filter {
                    !kept.contains($0)
                }
                deleted = stale.count
                try await self.write(stale.map { DocumentChange.delete(collection: collection, id: $0) })
            }
            try await self.write(documents.map { DocumentChange(collection: collection, id: $0.id, json: $0.json) })
            entries.append(Entry(collection: collection, copied: documents.count, deleted: deleted))
        }
        return entries
    }

    /// Reads both stores back and compares each of `collections`: counts, ids, and every document's JSON
    /// after normalisation. Returns the counts per collection; throws ``StoreCopyError/mismatch(_:total:)``
    /// listing the first ``differencesListed`` differences.
    public func verify(collections: [String]) async throws -> [(collection: String, count: Int)] {
        var differences: [StoreCopyDifference] = []
        var counts: [(collection: String, count: Int)] = []
        for collection in Self.unique(collections) {
            let original = try await self.source.documents(collection: collection)
            let copy = try await self.destination.documents(collection: collection)
            counts.append((collection, original.count))
            if original.count != copy.count {
                differences.append(.count(collection: collection, source: original.count, destination: copy.count))
            }
            let copied = Dictionary(copy.map { ($0.id, $0.json) }, uniquingKeysWith: { first, _ in first })
            for document in original {
                let key = DocumentKey(collection: collection, id: document.id)
                guard let json = copied[document.id] else {
                    differences.append(.missing(key))
                    continue
                }
                if Self.normalized(json) != Self.normalized(document.json) {
                    differences.append(.changed(key))
                }
            }
            let originalIDs = Set(original.map(\.id))
            for document in copy where !originalIDs.contains(document.id) {
                differences.append(.extra(DocumentKey(collection: collection, id: document.id)))
            }
        }
        guard differences.isEmpty else {
            throw StoreCopyError.mismatch(Array(differences.prefix(Self.differencesListed)), total: differences.count)
        }
        return counts
    }

    /// The JSON parsed and written again with sorted keys and without spacing; the bytes themselves when
    /// they are not JSON.
    public static func normalized(_ json: Data) -> Data {
        guard let value = try? JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed]),
            let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else {
            return json
        }
        return data
    }

    /// Writes `changes` in batches of ``batchSize``.
    private func write(_ changes: [DocumentChange]) async throws {
        var start = 0
        while start < changes.count {
            let end = min(start + self.batchSize, changes.count)
            try await self.destination.write(Array(changes[start..<end]))
            start = end
        }
    }

    /// The names in order, each once.
    static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }
}
