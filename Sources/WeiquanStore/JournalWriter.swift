import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// The one writer of a store directory: a dedicated thread doing group commit, and background compaction.
///
/// Callers encode their journal line in their own task (`PreparedWrite`), then queue it with a
/// continuation. The writer thread sleeps on a condition variable while the queue is empty; when woken it
/// takes everything queued (up to `maxBatch` writes), numbers the lines, appends them with one `pwrite`,
/// makes them durable with one `fdatasync`, applies them to the in-memory table and resumes every caller
/// of the batch. Writes queued meanwhile form the next batch, so batches grow with the load and an idle
/// store commits at once (no timer).
///
/// Blocking system calls run on this thread, never on the cooperative pool. A failed `write` is cut off
/// (`ftruncate`) and reported to that batch; a failed `fsync`, or a journal deleted underneath, makes the
/// store refuse writes until it is reopened (after a failed fsync the kernel may have dropped the data).
///
/// Compaction: between two batches the writer creates `journal-(g+1).jsonl`, syncs the directory and
/// switches to it; a background thread then writes `snapshot-(g+1).json` from a copy-on-write copy of the
/// table (temporary name, fsync, rename, directory fsync) and deletes generation g. Writes go on meanwhile.
final class JournalWriter: @unchecked Sendable {
    private struct Waiter {
        var prepared: PreparedWrite
        var continuation: UnsafeContinuation<Void, any Error>
    }

    private typealias CompactionWaiter = UnsafeContinuation<Void, any Error>

    /// The store directory.
    let directory: String
    private let options: FileDocumentStore.Options
    private let state: StoreState
    private let lock: DirectoryLock

    // Shared with callers; guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [Waiter] = []
    private var compactionWaiters: [CompactionWaiter] = []
    private var stopping = false
    private var finished = false
    private var failure: StoreError?
    private var observer: (@Sendable (Int, Double) -> Void)?
    private var stats: StoreStatistics
    private var closeWaiters: [UnsafeContinuation<Void, Never>] = []
    private var journalIdentity: (path: String, inode: UInt64)

    // Owned by the writer thread.
    private var journalDescriptor: Int32
    private var journalGeneration: Int
    private var journalPath: String
    private var journalLength: Int
    private var nextSequence: Int
    private var nextAutomaticCompaction: Int
    private var buffer: [UInt8] = []
    private let compactOnStart: Bool

    private static let linePrefix: [UInt8] = Array(#"{"seq":"#.utf8)
    /// A group commit stops taking writes past this many bytes (it always takes at least one).
    private static let maximumBatchBytes = 16 << 20

    private init(
        directory: String,
        options: FileDocumentStore.Options,
        state: StoreState,
        lock: DirectoryLock,
        journal: (descriptor: Int32, generation: Int, length: Int),
        lastSequence: Int,
        compactOnStart: Bool
    ) {
        var options = options
        // The fields are public vars: make sure nonsense cannot stall the writer.
        options.maxBatch = max(1, options.maxBatch)
        options.compactAfterBytes = max(1, options.compactAfterBytes)
        self.directory = directory
        self.options = options
        self.state = state
        self.lock = lock
        self.journalDescriptor = journal.descriptor
        self.journalGeneration = journal.generation
        self.journalPath = directory + "/" + StoreFiles.journalName(journal.generation)
        self.journalLength = journal.length
        self.nextSequence = lastSequence + 1
        self.nextAutomaticCompaction = options.compactAfterBytes
        self.compactOnStart = compactOnStart
        self.journalIdentity = (self.journalPath, POSIX.identity(of: journal.descriptor)?.inode ?? 0)
        self.stats = StoreStatistics(generation: journal.generation, lastSequence: lastSequence, journalBytes: journal.length)
    }

    /// Finishes recovery on disk (deletes leftovers, starts a new store, cuts a torn tail off), then starts
    /// the writer thread. Returns the writer and the names it deleted.
    static func start(
        directory: String,
        options: FileDocumentStore.Options,
        lock: DirectoryLock,
        recovered: RecoveredStore,
        state: StoreState
    ) throws(StoreError) -> (writer: JournalWriter, removed: [String]) {
        var removed: [String] = []
        for name in recovered.staleNames {
            try POSIX.remove(directory + "/" + name)
            removed.append(name)
        }
        let snapshotGeneration: Int
        if let generation = recovered.snapshotGeneration {
            snapshotGeneration = generation
        } else {
            snapshotGeneration = 1
            let temporary = directory + "/" + StoreFiles.temporaryName(1)
            try SnapshotFile.write(DocumentTable(), generation: 1, sequence: 0, to: temporary, sync: options.fsync)
            try POSIX.rename(temporary, to: directory + "/" + StoreFiles.snapshotName(1))
        }
        if options.fsync && (!removed.isEmpty || recovered.snapshotGeneration == nil) {
            try POSIX.syncDirectory(directory)
        }

        let generation = recovered.journalChain.last ?? snapshotGeneration
        let path = directory + "/" + StoreFiles.journalName(generation)
        let descriptor: Int32
        let length: Int
        if recovered.journalChain.isEmpty {
            descriptor = try POSIX.open(path, O_WRONLY | O_CREAT | O_EXCL)
            length = 0
            if options.fsync {
                do throws(StoreError) {
                    try POSIX.syncDirectory(directory)
                } catch {
                    POSIX.close(descriptor)
                    throw error
                }
            }
        } else {
            descriptor = try POSIX.open(path, O_WRONLY)
            length = recovered.lastJournalValidLength
            if length < recovered.lastJournalLength {
                do throws(StoreError) {
                    try POSIX.truncate(descriptor, to: length, path: path)
                    if options.fsync {
                        try POSIX.syncData(descriptor, path: path)
                    }
                } catch {
                    POSIX.close(descriptor)
                    throw error
                }
            }
        }

        let writer = JournalWriter(
            directory: directory,
            options: options,
            state: state,
            lock: lock,
            journal: (descriptor, generation, length),
            lastSequence: recovered.lastSequence,
            compactOnStart: recovered.journalChain.count > 1
        )
        let thread = Thread { [writer] in writer.run() }
        thread.name = "WeiquanStore writer"
        thread.start()
        return (writer, removed)
    }

    // MARK: Called from any task

    /// Queues a prepared write; returns when it is durable (or throws why it is not).
    func submit(_ prepared: PreparedWrite) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            self.condition.lock()
            if let rejection = self.rejection() {
                self.condition.unlock()
                continuation.resume(throwing: rejection)
                return
            }
            self.queue.append(Waiter(prepared: prepared, continuation: continuation))
            if self.queue.count == 1 {
                self.condition.signal()
            }
            self.condition.unlock()
        }
    }

    /// Writes a snapshot of the state now and deletes the older generation; returns when that is done.
    func compact() async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            self.condition.lock()
            if let rejection = self.rejection() {
                self.condition.unlock()
                continuation.resume(throwing: rejection)
                return
            }
            self.compactionWaiters.append(continuation)
            self.condition.broadcast()
            self.condition.unlock()
        }
    }

    /// Commits what is queued, waits for a running compaction, closes the journal and releases the lock.
    func close() async {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            self.condition.lock()
            if self.finished {
                self.condition.unlock()
                continuation.resume()
                return
            }
            self.closeWaiters.append(continuation)
            self.stopping = true
            self.condition.broadcast()
            self.condition.unlock()
        }
    }

    /// `close()` for `deinit`: blocks until the writer thread has finished.
    func shutdownAndWait() {
        self.condition.lock()
        self.stopping = true
        self.condition.broadcast()
        while !self.finished {
            self.condition.wait()
        }
        self.condition.unlock()
    }

    /// Sets the function called after each group commit.
    func setObserver(_ observer: (@Sendable (Int, Double) -> Void)?) {
        self.condition.lock()
        self.observer = observer
        self.condition.unlock()
    }

    /// The counters now.
    var statistics: StoreStatistics {
        self.condition.lock()
        defer { self.condition.unlock() }
        return self.stats
    }

    /// Throws unless a write could succeed now: the store is usable, the directory and journal are still
    /// there, a file can be created in the directory, and the device has at least a megabyte free.
    func checkWritable() throws(StoreError) {
        self.condition.lock()
        let rejection = self.rejection()
        var journal = self.journalIdentity
        self.condition.unlock()
        if let rejection {
            throw rejection
        }
        switch POSIX.identity(ofPath: self.directory) {
        case .failure(let error):
            throw StoreError(
                code: .io,
                message: "the store directory \(self.directory) is gone: \(error.message)",
                path: self.directory,
                systemError: error.systemError
            )
        case .success(let identity) where !identity.isDirectory:
            throw StoreError(code: .io, message: "\(self.directory) is no longer a directory", path: self.directory)
        case .success:
            break
        }
        var journalPresent = false
        for _ in 0..<2 where !journalPresent {
            if case .success(let identity) = POSIX.identity(ofPath: journal.path), identity.inode == journal.inode {
                journalPresent = true
            } else {
                // A compaction may have switched journals between the two looks: look again once.
                self.condition.lock()
                journal = self.journalIdentity
                self.condition.unlock()
            }
        }
        guard journalPresent else {
            throw StoreError(
                code: .io,
                message: "the journal \(journal.path) was removed or replaced while the store was open",
                path: journal.path
            )
        }
        let probe = self.directory + "/.writable-check-\(UInt64.random(in: 0...UInt64.max))"
        do throws(StoreError) {
            let descriptor = try POSIX.open(probe, O_WRONLY | O_CREAT | O_EXCL)
            POSIX.close(descriptor)
            try? POSIX.remove(probe)
        } catch {
            throw StoreError(
                code: .io,
                message: "the store directory \(self.directory) is not writable: "
                    + StoreError.reason(error.systemError ?? EIO),
                path: self.directory,
                systemError: error.systemError
            )
        }
        var volume = statvfs()
        if statvfs(self.directory, &volume) == 0 {
            let free = Int(volume.f_bavail) * Int(volume.f_frsize)
            if free < 1 << 20 {
                throw StoreError(
                    code: .io,
                    message: "the device of \(self.directory) is full (\(free) bytes free)",
                    path: self.directory,
                    systemError: ENOSPC
                )
            }
        }
    }

    /// Why a new write or compaction is refused now (guarded by `condition`).
    private func rejection() -> StoreError? {
        if let failure = self.failure {
            return failure
        }
        if self.stopping {
            return StoreError(code: .closed, message: "the store at \(self.directory) was closed", path: self.directory)
        }
        return nil
    }

    // MARK: The writer thread

    private func run() {
        if self.compactOnStart {
            // Recovery replayed more than one journal: tidy up at once.
            self.startCompaction(waiters: [])
        }
        var batch: [Waiter] = []
        batch.reserveCapacity(min(self.options.maxBatch, 1024))
        while true {
            self.condition.lock()
            while self.queue.isEmpty && !self.stopping
                && (self.compactionWaiters.isEmpty || self.stats.compactionRunning)
            {
                self.condition.wait()
            }
            var taken = 0
            var takenBytes = 0
            while taken < self.queue.count && taken < self.options.maxBatch
                && (taken == 0 || takenBytes + self.queue[taken].prepared.lineTail.count <= JournalWriter.maximumBatchBytes)
            {
                takenBytes += self.queue[taken].prepared.lineTail.count
                taken += 1
            }
            if taken == self.queue.count {
                swap(&self.queue, &batch)
            } else {
                batch.append(contentsOf: self.queue[..<taken])
                self.queue.removeFirst(taken)
            }
            var compactionWaiters: [CompactionWaiter] = []
            if !self.compactionWaiters.isEmpty && !self.stats.compactionRunning {
                swap(&compactionWaiters, &self.compactionWaiters)
            }
            let compactionIdle = !self.stats.compactionRunning
            let failure = self.failure
            let exiting = self.stopping && self.queue.isEmpty
            self.condition.unlock()

            if !batch.isEmpty {
                self.commit(batch, failure: failure)
                batch.removeAll(keepingCapacity: true)
            }
            if exiting {
                let closed = StoreError(code: .closed, message: "the store at \(self.directory) was closed", path: self.directory)
                compactionWaiters.forEach { $0.resume(throwing: closed) }
                break
            }
            if let failure = self.currentFailure() {
                // Never start a generation after a failure: the journal's end is not known to be clean.
                compactionWaiters.forEach { $0.resume(throwing: failure) }
            } else if !compactionWaiters.isEmpty {
                self.startCompaction(waiters: compactionWaiters)
            } else if compactionIdle && self.journalLength >= self.nextAutomaticCompaction {
                self.startCompaction(waiters: [])
            }
        }
        self.shutDown()
    }

    /// Appends and syncs one batch, then applies it and resumes its callers.
    private func commit(_ batch: [Waiter], failure: StoreError?) {
        if let failure {
            batch.forEach { $0.continuation.resume(throwing: failure) }
            return
        }
        self.buffer.removeAll(keepingCapacity: true)
        var sequence = self.nextSequence
        for waiter in batch {
            self.buffer.append(contentsOf: JournalWriter.linePrefix)
            JSONOutput.appendInteger(sequence, to: &self.buffer)
            self.buffer.append(ASCII.comma)
            self.buffer.append(contentsOf: waiter.prepared.lineTail)
            sequence += 1
        }

        let started = ContinuousClock.now
        do throws(StoreError) {
            let descriptor = self.journalDescriptor
            let offset = self.journalLength
            let path = self.journalPath
            try self.buffer.withBytes { raw throws(StoreError) in
                try POSIX.writeAll(descriptor, raw, at: offset, path: path)
            }
        } catch {
            self.rollBack(after: error)
            batch.forEach { $0.continuation.resume(throwing: error) }
            return
        }
        if self.options.fsync {
            do throws(StoreError) {
                try POSIX.syncData(self.journalDescriptor, path: self.journalPath)
            } catch {
                let poisoned = StoreError(
                    code: .unusable,
                    message: "\(error.message); the last writes may not have reached the disk, so the store "
                        + "refuses writes until it is reopened (recovery then shows what is on disk)",
                    path: self.journalPath,
                    systemError: error.systemError
                )
                self.poison(poisoned)
                batch.forEach { $0.continuation.resume(throwing: poisoned) }
                return
            }
        }
        if let identity = POSIX.identity(of: self.journalDescriptor), identity.links == 0 {
            let poisoned = StoreError(
                code: .unusable,
                message: "the journal \(self.journalPath) was deleted while the store was open (was the directory "
                    + "removed?); the store refuses writes until it is reopened",
                path: self.journalPath
            )
            self.poison(poisoned)
            batch.forEach { $0.continuation.resume(throwing: poisoned) }
            return
        }
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18

        self.journalLength += self.buffer.count
        self.nextSequence = sequence
        if self.buffer.capacity > 4 << 20 {
            // Do not keep a huge batch's buffer for the small ones that follow.
            self.buffer = []
        }
        self.state.update { table in
            for waiter in batch {
                table.apply(waiter.prepared.changes)
            }
        }
        self.condition.lock()
        self.stats.writes += batch.count
        self.stats.batches += 1
        self.stats.lastSequence = sequence - 1
        self.stats.journalBytes = self.journalLength
        let observer = self.observer
        self.condition.unlock()
        for waiter in batch {
            waiter.continuation.resume()
        }
        observer?(batch.count, seconds)
    }

    /// After a failed append: cuts the partial batch off again (durably), or gives up on the store.
    private func rollBack(after error: StoreError) {
        do throws(StoreError) {
            try POSIX.truncate(self.journalDescriptor, to: self.journalLength, path: self.journalPath)
            if self.options.fsync {
                try POSIX.syncData(self.journalDescriptor, path: self.journalPath)
            }
        } catch let rollbackError {
            self.poison(
                StoreError(
                    code: .unusable,
                    message: "appending to \(self.journalPath) failed (\(error.message)) and cutting the partial write "
                        + "off failed too (\(rollbackError.message)); the store refuses writes until it is reopened",
                    path: self.journalPath,
                    systemError: rollbackError.systemError
                )
            )
        }
    }

    private func currentFailure() -> StoreError? {
        self.condition.lock()
        defer { self.condition.unlock() }
        return self.failure
    }

    private func poison(_ error: StoreError) {
        self.condition.lock()
        if self.failure == nil {
            self.failure = error
        }
        self.condition.unlock()
    }

    private func shutDown() {
        self.condition.lock()
        while self.stats.compactionRunning {
            self.condition.wait()
        }
        let leftover = self.compactionWaiters
        self.compactionWaiters = []
        self.condition.unlock()
        let closed = StoreError(code: .closed, message: "the store at \(self.directory) was closed", path: self.directory)
        leftover.forEach { $0.resume(throwing: closed) }

        POSIX.close(self.journalDescriptor)
        self.journalDescriptor = -1
        self.lock.release()

        self.condition.lock()
        self.finished = true
        let closers = self.closeWaiters
        self.closeWaiters = []
        self.condition.broadcast()
        self.condition.unlock()
        closers.forEach { $0.resume() }
    }

    // MARK: Compaction

    /// Switches to the next journal (on the writer thread, between batches) and starts the background
    /// snapshot of the state as of the last committed write.
    private func startCompaction(waiters: [CompactionWaiter]) {
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
        let thread = Thread { [self] in
            self.writeSnapshot(table, generation: generation, sequence: sequence, waiters: waiters)
        }
        thread.name = "WeiquanStore compaction"
        thread.start()
    }

    private func compactionFailedToStart(_ error: StoreError, waiters: [CompactionWaiter]) {
        // Try again after another `compactAfterBytes` of journal.
        self.nextAutomaticCompaction = self.journalLength + self.options.compactAfterBytes
        self.condition.lock()
        self.stats.lastCompactionError = error.message
        self.condition.unlock()
        waiters.forEach { $0.resume(throwing: error) }
    }

    /// The background half of a compaction: snapshot (temporary, fsync, rename, directory fsync), then the
    /// older generations' files deleted.
    private func writeSnapshot(
        _ table: DocumentTable,
        generation: Int,
        sequence: Int,
        waiters: [CompactionWaiter]
    ) {
        let temporary = self.directory + "/" + StoreFiles.temporaryName(generation)
        do throws(StoreError) {
            try SnapshotFile.write(table, generation: generation, sequence: sequence, to: temporary, sync: self.options.fsync)
            try self.crashIfAsked(.afterSnapshotWritten)
            try POSIX.rename(temporary, to: self.directory + "/" + StoreFiles.snapshotName(generation))
            if self.options.fsync {
                try POSIX.syncDirectory(self.directory)
            }
            try self.crashIfAsked(.afterSnapshotRenamed)
            let files = try StoreFiles.scan(self.directory)
            for journal in files.journals where journal < generation {
                try POSIX.remove(self.directory + "/" + StoreFiles.journalName(journal))
            }
            try self.crashIfAsked(.afterOldJournalsRemoved)
            for snapshot in files.snapshots where snapshot < generation {
                try POSIX.remove(self.directory + "/" + StoreFiles.snapshotName(snapshot))
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

    private func finishCompaction(_ error: StoreError?, waiters: [CompactionWaiter]) {
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

    private func crashIfAsked(_ point: CompactionCrashPoint) throws(StoreError) {
        if self.options.crashPoint == point {
            throw JournalWriter.simulatedCrash(point)
        }
    }

    private static func simulatedCrash(_ point: CompactionCrashPoint) -> StoreError {
        StoreError(code: .io, message: "simulated crash during compaction (\(point))")
    }
}
