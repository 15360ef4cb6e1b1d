import Foundation

/// The documents of one collection, `[id: JSON]`, split into 64 dictionaries by the id's hash.
///
/// The split keeps the writer's pauses short: a compaction takes a copy-on-write copy of the whole table,
/// and the next change to a collection then copies only the one shard it touches (1/64 of the
/// collection), not the whole collection at once; a growing collection likewise rehashes one shard at a
/// time.
struct DocumentCollection: Sendable {
    private static let shardCount = 64
    private var shards: [[String: Data]]
    /// How many documents the collection holds.
    private(set) var count = 0

    /// An empty collection.
    init() {
        self.shards = Array(repeating: [:], count: DocumentCollection.shardCount)
    }

    /// A collection holding `documents`.
    init(_ documents: [String: Data]) {
        self.init()
        for (id, json) in documents {
            _ = self.updateValue(json, forKey: id)
        }
    }

    private static func shard(of id: String) -> Int {
        id.hashValue & (DocumentCollection.shardCount - 1)
    }

    /// One document's JSON.
    subscript(id: String) -> Data? {
        self.shards[DocumentCollection.shard(of: id)][id]
    }

    /// Puts a document; returns the JSON it replaced.
    mutating func updateValue(_ json: Data, forKey id: String) -> Data? {
        let old = self.shards[DocumentCollection.shard(of: id)].updateValue(json, forKey: id)
        if old == nil {
            self.count += 1
        }
        return old
    }

    /// Removes a document; returns its JSON.
    mutating func removeValue(forKey id: String) -> Data? {
        let old = self.shards[DocumentCollection.shard(of: id)].removeValue(forKey: id)
        if old != nil {
            self.count -= 1
        }
        return old
    }

    /// Every id, in no particular order.
    var ids: [String] {
        var ids: [String] = []
        ids.reserveCapacity(self.count)
        for shard in self.shards {
            ids.append(contentsOf: shard.keys)
        }
        return ids
    }
}
