/// Counters of a `FileDocumentStore` since it was opened, for /metrics and logs.
public struct StoreStatistics: Sendable, Equatable {
    /// The generation of the journal being appended to.
    public var generation: Int
    /// The sequence number of the last durable write.
    public var lastSequence: Int
    /// The size of the journal being appended to, in bytes.
    public var journalBytes: Int
    /// Writes committed since the store was opened.
    public var writes: Int
    /// Group commits (one append and one fsync each) since the store was opened.
    public var batches: Int
    /// Compactions finished since the store was opened.
    public var compactions: Int
    /// Whether a snapshot is being written in the background now.
    public var compactionRunning: Bool
    /// Why the last compaction failed, if it did (the store goes on; the next one tries again).
    public var lastCompactionError: String?

    /// Makes statistics from their parts.
    public init(
        generation: Int = 0,
        lastSequence: Int = 0,
        journalBytes: Int = 0,
        writes: Int = 0,
        batches: Int = 0,
        compactions: Int = 0,
        compactionRunning: Bool = false,
        lastCompactionError: String? = nil
    ) {
        self.generation = generation
        self.lastSequence = lastSequence
        self.journalBytes = journalBytes
        self.writes = writes
        self.batches = batches
        self.compactions = compactions
        self.compactionRunning = compactionRunning
        self.lastCompactionError = lastCompactionError
    }
}
