/// Strings kept as one run of UTF-8 bytes and their ends: a title costs its bytes and four more, not a String's
/// header and heap block. Id 0 is "none".
package struct StringPool: Sendable, Equatable {
    package private(set) var bytes: [UInt8] = []
    /// `ends[id]` is where string `id` ends; it starts where `id - 1` ends. `ends[0] == 0`.
    package private(set) var ends: [UInt32] = [0]

    package init() {}

    package init(bytes: [UInt8], ends: [UInt32]) {
        self.bytes = bytes
        self.ends = ends
    }

    /// Adds a string and gives its id; nil and "" give 0.
    package mutating func add(_ string: String?) -> UInt32 {
        guard let string, !string.isEmpty else { return 0 }
        self.bytes.append(contentsOf: string.utf8)
        self.ends.append(UInt32(self.bytes.count))
        return UInt32(self.ends.count - 1)
    }

    /// Adds another pool's string by id (no String made).
    package mutating func add(_ id: UInt32, of other: StringPool) -> UInt32 {
        guard id != 0 else { return 0 }
        let start = Int(other.ends[Int(id) - 1]), end = Int(other.ends[Int(id)])
        self.bytes.append(contentsOf: other.bytes[start..<end])
        self.ends.append(UInt32(self.bytes.count))
        return UInt32(self.ends.count - 1)
    }

    /// The string of an id; nil for 0.
    package func string(_ id: UInt32) -> String? {
        guard id != 0 else { return nil }
        let start = Int(self.ends[Int(id) - 1]), end = Int(self.ends[Int(id)])
        return String(decoding: self.bytes[start..<end], as: UTF8.self)
    }

    /// Whether two ids (of this pool and another) hold the same bytes.
    package func same(_ id: UInt32, as otherID: UInt32, of other: StringPool) -> Bool {
        if id == 0 || otherID == 0 { return id == otherID }
        let start = Int(self.ends[Int(id) - 1]), end = Int(self.ends[Int(id)])
        let otherStart = Int(other.ends[Int(otherID) - 1]), otherEnd = Int(other.ends[Int(otherID)])
        return self.bytes[start..<end].elementsEqual(other.bytes[otherStart..<otherEnd])
    }

    /// Bytes held.
    package var memoryBytes: Int { self.bytes.capacity + self.ends.capacity * 4 }
}
