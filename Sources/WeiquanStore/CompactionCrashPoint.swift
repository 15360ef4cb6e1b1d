/// Where a simulated crash stops a compaction (tests only): the files stay as a crash at that moment
/// would leave them, and the store goes on writing to the journal it switched to.
enum CompactionCrashPoint: Sendable, Equatable, CaseIterable {
    /// The next journal exists and takes the writes; no snapshot was written.
    case afterJournalSwitch
    /// The snapshot is written and synced under its temporary name, not renamed.
    case afterSnapshotWritten
    /// The snapshot is in place; nothing of the older generation is deleted.
    case afterSnapshotRenamed
    /// The older journals are deleted; the older snapshot is not.
    case afterOldJournalsRemoved
}
