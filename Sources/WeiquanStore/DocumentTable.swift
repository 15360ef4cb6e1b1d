import Foundation

/// The documents held in memory by collection and id, with each collection's ids kept sorted on demand.
/// Both stores serve every read from one of these.
struct DocumentTable: Sendable {
    /// Every collection that holds documents (an emptied collection is removed).
    private(set) var collections: [String: DocumentCollection] = [:]
    /// Sorted ids per collection, dropped when an id is added or removed (not when a document changes).
    private var sortedIDs: [String: [String]] = [:]

    /// An empty table.
    init() {}

    /// A table holding `collections`.
    init(collections: [String: [String: Data]]) {
        for (name, documents) in collections where !documents.isEmpty {
            self.collections[name] = DocumentCollection(documents)
        }
    }

    /// A table holding `collections` (as a snapshot is read).
    init(collections: [String: DocumentCollection]) {
        self.collections = collections.filter { $0.value.count > 0 }
    }

    /// How many documents all collections hold.
    var documentCount: Int {
        self.collections.values.reduce(0) { $0 + $1.count }
    }

    /// Applies changes in order.
    mutating func apply(_ changes: [DocumentChange]) {
        for change in changes {
            if let json = change.json {
                if self.collections[change.collection, default: DocumentCollection()].put(json, id: change.id) {
                    self.sortedIDs[change.collection] = nil
                }
            } else if self.collections[change.collection]?.remove(change.id) == true {
                self.sortedIDs[change.collection] = nil
                if self.collections[change.collection]?.count == 0 {
                    self.collections[change.collection] = nil
                }
            }
        }
    }

    /// One document's JSON.
    func document(collection: String, id: String) -> Data? {
        self.collections[collection]?[id]
    }

    /// Whether the collection holds the document.
    func contains(collection: String, id: String) -> Bool {
        self.collections[collection]?.contains(id) ?? false
    }

    /// Every document of a collection, ordered by id.
    mutating func documents(collection: String) -> [(id: String, json: Data)] {
        guard let documents = self.collections[collection] else {
            return []
        }
        let ids: [String]
        if let sorted = self.sortedIDs[collection] {
            ids = sorted
        } else {
            ids = documents.ids.sorted()
            self.sortedIDs[collection] = ids
        }
        var result: [(id: String, json: Data)] = []
        result.reserveCapacity(ids.count)
        for id in ids {
            if let json = documents[id] {
                result.append((id: id, json: json))
            }
        }
        return result
    }

    /// The names of the collections that hold documents, sorted.
    var collectionNames: [String] {
        self.collections.keys.sorted()
    }

    /// How many documents a collection holds.
    func count(collection: String) -> Int {
        self.collections[collection]?.count ?? 0
    }
}
