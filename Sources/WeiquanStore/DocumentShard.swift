import Foundation

/// The documents of one shard of a ``DocumentCollection``: each document's id and JSON packed one after another
/// into large chunks of bytes, found through an open-addressing table of 12-byte slots.
///
/// Held as `[String: Data]`, a document cost two heap objects (the `Data`'s storage and its bytes) and, for an id
/// longer than 15 bytes (a WeChat OpenID has 28), a string; and the documents freed a few minutes after they were
/// made (the retry answers) left holes between the ones that stay, which the allocator could not give back: a
/// service that had answered 100,000 applicants held twice the memory its documents needed. Here a document costs
/// its bytes, 8 bytes of lengths and a slot. A replaced or deleted document leaves dead bytes in its chunk; when a
/// shard's dead bytes outweigh half its live ones, the live documents are copied into one fresh chunk and the old
/// chunks are freed whole.
///
/// Ids are compared by their UTF-8 bytes (as PostgreSQL compares text), not by Unicode canonical equivalence.
///
/// Value semantics: bytes once written in a chunk are never written again. A copy of the shard (a compaction's
/// snapshot, read on another thread) keeps alive the chunks it refers to, and a shard that finds itself copied
/// appends to a chunk of its own from then on.
struct DocumentShard: Sendable {
    /// Where a document's record is, and a part of its id's hash.
    private struct Slot {
        /// Bits of the id's hash: where the probe starts, and a quick test before the ids are compared.
        var hash: UInt32
        /// The chunk holding the record, or ``Slot/empty`` / ``Slot/removed``.
        var chunk: UInt32
        /// The record's offset in its chunk.
        var offset: UInt32

        static let empty: UInt32 = .max
        static let removed: UInt32 = .max - 1
        var isInUse: Bool { self.chunk < Slot.removed }
    }

    /// Bytes the records are appended to. Only the shard that made a chunk appends to it, and only past `used`.
    ///
    /// A chunk of a page (4 KB) or more is mapped from the system on its own (whole pages) instead of taken from the
    /// allocator's heap: the heap then holds only short-lived things, and what they leave when freed (the retry
    /// answers of a burst, say) is given back instead of being held between chunks that stay. glibc maps large
    /// blocks itself only above a threshold that rises each time one is freed, so it is not left to decide.
    private final class Chunk: @unchecked Sendable {
        /// Chunks at least this large are mapped on their own.
        static let mappedFrom = 4 << 10
        static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

        let bytes: UnsafeMutableRawPointer
        let capacity: Int
        var used = 0
        private let isMapped: Bool

        init(capacity requested: Int) {
            if requested >= Chunk.mappedFrom, let mapped = Chunk.map(requested) {
                (self.bytes, self.capacity, self.isMapped) = (mapped.bytes, mapped.capacity, true)
            } else {
                self.bytes = .allocate(byteCount: max(requested, 1), alignment: 8)
                (self.capacity, self.isMapped) = (requested, false)
            }
        }

        /// Writes a record (the two lengths, the id, the JSON) past `used`; returns its offset. The caller made sure
        /// that it fits.
        func append(id: UnsafeRawBufferPointer, json: UnsafeRawBufferPointer) -> Int {
            let offset = self.used
            let start = self.bytes + offset
            start.storeBytes(of: UInt32(id.count), toByteOffset: 0, as: UInt32.self)
            start.storeBytes(of: UInt32(json.count), toByteOffset: 4, as: UInt32.self)
            if let base = id.baseAddress {
                (start + DocumentShard.headerSize).copyMemory(from: base, byteCount: id.count)
            }
            if let base = json.baseAddress {
                (start + DocumentShard.headerSize + id.count).copyMemory(from: base, byteCount: json.count)
            }
            self.used += DocumentShard.headerSize + id.count + json.count
            return offset
        }

        deinit {
            if self.isMapped {
                munmap(self.bytes, self.capacity)
            } else {
                self.bytes.deallocate()
            }
        }

        /// Whole pages for at least `size` bytes, or nil when the system refuses (the heap is used then).
        private static func map(_ size: Int) -> (bytes: UnsafeMutableRawPointer, capacity: Int)? {
            let capacity = (size + Chunk.pageSize - 1) / Chunk.pageSize * Chunk.pageSize
            guard let bytes = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                bytes != UnsafeMutableRawPointer(bitPattern: -1)
            else { return nil }
            return (bytes, capacity)
        }
    }

    /// Shared by the copies of a shard: a shard that does not hold it alone has been copied.
    private final class Owner: Sendable {}

    /// A record: the id's and the JSON's lengths (4 bytes each), the id, the JSON.
    private static let headerSize = 8
    /// The smallest and largest chunk made for records that are not larger themselves.
    static let smallestChunk = 1 << 10
    static let largestChunk = 1 << 18
    /// Dead bytes below this are left in place.
    static let deadBytesWorthCompacting = 4 << 10

    /// The slots; their count is 0 or a power of two, and at least a quarter of them are empty.
    private var slots: [Slot] = []
    private var chunks: [Chunk] = []
    private var owner = Owner()
    /// Whether the last chunk may be appended to (it is this shard's alone).
    private var appendable = false
    /// How many documents the shard holds.
    private(set) var count = 0
    private var removedSlots = 0
    /// The records' bytes of the documents held, and of those replaced or deleted.
    private(set) var liveBytes = 0
    private(set) var deadBytes = 0

    /// An empty shard.
    init() {}

    /// How many bytes the chunks have (for tests and benchmarks).
    var chunkBytes: Int { self.chunks.reduce(0) { $0 + $1.capacity } }

    /// The JSON of the document `id` (UTF-8, its `hash` from ``DocumentShard/hash(_:)``), handed to `body`.
    func withJSON<Result>(
        id: UnsafeRawBufferPointer, hash: Int, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result? {
        guard let index = self.find(id, hash: hash) else { return nil }
        return try self.withRecord(self.slots[index]) { _, json in try body(json) }
    }

    /// Whether the shard holds the document `id`.
    func contains(id: UnsafeRawBufferPointer, hash: Int) -> Bool {
        self.find(id, hash: hash) != nil
    }

    /// Puts the document; returns whether it is new.
    mutating func put(id: UnsafeRawBufferPointer, hash: Int, json: UnsafeRawBufferPointer) -> Bool {
        let size = Self.headerSize + id.count + json.count
        let tail = self.appendableChunk(for: size)
        let (chunk, offset) = (UInt32(tail), UInt32(self.chunks[tail].append(id: id, json: json)))
        self.liveBytes += size
        if let index = self.find(id, hash: hash) {
            self.retire(self.slots[index])
            self.slots[index].chunk = chunk
            self.slots[index].offset = offset
            self.compactIfWorthIt()
            return false
        }
        if (self.count + self.removedSlots + 1) * 4 > self.slots.count * 3 {
            self.rehash(capacity: Self.capacity(for: self.count + 1))
        }
        let tag = Self.tag(hash)
        let mask = self.slots.count - 1
        var index = Int(tag) & mask
        while self.slots[index].isInUse { index = (index + 1) & mask }
        if self.slots[index].chunk == Slot.removed { self.removedSlots -= 1 }
        self.slots[index] = Slot(hash: tag, chunk: chunk, offset: offset)
        self.count += 1
        return true
    }

    /// Removes the document; returns whether it was held.
    mutating func remove(id: UnsafeRawBufferPointer, hash: Int) -> Bool {
        guard let index = self.find(id, hash: hash) else { return false }
        self.retire(self.slots[index])
        self.slots[index].chunk = Slot.removed
        self.count -= 1
        self.removedSlots += 1
        if self.count == 0 {
            self.slots = []
            self.removedSlots = 0
        } else if self.slots.count > 16, self.count * 8 < self.slots.count {
            self.rehash(capacity: Self.capacity(for: self.count))
        }
        self.compactIfWorthIt()
        return true
    }

    /// Calls `body` with each document's id and JSON, in no particular order.
    func forEach(_ body: (_ id: UnsafeRawBufferPointer, _ json: UnsafeRawBufferPointer) throws -> Void) rethrows {
        for slot in self.slots where slot.isInUse {
            try self.withRecord(slot, body)
        }
    }

    /// Appends where each document's record starts, for ``DocumentShard/record(at:)`` while the shard lives.
    func appendRecordStarts(to starts: inout [UnsafeRawPointer]) {
        for slot in self.slots where slot.isInUse {
            starts.append(UnsafeRawPointer(self.chunks[Int(slot.chunk)].bytes + Int(slot.offset)))
        }
    }

    /// The id and JSON of the record starting at `start` (from ``appendRecordStarts(to:)``; valid while the shard
    /// it came from lives).
    static func record(at start: UnsafeRawPointer) -> (id: UnsafeRawBufferPointer, json: UnsafeRawBufferPointer) {
        let idCount = Int(start.loadUnaligned(as: UInt32.self))
        let jsonCount = Int(start.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        return (
            UnsafeRawBufferPointer(start: start + Self.headerSize, count: idCount),
            UnsafeRawBufferPointer(start: start + Self.headerSize + idCount, count: jsonCount)
        )
    }

    /// Whether record `first`'s id sorts before record `second`'s, by bytes.
    static func idPrecedes(_ first: UnsafeRawPointer, _ second: UnsafeRawPointer) -> Bool {
        let firstCount = Int(first.loadUnaligned(as: UInt32.self))
        let secondCount = Int(second.loadUnaligned(as: UInt32.self))
        let order = memcmp(first + Self.headerSize, second + Self.headerSize, min(firstCount, secondCount))
        return order != 0 ? order < 0 : firstCount < secondCount
    }

    /// The hash of an id's UTF-8 bytes, for ``DocumentCollection`` to pick the shard and for the shard's slots.
    static func hash(_ id: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: id)
        return hasher.finalize()
    }

    // MARK: - Records

    private func withRecord<Result>(
        _ slot: Slot, _ body: (_ id: UnsafeRawBufferPointer, _ json: UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        let chunk = self.chunks[Int(slot.chunk)]
        return try withExtendedLifetime(chunk) {
            let record = Self.record(at: chunk.bytes + Int(slot.offset))
            return try body(record.id, record.json)
        }
    }

    private func recordSize(_ slot: Slot) -> Int {
        self.withRecord(slot) { id, json in Self.headerSize + id.count + json.count }
    }

    private func find(_ id: UnsafeRawBufferPointer, hash: Int) -> Int? {
        guard !self.slots.isEmpty else { return nil }
        let tag = Self.tag(hash)
        let mask = self.slots.count - 1
        var index = Int(tag) & mask
        while true {
            let slot = self.slots[index]
            if slot.chunk == Slot.empty { return nil }
            if slot.isInUse, slot.hash == tag, self.withRecord(slot, { held, _ in Self.same(held, id) }) {
                return index
            }
            index = (index + 1) & mask
        }
    }

    private static func same(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> Bool {
        guard first.count == second.count else { return false }
        guard let one = first.baseAddress, let other = second.baseAddress else { return true }
        return memcmp(one, other, first.count) == 0
    }

    /// Counts a replaced or removed record's bytes as dead.
    private mutating func retire(_ slot: Slot) {
        let size = self.recordSize(slot)
        self.liveBytes -= size
        self.deadBytes += size
    }

    /// The index of a chunk this shard alone appends to with room for `size` bytes at its end (a new one if need be).
    private mutating func appendableChunk(for size: Int) -> Int {
        if !isKnownUniquelyReferenced(&self.owner) {
            // A copy shares the chunks: neither may append to the one they share.
            self.owner = Owner()
            self.appendable = false
        }
        let tailHasRoom = self.chunks.last.map { $0.capacity - $0.used >= size } ?? false
        if !self.appendable || !tailHasRoom {
            let held = self.liveBytes + self.deadBytes
            let capacity = max(size, min(Self.largestChunk, max(Self.smallestChunk, held / 8)))
            self.chunks.append(Chunk(capacity: capacity))
            self.appendable = true
        }
        return self.chunks.count - 1
    }

    /// Copies the live records into one fresh chunk when the dead ones outweigh half of them, and frees the old
    /// chunks (those a copy of the shard still uses stay until it is gone).
    private mutating func compactIfWorthIt() {
        guard self.deadBytes > 0 else { return }
        guard self.count > 0 else {
            self.chunks = []
            self.appendable = false
            self.deadBytes = 0
            return
        }
        guard self.deadBytes >= Self.deadBytesWorthCompacting, self.deadBytes * 2 > self.liveBytes else { return }
        let chunk = Chunk(capacity: self.liveBytes)
        for index in self.slots.indices where self.slots[index].isInUse {
            let offset = self.withRecord(self.slots[index]) { id, json in chunk.append(id: id, json: json) }
            self.slots[index].chunk = 0
            self.slots[index].offset = UInt32(offset)
        }
        self.chunks = [chunk]
        self.owner = Owner()
        self.appendable = true
        self.deadBytes = 0
    }

    // MARK: - Slots

    private static func tag(_ hash: Int) -> UInt32 {
        // The low bits pick the shard; the next 32 place the slot.
        UInt32(truncatingIfNeeded: hash >> 6)
    }

    /// A power of two with `count` at most half of it.
    private static func capacity(for count: Int) -> Int {
        var capacity = 8
        while capacity < count * 2 { capacity *= 2 }
        return capacity
    }

    private mutating func rehash(capacity: Int) {
        var slots = [Slot](repeating: Slot(hash: 0, chunk: Slot.empty, offset: 0), count: capacity)
        let mask = capacity - 1
        for slot in self.slots where slot.isInUse {
            var index = Int(slot.hash) & mask
            while slots[index].chunk != Slot.empty { index = (index + 1) & mask }
            slots[index] = slot
        }
        self.slots = slots
        self.removedSlots = 0
    }
}
