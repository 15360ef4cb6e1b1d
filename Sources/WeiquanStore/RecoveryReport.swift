/// What opening a `FileDocumentStore` found and did.
public struct RecoveryReport: Sendable, Equatable, CustomStringConvertible {
    /// The generation of the snapshot loaded (0 when the directory held no store yet).
    public var generation: Int
    /// How many documents the snapshot held.
    public var snapshotDocuments: Int
    /// The journals replayed after the snapshot, oldest first (more than one after a compaction was
    /// interrupted).
    public var journalFiles: [String]
    /// How many journal records (writes) were replayed.
    public var recordsReplayed: Int
    /// The sequence number of the last write recovered.
    public var lastSequence: Int
    /// Bytes of an incomplete last record dropped: cut off the file by a writer, ignored by a reader.
    public var tornBytesDropped: Int
    /// The journal the torn bytes were in.
    public var tornFile: String?
    /// Files a writer deleted: leftovers of an interrupted compaction (older generations, temporary
    /// snapshots).
    public var removedFiles: [String]
    /// Whether the directory held no store, so a new one was started (or, read-only, an empty one shown).
    public var createdNewStore: Bool

    /// Makes a report from its parts.
    public init(
        generation: Int = 0,
        snapshotDocuments: Int = 0,
        journalFiles: [String] = [],
        recordsReplayed: Int = 0,
        lastSequence: Int = 0,
        tornBytesDropped: Int = 0,
        tornFile: String? = nil,
        removedFiles: [String] = [],
        createdNewStore: Bool = false
    ) {
        self.generation = generation
        self.snapshotDocuments = snapshotDocuments
        self.journalFiles = journalFiles
        self.recordsReplayed = recordsReplayed
        self.lastSequence = lastSequence
        self.tornBytesDropped = tornBytesDropped
        self.tornFile = tornFile
        self.removedFiles = removedFiles
        self.createdNewStore = createdNewStore
    }

    /// One line for the start-up log.
    public var description: String {
        if self.createdNewStore {
            return "new store"
        }
        let journals = self.journalFiles.isEmpty ? "no journal" : self.journalFiles.joined(separator: ", ")
        var text =
            "snapshot generation \(self.generation) (\(self.snapshotDocuments) documents), "
            + "\(self.recordsReplayed) records replayed from \(journals), last seq \(self.lastSequence)"
        if self.tornBytesDropped > 0 {
            text += ", \(self.tornBytesDropped) torn bytes dropped from \(self.tornFile ?? "the journal")"
        }
        if !self.removedFiles.isEmpty {
            text += ", removed \(self.removedFiles.joined(separator: ", "))"
        }
        return text
    }
}
