import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one writer of a store directory: a dedicated thread doing group commit, and background compaction.
///
/// Callers encode their journal line in their own task (`PreparedWrite`), then queue it with a
/// continuation. The writer thread sleeps on a condition variable while the queue is empty; when woken it
/// takes everything queued (up to `maxBatch` writes), numbers the lines, appends them with one `pwrite`,
/// makes them durable with one `fdatasync`, applies them to the in-memory table and resumes every caller
/// of the batch. Writes queued meanwhile form the next batch, so batches grow with the load and an idle
/// store commits at once (no timer). The thread waits for work under `SCHED_BATCH` and commits under the normal
/// policy (``StoreThread``): a busy event loop is not cut off by the first write it queues.
///
/// Blocking system calls run on this thread, never on the cooperative pool. A failed `write` is cut off
/// (`ftruncate`) and reported to that batch; a failed `fsync`, or a journal deleted underneath, makes the
/// store refuse writes until it is reopened (after a failed fsync the kernel may have dropped the data).
///
/// Compaction: between two batches the writer creates `journal-(g+1).jsonl`, syncs the directory and
/// switches to it; a background thread then writes `snapshot-(g+1).json` from a copy-on-write copy of the
/// table (temporary name, fsync, rename, directory fsync) and deletes generation g. Writes go on meanwhile.
///
/// The type is split by what each part does: `JournalWriter.swift` (state, start, the calls from any task),
/// `JournalWriter+GroupCommit.swift` (the writer thread), `JournalWriter+Failures.swift` (cutting off a failed append,
/// refusing writes after a failed fsync), `JournalWriter+Compaction.swift` and `JournalWriter+HealthProbe.swift`.
/// Its state is internal rather than private only so that these files see it; nothing outside them touches it.
final class JournalWriter: @unchecked Sendable {
    struct Waiter {
        var prepared: PreparedWrite
        var caller: WriteCaller
        /// Where the caller waits (``CallerAffinity``): it is told there once its write is durable or failed.
        var place: (any AnyObject & Sendable)?
    }

    typealias CompactionWaiter = UnsafeContinuation<Void, any Error>

    /// The store directory.
    let directory: String
    let options: FileDocumentStore.Options
    let state: StoreState
    let lock: DirectoryLock

    // Shared with callers; guarded by `condition`.
    let condition = NSCondition()
    var queue: [Waiter] = []
    var compactionWaiters: [CompactionWaiter] = []
    var stopping = false
    var finished = false
    var failure: StoreError?
    var observer: (@Sendable (Int, Double) -> Void)?
    var stats: StoreStatistics
    var closeWaiters: [UnsafeContinuation<Void, Never>] = []
    var journalIdentity: (path: String, inode: UInt64)

    // Owned by the writer thread.
    var journalDescriptor: Int32
    var journalGeneration: Int
    var journalPath: String
    var journalLength: Int
    var nextSequence: Int
    var nextAutomaticCompaction: Int
    var buffer: [UInt8] = []
    let compactOnStart: Bool

    static let linePrefix: [UInt8] = Array(#"{"seq":"#.utf8)
    /// A group commit stops taking writes past this many bytes (it always takes at least one).
    static let maximumBatchBytes = 16 << 20

    init(
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
        self.stats = StoreStatistics(
            generation: journal.generation, lastSequence: lastSequence, journalBytes: journal.length)
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
        StoreThread.start(name: "weiquan-writer", policy: .batch) { [writer] in writer.run() }
        return (writer, removed)
    }

    // MARK: Called from any task

    /// Queues a prepared write; returns when it is durable (or throws why it is not).
    func submit(_ prepared: PreparedWrite) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            self.enqueue(prepared, caller: .task(continuation))
        }
    }

    /// Queues a prepared write; `caller` is told when it is durable (or why it is not), at the place it was queued
    /// from.
    func enqueue(_ prepared: PreparedWrite, caller: WriteCaller) {
        let place = self.options.callerAffinity.current()
        self.condition.lock()
        if let rejection = self.rejection() {
            self.condition.unlock()
            caller.complete(.failure(rejection))
            return
        }
        self.queue.append(Waiter(prepared: prepared, caller: caller, place: place))
        if self.queue.count == 1 {
            self.condition.signal()
        }
        self.condition.unlock()
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

    /// Why a new write or compaction is refused now (guarded by `condition`).
    func rejection() -> StoreError? {
        if let failure = self.failure {
            return failure
        }
        if self.stopping {
            return StoreError(code: .closed, message: "the store at \(self.directory) was closed", path: self.directory)
        }
        return nil
    }
}
