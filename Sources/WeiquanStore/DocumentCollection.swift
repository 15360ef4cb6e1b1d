import Foundation

/// The documents of one collection, id → JSON, split into 64 shards by the id's hash.
///
/// The split keeps the writer's pauses short: a compaction takes a copy-on-write copy of the whole table,
/// and the next change to a collection then copies only the one shard it touches (1/64 of the
/// collection), not the whole collection at once; a growing collection likewise rehashes, and a churned one
/// compacts its records (``DocumentShard``), one shard at a time.
struct DocumentCollection: Sendable {
    private static let shardCount = 64
    private var shards: [DocumentShard]
    /// How many documents the collection holds.
    private(set) var count = 0

    /// An empty collection.
    init() {
        self.shards = Array(repeating: DocumentShard(), count: DocumentCollection.shardCount)
    }

    /// A collection holding `documents`.
    init(_ documents: [String: Data]) {
        self.init()
        for (id, json) in documents {
            self.put(json, id: id)
        }
    }

    /// Runs `body` with the id's UTF-8 bytes and their hash.
    private static func withKey<Result>(
        _ id: String, _ body: (UnsafeRawBufferPointer, Int) throws -> Result
    ) rethrows -> Result {
        var id = id
        return try id.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            return try body(bytes, DocumentShard.hash(bytes))
        }
    }

    /// One document's JSON.
    subscript(id: String) -> Data? {
        self.withJSON(id) { Data($0) }
    }

    /// The JSON of the document `id` handed to `body` (no copy), or nil when there is none.
    func withJSON<Result>(_ id: String, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result? {
        try Self.withKey(id) { bytes, hash in
            try self.shards[hash & (Self.shardCount - 1)].withJSON(id: bytes, hash: hash, body)
        }
    }

    /// Whether the collection holds the document `id`.
    func contains(_ id: String) -> Bool {
        Self.withKey(id) { bytes, hash in self.shards[hash & (Self.shardCount - 1)].contains(id: bytes, hash: hash) }
    }

    /// Puts a document; returns whether it is new.
    @discardableResult
    mutating func put(_ json: Data, id: String) -> Bool {
        json.withUnsafeBytes { self.put(bytes: $0, id: id) }
    }

    /// Puts a document whose JSON is `json` (copied); returns whether it is new.
    @discardableResult
    mutating func put(bytes json: UnsafeRawBufferPointer, id: String) -> Bool {
        let isNew = Self.withKey(id) { bytes, hash in
            self.shards[hash & (Self.shardCount - 1)].put(id: bytes, hash: hash, json: json)
        }
        if isNew {
            self.count += 1
        }
        return isNew
    }

    /// Removes a document; returns whether it was held.
    @discardableResult
    mutating func remove(_ id: String) -> Bool {
        let removed = Self.withKey(id) { bytes, hash in
            self.shards[hash & (Self.shardCount - 1)].remove(id: bytes, hash: hash)
        }
        if removed {
            self.count -= 1
        }
        return removed
    }

    /// Calls `body` with each document's id and JSON, in ascending order of the ids' bytes, without copying
    /// either (the snapshot writer: no string or `Data` a document).
    func forEachInIDOrder<Failure: Error>(
        _ body: (_ id: UnsafeRawBufferPointer, _ json: UnsafeRawBufferPointer) throws(Failure) -> Void
    ) throws(Failure) {
        var starts: [UnsafeRawPointer] = []
        starts.reserveCapacity(self.count)
        for shard in self.shards { shard.appendRecordStarts(to: &starts) }
        starts.sort(by: DocumentShard.idPrecedes)
        // The records live in the shards' chunks, which `self` holds until the end.
        defer { withExtendedLifetime(self.shards) {} }
        for start in starts {
            let record = DocumentShard.record(at: start)
            try body(record.id, record.json)
        }
    }

    /// Every id, in no particular order.
    var ids: [String] {
        var ids: [String] = []
        ids.reserveCapacity(self.count)
        for shard in self.shards {
            shard.forEach { id, _ in ids.append(String(decoding: id, as: UTF8.self)) }
        }
        return ids
    }

    /// The bytes of the documents held, of those replaced or deleted and not yet compacted away, and of the
    /// chunks holding both (with room to grow).
    var memory: (live: Int, dead: Int, chunks: Int) {
        self.shards.reduce((0, 0, 0)) { ($0.0 + $1.liveBytes, $0.1 + $1.deadBytes, $0.2 + $1.chunkBytes) }
    }
}
