import Foundation
import Logging
import Synchronization
import WeiquanCore
import WeiquanStore

/// The published entries of the knowledge base and their ``KnowledgeIndex``, held in memory so that the bot can
/// search them on every free-text message without touching the store (``answer(to:)``, ``best(_:)``).
///
/// **Kept up to date.** Loaded when it is made; this instance's own writes are taken in as they are made
/// (``KnowledgeService`` calls ``takeIn(_:)``); other instances' writes through ``follow(_:)``, which reads the changed
/// entries fresh from the store as ``Coordination/changes()`` reports them and reloads everything on `.resync`
/// (``KnowledgeFollower`` runs it when the instance is not alone on its store). A search sees one consistent
/// ``Snapshot``; a new one is built beside it and swapped in, so searches never wait for a rebuild.
///
/// **Never older than what this instance wrote.** Reads of the store for other instances' writes may race this
/// instance's own: an entry this instance wrote after such a read began keeps what it wrote (a later change by
/// another instance comes with word of its own).
public final class KnowledgeBase: Sendable {
    /// One consistent state of the published entries and their index.
    public struct Snapshot: Sendable {
        /// The index of the published entries.
        public let index: KnowledgeIndex
        /// The published entries by id.
        public let entries: [KnowledgeEntryID: KnowledgeEntry]
        /// Counts the changes taken in; a later snapshot has a higher one.
        public let version: Int
    }

    /// The entry that answers a message, and how well.
    public struct Answer: Sendable, Equatable {
        public var match: KnowledgeMatch
        public var entry: KnowledgeEntry
    }

    private struct State {
        /// The published entries as known now (ahead of ``current`` while a new snapshot is being built).
        var entries: [KnowledgeEntryID: KnowledgeEntry] = [:]
        var version = 0
        /// The version at which this instance last wrote each entry it wrote.
        var written: [KnowledgeEntryID: Int] = [:]
        var current: Snapshot
        /// The public page of ``current``, rendered once it is asked for.
        var page: KnowledgePage.Rendered?
    }

    let store: any DocumentStore
    let coordination: any Coordination
    let options: KnowledgeIndex.Options
    let logger: Logger
    /// One lane per entry for the changes made on this instance (``KnowledgeService``).
    let lanes = SerialLanes<KnowledgeEntryID>()
    private let state: Mutex<State>
    /// Told of every snapshot swapped in (tests wait on it).
    private let observer: (@Sendable (Snapshot) -> Void)?

    /// Loads the published entries from `store`.
    /// - Parameters:
    ///   - coordination: How this instance hears of the others' writes (``follow(_:)``).
    ///   - options: The ranking and the confidence threshold of ``best(_:)``.
    public convenience init(
        store: any DocumentStore, coordination: any Coordination = InProcessCoordination(),
        options: KnowledgeIndex.Options = .standard, logger: Logger = Logger(label: "weiquan.kb")
    ) async throws {
        try await self.init(store: store, coordination: coordination, options: options, logger: logger, observer: nil)
    }

    init(
        store: any DocumentStore, coordination: any Coordination, options: KnowledgeIndex.Options, logger: Logger,
        observer: (@Sendable (Snapshot) -> Void)?
    ) async throws {
        self.store = store
        self.coordination = coordination
        self.options = options
        self.logger = logger
        self.observer = observer
        let empty = Snapshot(index: KnowledgeIndex([], options: options), entries: [:], version: 0)
        self.state = Mutex(State(current: empty))
        try await self.reload()
    }

    // MARK: - For the bot

    /// The current snapshot.
    public var snapshot: Snapshot { self.state.withLock { $0.current } }

    /// The published entry that answers `text` with enough confidence (``KnowledgeIndex/best(_:)``), with its text;
    /// nil when the knowledge base has no answer. No I/O: safe on every message.
    public func answer(to text: String) -> Answer? {
        let snapshot = self.snapshot
        guard let match = snapshot.index.best(text), let entry = snapshot.entries[match.id] else { return nil }
        return Answer(match: match, entry: entry)
    }

    /// ``KnowledgeIndex/best(_:)`` on the current index.
    public func best(_ text: String) -> KnowledgeMatch? {
        self.snapshot.index.best(text)
    }

    /// ``KnowledgeIndex/search(_:limit:)`` on the current index.
    public func search(_ text: String, limit: Int) -> [KnowledgeMatch] {
        self.snapshot.index.search(text, limit: limit)
    }

    /// The published entry `id`, as held in memory.
    public func entry(_ id: KnowledgeEntryID) -> KnowledgeEntry? {
        self.snapshot.entries[id]
    }

    // MARK: - Keeping up

    /// Takes in entries this instance has just written (published or not).
    func takeIn(_ written: [KnowledgeEntry]) {
        self.install { state in
            for entry in written {
                state.entries[entry.id] = entry.isPublished ? entry : nil
                state.written[entry.id] = state.version + 1
            }
        }
    }

    /// Reads every entry again from the store.
    func reload() async throws {
        let since = self.state.withLock { $0.version }
        let stored = try await self.store.all(KnowledgeEntry.self)
        self.install { state in
            var entries = Dictionary(
                stored.filter(\.isPublished).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for (id, version) in state.written where version > since {
                entries[id] = state.entries[id]
            }
            state.entries = entries
        }
    }

    /// Takes in other instances' writes as `changes` reports them, until it ends.
    func follow(_ changes: AsyncStream<CoordinationEvent>) async {
        for await event in changes {
            do {
                switch event {
                case .changed(let keys):
                    let ids = keys.filter { $0.collection == KnowledgeEntry.collection }
                    if !ids.isEmpty { try await self.refresh(ids) }
                case .resync:
                    try await self.reload()
                }
            } catch {
                self.logger.warning(
                    "the knowledge base could not take in another instance's change; reloading",
                    metadata: ["error": "\(error)"])
                do {
                    try await self.reload()
                } catch {
                    self.logger.error(
                        "the knowledge base could not reload from the store", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Reads `keys` fresh from the store and takes them in (a key that is gone is a deleted entry).
    private func refresh(_ keys: [DocumentKey]) async throws {
        let since = self.state.withLock { $0.version }
        let found = try await self.store.documents(keys)
        var fresh: [KnowledgeEntryID: KnowledgeEntry?] = [:]
        for key in keys {
            let entry = try found[key].map { try StoreCoding.decode(KnowledgeEntry.self, key: key, from: $0) }
            fresh[KnowledgeEntryID(key.id)] = .some(entry)
        }
        self.install { state in
            for (id, entry) in fresh where (state.written[id] ?? 0) <= since {
                state.entries[id] = entry.flatMap { $0.isPublished ? $0 : nil }
            }
        }
    }

    /// Changes the entries, then builds the snapshot of the new version outside the lock and swaps it in unless a
    /// later one was swapped in meanwhile (it holds this change too).
    private func install(_ change: (inout State) -> Void) {
        let (entries, version) = self.state.withLock { state in
            change(&state)
            state.version += 1
            return (state.entries, state.version)
        }
        let snapshot = Snapshot(
            index: KnowledgeIndex(entries.values, options: self.options), entries: entries, version: version)
        let installed = self.state.withLock { state in
            guard state.current.version < version else { return false }
            state.current = snapshot
            state.page = nil
            return true
        }
        if installed { self.observer?(snapshot) }
    }

    // MARK: - The public page

    /// The public page of the current snapshot, rendered once per snapshot.
    func page(render: (Snapshot) -> KnowledgePage.Rendered) -> KnowledgePage.Rendered {
        let (snapshot, cached) = self.state.withLock { ($0.current, $0.page) }
        if let cached { return cached }
        let rendered = render(snapshot)
        self.state.withLock { state in
            if state.current.version == snapshot.version { state.page = rendered }
        }
        return rendered
    }
}
