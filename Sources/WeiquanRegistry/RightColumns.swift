/// The columns every right has, patents and trademarks alike, sorted by key: its number (``RegistryKey``), its day
/// (filing or registration), title, holder, the as-of day of its data, and where its entries (events or flow rows)
/// end.
package struct RightColumns: Sendable, Equatable {
    package var keys: [UInt64] = []
    /// Day numbers, or ``RegistryBatch/noDay``.
    package var dates: [Int32] = []
    /// Pool ids (0: none).
    package var titles: [UInt32] = []
    package var holders: [UInt32] = []
    /// The as-of day of the data each right comes from.
    package var asOf: [Int32] = []
    /// Where each right's entries end in the entry columns (they start where the previous right's end).
    package var ends: [UInt32] = []

    package init() {}

    /// Rights held.
    package var count: Int { self.keys.count }

    /// The entries of right `index`, as positions in the entry columns.
    package func entries(of index: Int) -> Range<Int> {
        (index == 0 ? 0 : Int(self.ends[index - 1]))..<Int(self.ends[index])
    }

    /// The position of a key, by binary search.
    package func index(of key: UInt64) -> Int? {
        var low = 0, high = self.keys.count
        while low < high {
            let middle = (low + high) / 2
            if self.keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < self.keys.count && self.keys[low] == key ? low : nil
    }

    /// Appends one right.
    package mutating func append(key: UInt64, date: Int32, title: UInt32, holder: UInt32, asOf: Int32, end: Int) {
        self.keys.append(key)
        self.dates.append(date)
        self.titles.append(title)
        self.holders.append(holder)
        self.asOf.append(asOf)
        self.ends.append(UInt32(end))
    }

    /// The bytes the columns hold (their capacity).
    package var memoryBytes: Int {
        self.keys.capacity * 8
            + (self.dates.capacity + self.titles.capacity + self.holders.capacity + self.asOf.capacity
                + self.ends.capacity) * 4
    }

    /// Whether the columns hang together with `entryCount` entries and `stringCount` strings.
    package func isConsistent(entryCount: Int, stringCount: Int) -> Bool {
        [self.dates.count, self.titles.count, self.holders.count, self.asOf.count, self.ends.count].allSatisfy {
            $0 == self.keys.count
        }
            && Int(self.ends.last ?? 0) == entryCount
            && zip(self.ends, self.ends.dropFirst()).allSatisfy { $0 <= $1 }
            && zip(self.keys, self.keys.dropFirst()).allSatisfy { $0 < $1 }
            && self.titles.allSatisfy { Int($0) < stringCount } && self.holders.allSatisfy { Int($0) < stringCount }
    }
}
