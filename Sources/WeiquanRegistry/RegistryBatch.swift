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

    /// Patents: key, filing day, title, holder, as-of day, where their events end.
    package var patents = RightColumns()

    package var eventAnnounced: [Int32] = []
    package var eventEffective: [Int32] = []
    package var eventKind: [UInt32] = []
    package var eventInfo: [UInt32] = []

    /// Flow-row wordings (business, step, outcome) as pool ids.
    package var flowKindBusiness: [UInt32] = []
    package var flowKindStep: [UInt32] = []
    package var flowKindOutcome: [UInt32] = []

    /// Trademarks: key, registration day (when an export column gave it), title, holder, as-of day, where their flow
    /// rows end.
    package var trademarks = RightColumns()

    package var rowDate: [Int32] = []
    package var rowKind: [UInt32] = []

    package init() {}

    /// Patents held.
    package var patentCount: Int { self.patents.count }
    /// Trademarks held.
    package var trademarkCount: Int { self.trademarks.count }

    /// The events of patent `index`, as positions in the event columns.
    package func events(ofPatent index: Int) -> Range<Int> {
        self.patents.entries(of: index)
    }

    /// The flow rows of trademark `index`, as positions in the row columns.
    package func rows(ofTrademark index: Int) -> Range<Int> {
        self.trademarks.entries(of: index)
    }

    /// The bytes the columns hold (their capacity): the figure behind the README's memory per record.
    package var memoryBytes: Int {
        let entries =
            self.eventKindCode.capacity + self.eventKindTitle.capacity + self.eventAnnounced.capacity
            + self.eventEffective.capacity + self.eventKind.capacity + self.eventInfo.capacity
            + self.flowKindBusiness.capacity + self.flowKindStep.capacity + self.flowKindOutcome.capacity
            + self.rowDate.capacity + self.rowKind.capacity
        return self.pool.memoryBytes + self.patents.memoryBytes + self.trademarks.memoryBytes + entries * 4
    }
}
