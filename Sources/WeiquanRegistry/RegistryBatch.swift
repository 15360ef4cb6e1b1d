/// Registry data held compactly: patents with their events and trademarks with their flow rows, sorted by
/// ``RegistryKey``, every column an array of fixed-width integers and every text in one ``StringPool``.
///
/// A patent costs its key, four day and string columns and its events (16 bytes each plus the free text), not an
/// object per record. Made by ``RegistryBatchBuilder``; written and read whole (``serialized()``).
package struct RegistryBatch: Sendable, Equatable {
    /// No day: a column's value when the export did not give one.
    package static let noDay = Int32.min

    package var pool = StringPool()

    /// Event wordings (code, title) as pool ids; an event refers to one by index.
    package var eventKindCode: [UInt32] = []
    package var eventKindTitle: [UInt32] = []

    package var patentKeys: [UInt64] = []
    /// Filing days (day numbers), or ``noDay``.
    package var patentDate: [Int32] = []
    package var patentTitle: [UInt32] = []
    package var patentHolder: [UInt32] = []
    /// The as-of day of the data the patent comes from.
    package var patentAsOf: [Int32] = []
    /// Where each patent's events end in the event columns (they start where the previous patent's end).
    package var patentEventEnds: [UInt32] = []

    package var eventAnnounced: [Int32] = []
    package var eventEffective: [Int32] = []
    package var eventKind: [UInt32] = []
    package var eventInfo: [UInt32] = []

    /// Flow-row wordings (business, step, outcome) as pool ids.
    package var flowKindBusiness: [UInt32] = []
    package var flowKindStep: [UInt32] = []
    package var flowKindOutcome: [UInt32] = []

    package var trademarkKeys: [UInt64] = []
    /// Registration days, when an export column gave them, or ``noDay``.
    package var trademarkDate: [Int32] = []
    package var trademarkTitle: [UInt32] = []
    package var trademarkHolder: [UInt32] = []
    package var trademarkAsOf: [Int32] = []
    package var trademarkRowEnds: [UInt32] = []

    package var rowDate: [Int32] = []
    package var rowKind: [UInt32] = []

    package init() {}

    /// Patents held.
    package var patentCount: Int { self.patentKeys.count }
    /// Trademarks held.
    package var trademarkCount: Int { self.trademarkKeys.count }

    /// The events of patent `index`, as positions in the event columns.
    package func events(ofPatent index: Int) -> Range<Int> {
        (index == 0 ? 0 : Int(self.patentEventEnds[index - 1]))..<Int(self.patentEventEnds[index])
    }

    /// The flow rows of trademark `index`, as positions in the row columns.
    package func rows(ofTrademark index: Int) -> Range<Int> {
        (index == 0 ? 0 : Int(self.trademarkRowEnds[index - 1]))..<Int(self.trademarkRowEnds[index])
    }

    /// The position of a patent key, by binary search.
    package func patentIndex(_ key: UInt64) -> Int? {
        Self.search(self.patentKeys, key)
    }

    /// The position of a trademark key, by binary search.
    package func trademarkIndex(_ key: UInt64) -> Int? {
        Self.search(self.trademarkKeys, key)
    }

    private static func search(_ keys: [UInt64], _ key: UInt64) -> Int? {
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < keys.count && keys[low] == key ? low : nil
    }

    /// The bytes the columns hold (their capacity): the figure behind the README's memory per record.
    package var memoryBytes: Int {
        let wide = self.patentKeys.capacity + self.trademarkKeys.capacity
        let narrow =
            self.eventKindCode.capacity + self.eventKindTitle.capacity + self.patentDate.capacity
            + self.patentTitle.capacity + self.patentHolder.capacity + self.patentAsOf.capacity
            + self.patentEventEnds.capacity + self.eventAnnounced.capacity + self.eventEffective.capacity
            + self.eventKind.capacity + self.eventInfo.capacity + self.flowKindBusiness.capacity
            + self.flowKindStep.capacity + self.flowKindOutcome.capacity + self.trademarkDate.capacity
            + self.trademarkTitle.capacity + self.trademarkHolder.capacity + self.trademarkAsOf.capacity
            + self.trademarkRowEnds.capacity + self.rowDate.capacity + self.rowKind.capacity
        return self.pool.memoryBytes + wide * 8 + narrow * 4
    }
}
