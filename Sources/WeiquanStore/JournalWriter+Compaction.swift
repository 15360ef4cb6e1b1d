import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Compaction: a new journal between two batches, then a snapshot and the older generation's deletion in the
/// background while writes go on.
extension JournalWriter {

    /// Switches to the next journal (on the writer thread, between batches) and starts the background
    /// snapshot of the state as of the last committed write.
    func startCompaction(waiters: [CompactionWaiter]) {
        let generation = self.journalGeneration + 1
        let path = self.directory + "/" + StoreFiles.journalName(generation)
        let descriptor: Int32
        do throws(StoreError) {
            descriptor = try POSIX.open(path, O_WRONLY | O_CREAT | O_EXCL)
        } catch {
            self.compactionFailedToStart(error, waiters: waiters)
            return
        }
        if self.options.fsync {
            do throws(StoreError) {
                // The new journal's name is durable before any write acknowledged from it.
                try POSIX.syncDirectory(self.directory)
            } catch {
                POSIX.close(descriptor)
                try? POSIX.remove(path)
                self.compactionFailedToStart(error, waiters: waiters)
                return
            }
        }
        POSIX.close(self.journalDescriptor)
        self.journalDescriptor = descriptor
        self.journalGeneration = generation
        self.journalPath = path
        self.journalLength = 0
        self.nextAutomaticCompaction = self.options.compactAfterBytes
        let table = self.state.snapshot()
        let sequence = self.nextSequence - 1

        self.condition.lock()
        self.journalIdentity = (path, POSIX.identity(of: descriptor)?.inode ?? 0)
        self.stats.generation = generation
        self.stats.journalBytes = 0
        self.stats.compactionRunning = true
        self.condition.unlock()

        if self.options.crashPoint == .afterJournalSwitch {
            self.finishCompaction(JournalWriter.simulatedCrash(.afterJournalSwitch), waiters: waiters)
            return
        }
        StoreThread.start(name: "weiquan-snapshot", policy: .background) { [self] in
            self.writeSnapshot(table, generation: generation, sequence: sequence, waiters: waiters)
        }
    }

    func compactionFailedToStart(_ error: StoreError, waiters: [CompactionWaiter]) {
        // Try again after another `compactAfterBytes` of journal.
        self.nextAutomaticCompaction = self.journalLength + self.options.compactAfterBytes
        self.condition.lock()
        self.stats.lastCompactionError = error.message
        self.condition.unlock()
        waiters.forEach { $0.resume(throwing: error) }
    }

    /// The background half of a compaction: snapshot (temporary, fsync, rename, directory fsync), then the
    /// older generations' files deleted.
    func writeSnapshot(
        _ table: DocumentTable,
        generation: Int,
        sequence: Int,
        waiters: [CompactionWaiter]
    ) {
        let temporary = self.directory + "/" + StoreFiles.temporaryName(generation)
        do throws(StoreError) {
            try SnapshotFile.write(
                table, generation: generation, sequence: sequence, to: temporary, sync: self.options.fsync,
                syncEvery: self.options.snapshotSyncEveryBytes)
            try self.crashIfAsked(.afterSnapshotWritten)
            try POSIX.rename(temporary, to: self.directory + "/" + StoreFiles.snapshotName(generation))
            if self.options.fsync {
                try POSIX.syncDirectory(self.directory)
            }
            try self.crashIfAsked(.afterSnapshotRenamed)
            let files = try StoreFiles.scan(self.directory)
            // Cut down before removal, so that the journal's syncs meanwhile do not wait for 100 MB to be freed.
            let step = self.options.removalStepBytes
            let sync = self.options.fsync
            for journal in files.journals where journal < generation {
                try POSIX.removeGradually(
                    self.directory + "/" + StoreFiles.journalName(journal), step: step, sync: sync)
            }
            try self.crashIfAsked(.afterOldJournalsRemoved)
            for snapshot in files.snapshots where snapshot < generation {
                try POSIX.removeGradually(
                    self.directory + "/" + StoreFiles.snapshotName(snapshot), step: step, sync: sync)
            }
            for name in files.temporaries where name != StoreFiles.temporaryName(generation) {
                try POSIX.remove(self.directory + "/" + name)
            }
            if self.options.fsync {
                try POSIX.syncDirectory(self.directory)
            }
            self.finishCompaction(nil, waiters: waiters)
        } catch {
            if self.options.crashPoint == nil {
                try? POSIX.remove(temporary)
            }
            self.finishCompaction(error, waiters: waiters)
        }
    }

    func finishCompaction(_ error: StoreError?, waiters: [CompactionWaiter]) {
        self.condition.lock()
        self.stats.compactionRunning = false
        if let error {
            self.stats.lastCompactionError = error.message
        } else {
            self.stats.compactions += 1
            self.stats.lastCompactionError = nil
        }
        self.condition.broadcast()
        self.condition.unlock()
        if let error {
            waiters.forEach { $0.resume(throwing: error) }
        } else {
            waiters.forEach { $0.resume() }
        }
    }

    func crashIfAsked(_ point: CompactionCrashPoint) throws(StoreError) {
        if self.options.crashPoint == point {
            throw JournalWriter.simulatedCrash(point)
        }
    }

    static func simulatedCrash(_ point: CompactionCrashPoint) -> StoreError {
        StoreError(code: .io, message: "simulated crash during compaction (\(point))")
    }
}
