import Foundation

/// The durable document store: a directory with an append-only journal and snapshots, every document in
/// memory, writes group-committed.
///
/// On disk (readable with `cat` and `jq`):
/// - `snapshot-<g>.json`: the whole state when generation g began:
///   `{"schemaVersion":1,"generation":g,"seq":S,"collections":{"cases":{"<id>":{…},…},…}}`, one document per
///   line; written to a temporary name, fsync'd, renamed, directory fsync'd.
/// - `journal-<g>.jsonl`: one line per `write` since then:
///   `{"seq":S+1,"changes":[{"c":"cases","id":"WQ…","doc":{…}},{"c":"dedupe","id":"…","delete":true}]}`.
///   A torn last line drops the whole write, so a multi-document write is atomic.
/// - `LOCK`: the writer's `flock`, holding its pid.
///
/// `write` returns once its line is written and fsync'd; concurrent writes share one append and one
/// fsync (see `JournalWriter`). Reads are served from memory and see exactly the writes that returned.
/// When the journal passes `compactAfterBytes` a compaction starts the next generation in the background.
///
/// Call `close()` when done; a store dropped without it is shut down (its writes are durable anyway).
public final class FileDocumentStore: DocumentStore {
    /// How a writer behaves.
    public struct Options: Sendable {
        /// Whether to fsync; turn it off only to measure what it costs (a crash may then lose writes).
        public var fsync: Bool
        /// The journal size that starts an automatic compaction.
        public var compactAfterBytes: Int
        /// The most writes one group commit takes.
        public var maxBatch: Int
        /// A compaction's snapshot is synced every this many bytes as it is written (with `fsync`; 0 for only
        /// at its end, which on ext4 makes the journal's syncs wait behind the whole snapshot's).
        public var snapshotSyncEveryBytes: Int
        /// A compaction frees an older generation's files this many bytes at a time, each step synced (with
        /// `fsync`; 0 for each file at once, which on ext4 makes the journal's syncs wait for all of it).
        public var removalStepBytes: Int
        /// Where the callers of a durable write are resumed (a server on event loops: the loop each waited on).
        public var callerAffinity: CallerAffinity
        /// Tests only: where a compaction stops as if the process had died.
        var crashPoint: CompactionCrashPoint?

        /// Options; the defaults suit the service.
        public init(
            fsync: Bool = true,
            compactAfterBytes: Int = 64 << 20,
            maxBatch: Int = 4096,
            snapshotSyncEveryBytes: Int = 2 << 20,
            removalStepBytes: Int = 8 << 20,
            callerAffinity: CallerAffinity = .none
        ) {
            self.fsync = fsync
            self.compactAfterBytes = max(1, compactAfterBytes)
            self.maxBatch = max(1, maxBatch)
            self.snapshotSyncEveryBytes = max(0, snapshotSyncEveryBytes)
            self.removalStepBytes = max(0, removalStepBytes)
            self.callerAffinity = callerAffinity
            self.crashPoint = nil
        }
    }

    /// The store directory.
    public let directory: URL
    /// What opening found: snapshot generation loaded, records replayed, torn bytes dropped.
    public let recovery: RecoveryReport
    private let state: StoreState
    private let writer: JournalWriter?
    private let path: String

    private init(directory: URL, path: String, recovery: RecoveryReport, state: StoreState, writer: JournalWriter?) {
        self.directory = directory
        self.path = path
        self.recovery = recovery
        self.state = state
        self.writer = writer
    }

    deinit {
        self.writer?.shutdownAndWait()
    }

    /// Opens (creating the directory), takes an exclusive lock on it (flock on `<dir>/LOCK`; a second
    /// writer gets StoreError code .locked with a message naming the directory), and recovers.
    ///
    /// Recovery cuts a torn last record off the journal and deletes what an interrupted compaction left;
    /// it refuses to open (`.corrupt`, naming the file and line) rather than drop anything else.
    public static func open(directory: URL, options: Options = .init()) async throws -> FileDocumentStore {
        let path = FileDocumentStore.path(of: directory)
        if case .failure = POSIX.identity(ofPath: path) {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw StoreError(
                    code: .io, message: "cannot create the store directory \(path): \(error.localizedDescription)",
                    path: path)
            }
            if options.fsync {
                // The new directory's own name is durable before anything in it is acknowledged.
                let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
                try POSIX.syncDirectory(parent)
            }
        }
        let lock = try DirectoryLock(directory: path)
        let recovered = try Recovery.load(directory: path, forWriting: true)
        let state = StoreState(table: recovered.table, directory: path)
        let (writer, removed) = try JournalWriter.start(
            directory: path,
            options: options,
            lock: lock,
            recovered: recovered,
            state: state
        )
        var report = recovered.report
        report.removedFiles = removed
        return FileDocumentStore(directory: directory, path: path, recovery: report, state: state, writer: writer)
    }

    /// Opens without locking and without ever writing (for `weiquan cases list` while the service runs):
    /// loads the current snapshot and journal, ignoring a torn tail without truncating it; retries if a
    /// compaction swaps files underneath.
    ///
    /// The store shows the state as of the open; open again to see later writes. A missing directory throws
    /// `.notFound`; an empty one is an empty store.
    /// - Parameter clock: What the short pauses between retries are timed on.
    public static func openReadOnly(
        directory: URL, clock: any Clock<Duration> = ContinuousClock()
    ) async throws -> FileDocumentStore {
        let path = FileDocumentStore.path(of: directory)
        if case .failure(let error) = POSIX.identity(ofPath: path) {
            throw StoreError(
                code: error.code == .notFound ? .notFound : .io,
                message: "there is no store at \(path): \(error.message)",
                path: path,
                systemError: error.systemError
            )
        }
        var attempt = 0
        while true {
            attempt += 1
            let failure: StoreError
            do throws(StoreError) {
                let recovered = try Recovery.load(directory: path, forWriting: false)
                let state = StoreState(table: recovered.table, directory: path)
                return FileDocumentStore(
                    directory: directory, path: path, recovery: recovered.report, state: state, writer: nil)
            } catch {
                failure = error
            }
            switch failure.code {
            case .notFound where attempt < 50:
                // A compaction deleted a file between the listing and the read: list again.
                break
            case .notFound:
                throw StoreError(
                    code: .busy,
                    message: "the files of \(path) kept changing while they were read (\(failure.message))",
                    path: path
                )
            case .corrupt where attempt < 3:
                // A writer may have been cutting a failed append off while this was read: look again.
                break
            default:
                throw failure
            }
            // A moment for the writer to finish what it was doing: 2 ms more with each retry.
            try await clock.sleep(for: .milliseconds(2 * attempt))
        }
    }

    /// Whether the store was opened read-only.
    public var isReadOnly: Bool { self.writer == nil }

    /// Applies the changes atomically (all or none after a crash) and returns only when they are durable.
    ///
    /// Throws `.invalidDocument` (nothing written) for a bad change, `.conflict` (nothing written) for a create
    /// that meets an existing document (checked by the writer, in commit order), `.readOnly` for a read-only store,
    /// `.closed` after `close()`, `.io` if the append failed (nothing of it was kept), and `.unusable` after
    /// a failed fsync (the write's fate is what the next recovery finds).
    public func write(_ changes: [DocumentChange]) async throws {
        guard let (writer, prepared) = try self.prepare(changes) else { return }
        try await writer.submit(prepared)
    }

    /// ``write(_:)`` without waiting: `completion` is told on the writer's group commit (at the caller's place, with
    /// a ``CallerAffinity``), or at once when the changes are refused before they are queued.
    public func startWrite(
        _ changes: [DocumentChange], completion: @escaping @Sendable (Result<Void, any Error>) -> Void
    ) {
        do {
            guard let (writer, prepared) = try self.prepare(changes) else { return completion(.success(())) }
            writer.enqueue(prepared, caller: .callback(completion))
        } catch {
            completion(.failure(error))
        }
    }

    /// The writer and the checked, encoded changes; nil for no changes on an open store (nothing to write). Throws
    /// what refuses the changes before they are queued: a read-only or closed store, a bad change.
    private func prepare(_ changes: [DocumentChange]) throws -> (JournalWriter, PreparedWrite)? {
        guard let writer = self.writer else { throw self.readOnlyError() }
        if changes.isEmpty {
            try self.state.ensureOpen()
            return nil
        }
        return (writer, try PreparedWrite(validating: changes, encodeJournalLine: true))
    }

    /// Reads come from the in-memory state: they never wait.
    public var readsAreImmediate: Bool { true }

    /// The JSON of one document, or nil if there is none.
    public func document(collection: String, id: String) async throws -> Data? {
        try self.state.read { $0.document(collection: collection, id: id) }
    }

    /// Every document of a collection, ordered by id.
    public func documents(collection: String) async throws -> [(id: String, json: Data)] {
        try self.state.read { $0.documents(collection: collection) }
    }

    /// How many documents a collection holds.
    public func count(collection: String) async throws -> Int {
        try self.state.read { $0.count(collection: collection) }
    }

    /// The names of the collections that hold documents, sorted.
    public func collections() async throws -> [String] {
        try self.state.read { $0.collectionNames }
    }

    /// Throws if a write would fail now (for /healthz): the store is read-only, closed or unusable, the
    /// directory or journal is gone, no file can be created in the directory, or the device is full.
    public func checkWritable() async throws {
        guard let writer = self.writer else {
            throw self.readOnlyError()
        }
        try writer.checkWritable()
    }

    /// Writes a snapshot of the current state as a new generation and deletes the older one; returns when
    /// that is done. Writes go on meanwhile.
    public func compact() async throws {
        guard let writer = self.writer else {
            throw self.readOnlyError()
        }
        try await writer.compact()
    }

    /// Commits what is queued, waits for a running compaction, releases the lock. Later calls throw
    /// `.closed`; closing twice is fine.
    public func close() async throws {
        if let writer = self.writer {
            await writer.close()
        }
        self.state.close()
    }

    /// Sets the function called after each group commit with the batch size and the seconds its
    /// write+fsync took (for /metrics); nil removes it.
    ///
    /// It runs on the writer thread, so it must be quick and must not wait for the store. Capture the store
    /// weakly, if at all.
    public func onFlush(_ observer: (@Sendable (Int, Double) -> Void)?) {
        self.writer?.setObserver(observer)
    }

    /// Counters since the store was opened (for a read-only store: what recovery found).
    public var statistics: StoreStatistics {
        if let writer = self.writer {
            return writer.statistics
        }
        return StoreStatistics(generation: self.recovery.generation, lastSequence: self.recovery.lastSequence)
    }

    private func readOnlyError() -> StoreError {
        StoreError(code: .readOnly, message: "the store at \(self.path) was opened read-only", path: self.path)
    }

    /// The directory's path without a trailing slash.
    private static func path(of directory: URL) -> String {
        var path = directory.standardizedFileURL.path
        while path.count > 1 && path.hasSuffix("/") {
            path.removeLast()
        }
        return path
    }
}
