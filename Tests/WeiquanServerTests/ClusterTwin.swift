import Foundation
import Synchronization
import WeiquanServer
import WeiquanStore
import WeiquanTestSupport

/// An in-memory twin of several `weiquan serve` instances on one database, for tests of what must hold across
/// instances: one store shared by all, and one ``Member`` per instance with its own view of it.
///
/// - ``Member/store`` is the shared store as that instance writes it: each of its writes, once applied, is told to
///   every *other* member's ``Member/coordination`` `changes()` feed as `.changed(keys)` (before the write returns),
///   as PostgreSQL's LISTEN/NOTIFY tells the other connections. ``Member/beforeNextWrite(_:)`` runs something just
///   before that member's next write: another instance's write racing this one.
/// - The shared store enforces `DocumentChange.create` as every store does (a `.conflict`, nothing written, when the
///   document exists).
/// - ``Member/coordination`` `exclusively(key)` is one lock per key for the whole cluster (first come, first
///   served; waiting is not cancellable). `lead(role)` runs its body while the member holds the role: one member
///   at a time, the others wait in line. ``revoke(_:)`` takes a role from its holder as a lost database connection
///   would: the body is cancelled, and once it has returned the longest waiting member gets the role (the revoked
///   one lines up again). `isSingleInstance` is false.
/// - ``resync(_:)`` sends `.resync` to a member's feeds.
/// - Tests wait on events, never on time: ``waitUntilStored(_:_:)`` checks its condition after every write,
///   ``waitForRole(_:heldBy:)`` and ``waitForWaiters(_:_:)`` wait on the roles.
final class ClusterTwin: Sendable {
    /// The store every member writes.
    let store: any DocumentStore
    /// Roles, their waiting lines and the members' change feeds: what tests wait on.
    private let state = Observed(State())
    /// One lane per key of `exclusively`, shared by every member.
    private let locks = SerialLanes<String>()
    /// Successful writes so far, by any member.
    private let writes = Observed(0)

    struct Role: Sendable {
        var holder: String?
        /// The holder's running body, cancelled by ``revoke(_:)``.
        var body: Task<Void, any Error>?
        /// Revoked before the body began: it is cancelled as it begins.
        var revoked = false
        var waiting: [(id: Int, member: String, continuation: CheckedContinuation<Void, any Error>)] = []
    }

    struct State: Sendable {
        var roles: [String: Role] = [:]
        var feeds: [Int: (member: String, continuation: AsyncStream<CoordinationEvent>.Continuation)] = [:]
        var nextID = 0
    }

    init(store: any DocumentStore = MemoryDocumentStore()) {
        self.store = store
    }

    /// The instance `name` (members of one name share roles and feeds).
    func member(_ name: String) -> Member {
        Member(name: name, cluster: self)
    }

    /// Who holds `role` now.
    func holder(of role: String) -> String? {
        self.state.value.roles[role]?.holder
    }

    /// The members waiting for `role`, in line order.
    func waiting(for role: String) -> [String] {
        self.state.value.roles[role]?.waiting.map(\.member) ?? []
    }

    /// Returns once `member` holds `role`.
    func waitForRole(_ role: String, heldBy member: String) async throws {
        try await self.state.wait("\(member) holds \(role)") { $0.roles[role]?.holder == member }
    }

    /// Returns once exactly these members wait for `role`, in this order.
    func waitForWaiters(_ role: String, _ members: [String]) async throws {
        try await self.state.wait("\(members) wait for \(role)") {
            ($0.roles[role]?.waiting.map(\.member) ?? []) == members
        }
    }

    /// Takes `role` from its holder: its body is cancelled; the role passes on once the body has returned.
    func revoke(_ role: String) {
        let body = self.state.update { state -> Task<Void, any Error>? in
            guard state.roles[role]?.holder != nil else { return nil }
            state.roles[role]?.revoked = true
            return state.roles[role]?.body
        }
        body?.cancel()
    }

    /// Tells `member`'s feeds that word may have been missed.
    func resync(_ member: String) {
        for feed in self.state.value.feeds.values where feed.member == member {
            feed.continuation.yield(.resync)
        }
    }

    /// Returns once `condition` (which reads the store) holds: checked now and after every member's write.
    func waitUntilStored(_ what: String, _ condition: @escaping @Sendable () async throws -> Bool) async throws {
        try await withSafetyLimit(what) {
            while true {
                let seen = self.writes.value
                if try await condition() { return }
                try await self.writes.wait(what) { $0 > seen }
            }
        }
    }

    // MARK: - For the members

    fileprivate func wrote(_ keys: [DocumentKey], by member: String) {
        for feed in self.state.value.feeds.values where feed.member != member {
            feed.continuation.yield(.changed(keys))
        }
        self.writes.update { $0 += 1 }
    }

    fileprivate func exclusively<T: Sendable>(_ key: String, _ body: () async throws -> T) async throws -> T {
        try await self.locks.run(key, body)
    }

    fileprivate func changes(for member: String) -> AsyncStream<CoordinationEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: CoordinationEvent.self, bufferingPolicy: .unbounded)
        let id = self.state.update { state -> Int in
            state.nextID += 1
            state.feeds[state.nextID] = (member, continuation)
            return state.nextID
        }
        continuation.onTermination = { _ in self.state.update { _ = $0.feeds.removeValue(forKey: id) } }
        return stream
    }

    fileprivate func lead(
        _ role: String, as member: String, _ body: @escaping @Sendable () async throws -> Void
    ) async throws {
        while !Task.isCancelled {
            do {
                try await self.acquire(role, for: member)
            } catch {
                return
            }
            let task = Task { try await body() }
            let revoked = self.state.update { state -> Bool in
                state.roles[role]?.body = task
                return state.roles[role]?.revoked == true
            }
            if revoked { task.cancel() }
            let result = await withTaskCancellationHandler {
                await task.result
            } onCancel: {
                task.cancel()
            }
            self.release(role, from: member)
            if case .failure(let error) = result, !(error is CancellationError) { throw error }
        }
    }

    private func acquire(_ role: String, for member: String) async throws {
        let id = self.state.update { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate = self.state.update { state -> Result<Void, any Error>? in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.roles[role]?.holder == nil {
                        state.roles[role, default: Role()].holder = member
                        return .success(())
                    }
                    state.roles[role, default: Role()].waiting.append((id, member, continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = self.state.update { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.roles[role]?.waiting.firstIndex(where: { $0.id == id }) else { return nil }
                return state.roles[role]?.waiting.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private func release(_ role: String, from member: String) {
        let next = self.state.update { state -> CheckedContinuation<Void, any Error>? in
            guard var entry = state.roles[role], entry.holder == member else { return nil }
            entry.body = nil
            entry.holder = nil
            entry.revoked = false
            var next: CheckedContinuation<Void, any Error>?
            if !entry.waiting.isEmpty {
                let first = entry.waiting.removeFirst()
                entry.holder = first.member
                next = first.continuation
            }
            state.roles[role] = entry
            return next
        }
        next?.resume()
    }

    /// One instance of the cluster: its store and its coordination.
    final class Member: Sendable {
        let name: String
        let cluster: ClusterTwin
        /// The shared store as this member writes it.
        let store: MemberStore
        /// This member's coordination.
        let coordination: MemberCoordination

        fileprivate init(name: String, cluster: ClusterTwin) {
            self.name = name
            self.cluster = cluster
            self.store = MemberStore(name: name, cluster: cluster)
            self.coordination = MemberCoordination(name: name, cluster: cluster)
        }

        /// Runs `action` once, right before this member's next write is applied.
        func beforeNextWrite(_ action: @escaping @Sendable () async throws -> Void) {
            self.store.hook.withLock { $0 = action }
        }
    }

    /// The shared store as one member writes it: the other members hear of each write.
    final class MemberStore: DocumentStore {
        let name: String
        let cluster: ClusterTwin
        /// Runs once before the next write (``Member/beforeNextWrite(_:)``).
        fileprivate let hook = Mutex<(@Sendable () async throws -> Void)?>(nil)

        fileprivate init(name: String, cluster: ClusterTwin) {
            self.name = name
            self.cluster = cluster
        }

        func write(_ changes: [DocumentChange]) async throws {
            let action = self.hook.withLock { hook in
                defer { hook = nil }
                return hook
            }
            try await action?()
            try await self.cluster.store.write(changes)
            self.cluster.wrote(changes.map(\.key), by: self.name)
        }

        func document(collection: String, id: String) async throws -> Data? {
            try await self.cluster.store.document(collection: collection, id: id)
        }

        func documents(collection: String) async throws -> [(id: String, json: Data)] {
            try await self.cluster.store.documents(collection: collection)
        }

        func count(collection: String) async throws -> Int {
            try await self.cluster.store.count(collection: collection)
        }

        func collections() async throws -> [String] {
            try await self.cluster.store.collections()
        }

        func checkWritable() async throws {}
    }

    /// One member's coordination with the others.
    struct MemberCoordination: Coordination {
        let name: String
        let cluster: ClusterTwin

        var isSingleInstance: Bool { false }

        func exclusively<T: Sendable>(
            _ key: String, _ body: nonisolated(nonsending) @Sendable () async throws -> T
        ) async throws -> T {
            try await self.cluster.exclusively(key, body)
        }

        func lead(_ role: String, _ body: nonisolated(nonsending) @escaping @Sendable () async throws -> Void)
            async throws
        {
            try await self.cluster.lead(role, as: self.name, body)
        }

        func changes() -> AsyncStream<CoordinationEvent> {
            self.cluster.changes(for: self.name)
        }
    }
}
