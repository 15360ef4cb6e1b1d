import Foundation
import Logging
import Synchronization
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore
import WeiquanTestSupport

/// One `weiquan serve` instance of a ``ClusterTwin``: its outbox and token manager over the cluster's shared store,
/// talking to the one fake WeChat server.
final class OutboxInstance: Sendable {
    let member: ClusterTwin.Member
    let tokens: AccessTokenManager
    let outbox: Outbox
    private let runner = Mutex<Task<Void, any Error>?>(nil)

    init(_ name: String, cluster: ClusterTwin, server: FakeWeChatAPIServer, clock: ManualClock) async throws {
        self.member = cluster.member(name)
        // A clock of its own for the API's timeouts, never moved: no request times out because the machine is slow.
        let api = HTTPWeChatAPI(baseURL: server.baseURL, clock: ManualClock())
        var logger = Logger(label: "outbox-cluster-test-\(name)")
        logger.logLevel = .critical
        self.tokens = AccessTokenManager(
            api: api, appID: server.appID, secret: server.secret, clock: clock, logger: logger)
        self.outbox = try await Outbox(
            store: self.member.store, api: api, tokens: self.tokens, clock: clock.wallClock, timerClock: clock,
            coordination: self.member.coordination, logger: logger
        )
    }

    var name: String { self.member.name }

    /// What the conversation service does: enqueues under the applicant's exclusive lock.
    func enqueue(_ content: String, to applicant: ApplicantID) async throws {
        try await self.member.coordination.exclusively(applicant.rawValue) {
            try await self.outbox.enqueue(content, to: applicant)
        }
    }

    func start() {
        let outbox = self.outbox
        self.runner.withLock { $0 = Task { try await outbox.run() } }
    }

    func stop() async {
        let task = self.runner.withLock { $0 }
        task?.cancel()
        _ = try? await task?.value
    }
}

@Suite struct OutboxClusterTests {
    let role = Outbox.role

    /// Returns once every stored message is finished and `count` are stored.
    func waitUntilAllFinished(_ cluster: ClusterTwin, _ count: Int) async throws {
        try await cluster.waitUntilStored("\(count) messages are finished") {
            let stored = try await cluster.store.all(OutboxMessage.self)
            return stored.count == count && stored.allSatisfy(\.state.isFinished)
        }
    }

    /// The texts WeChat accepted, by applicant, in order.
    func accepted(_ server: FakeWeChatAPIServer) -> [String: [String]] {
        Dictionary(grouping: server.accepted, by: \.touser).mapValues { $0.map(\.content) }
    }

    @Test func messagesEnqueuedOnEveryInstanceAreDeliveredOnceInOrderByTheLeader() async throws {
        let server = try await FakeWeChatAPIServer.start()
        let cluster = ClusterTwin()
        let clock = ManualClock()
        let a = try await OutboxInstance("a", cluster: cluster, server: server, clock: clock)
        let b = try await OutboxInstance("b", cluster: cluster, server: server, clock: clock)
        a.start()
        try await cluster.waitForRole(self.role, heldBy: "a")
        b.start()
        try await cluster.waitForWaiters(self.role, ["b"])

        let applicants: [ApplicantID] = ["user-1", "user-2", "user-3"]
        var expected: [String: [String]] = [:]
        for round in 1...4 {
            for (index, applicant) in applicants.enumerated() {
                // The instances take turns, so each applicant's messages are made on both.
                let instance = (round + index).isMultiple(of: 2) ? a : b
                let text = "\(applicant.rawValue) #\(round) via \(instance.name)"
                expected[applicant.rawValue, default: []].append(text)
                try await instance.enqueue(text, to: applicant)
            }
        }
        try await self.waitUntilAllFinished(cluster, 12)
        #expect(self.accepted(server) == expected)
        #expect(server.sendRequests.count == 12)
        // Ids follow the order of making, for each applicant.
        let stored = try await cluster.store.all(OutboxMessage.self)
        for applicant in applicants {
            #expect(stored.filter { $0.applicant == applicant }.map(\.content) == expected[applicant.rawValue])
        }
        // One token, fetched by the leader; the other never asked for one.
        #expect(server.tokenRequests.count == 1)
        #expect(await a.tokens.hasToken)
        #expect(await b.tokens.hasToken == false)
        #expect(a.outbox.isDelivering && !b.outbox.isDelivering)

        await b.stop()
        await a.stop()
        await server.stop()
    }

    @Test func whenTheLeaderLosesItsRoleTheOtherDeliversTheRestAndNothingTwice() async throws {
        let server = try await FakeWeChatAPIServer.start()
        let cluster = ClusterTwin()
        let clock = ManualClock()
        let a = try await OutboxInstance("a", cluster: cluster, server: server, clock: clock)
        let b = try await OutboxInstance("b", cluster: cluster, server: server, clock: clock)
        a.start()
        try await cluster.waitForRole(self.role, heldBy: "a")
        b.start()
        try await cluster.waitForWaiters(self.role, ["b"])
        // The first send goes through, the second hangs at WeChat.
        server.scriptSend(.ok, .hang)
        for index in 1...4 {
            try await (index.isMultiple(of: 2) ? b : a).enqueue("m\(index)", to: "user-1")
        }
        try await server.waitUntil("the second send hangs") { $0.hanging == 1 }

        // The leader loses its role: it stops sending, but the call in flight finishes and is recorded first.
        cluster.revoke(self.role)
        #expect(cluster.holder(of: self.role) == "a")
        server.releaseHung()
        try await cluster.waitForRole(self.role, heldBy: "b")
        try await self.waitUntilAllFinished(cluster, 4)
        #expect(self.accepted(server) == ["user-1": ["m1", "m2", "m3", "m4"]])
        #expect(server.sendRequests.count == 4)
        // Each fetched a token while it led.
        #expect(server.tokenRequests.count == 2)
        #expect(!a.outbox.isDelivering)

        // The former leader now only queues: the new one delivers.
        try await cluster.waitForWaiters(self.role, ["a"])
        try await a.enqueue("m5", to: "user-1")
        try await self.waitUntilAllFinished(cluster, 5)
        #expect(self.accepted(server) == ["user-1": ["m1", "m2", "m3", "m4", "m5"]])
        #expect(server.tokenRequests.count == 2)

        await a.stop()
        await b.stop()
        await server.stop()
    }

    @Test func aNonLeaderNeverFetchesATokenUntilItLeads() async throws {
        let server = try await FakeWeChatAPIServer.start()
        let cluster = ClusterTwin()
        let clock = ManualClock()
        // Another instance (with no outbox here) holds the role until it is revoked.
        let other = cluster.member("other")
        let holding = Task {
            try await other.coordination.lead(self.role) {
                // Until cancelled: a clock nobody moves.
                try await ManualClock().sleep(for: .seconds(1))
            }
        }
        try await cluster.waitForRole(self.role, heldBy: "other")
        let b = try await OutboxInstance("b", cluster: cluster, server: server, clock: clock)
        b.start()
        try await cluster.waitForWaiters(self.role, ["b"])
        try await b.enqueue("one", to: "user-1")
        try await b.enqueue("two", to: "user-2")
        #expect(b.outbox.queuedCount == 2)
        #expect(!b.outbox.isDelivering)
        #expect(server.requests.isEmpty)
        #expect(await b.tokens.hasToken == false)

        holding.cancel()
        try await cluster.waitForRole(self.role, heldBy: "b")
        try await self.waitUntilAllFinished(cluster, 2)
        #expect(server.tokenRequests.count == 1)
        #expect(await b.tokens.hasToken)

        await b.stop()
        await server.stop()
    }

    @Test func anIdTakenByAnotherInstanceIsAConflictAndTheEnqueueTakesTheNextId() async throws {
        let server = try await FakeWeChatAPIServer.start()
        let cluster = ClusterTwin()
        let clock = ManualClock()
        let a = try await OutboxInstance("a", cluster: cluster, server: server, clock: clock)
        // B does not run: it hears of nothing, and its sequence stays where it was loaded.
        let b = try await OutboxInstance("b", cluster: cluster, server: server, clock: clock)
        a.start()
        try await cluster.waitForRole(self.role, heldBy: "a")
        // Right after B looked that id 1 is free, A writes its own message 1.
        b.member.beforeNextWrite { try await a.enqueue("from a", to: "user-2") }
        try await b.enqueue("from b", to: "user-1")

        let stored = try await cluster.store.all(OutboxMessage.self)
        #expect(stored.map(\.id) == [Outbox.id(1), Outbox.id(2)])
        #expect(stored.map(\.content) == ["from a", "from b"])
        try await self.waitUntilAllFinished(cluster, 2)
        #expect(self.accepted(server) == ["user-1": ["from b"], "user-2": ["from a"]])

        await a.stop()
        await server.stop()
    }

    @Test func aPreparedMessageWhoseIdWasTakenFailsTheCallersWriteAndTheRetrySucceeds() async throws {
        let server = try await FakeWeChatAPIServer.start()
        let cluster = ClusterTwin()
        let clock = ManualClock()
        let a = try await OutboxInstance("a", cluster: cluster, server: server, clock: clock)
        let b = try await OutboxInstance("b", cluster: cluster, server: server, clock: clock)
        a.start()
        try await cluster.waitForRole(self.role, heldBy: "a")

        // What the conversation service does on B, with A writing the same id between B's prepare and B's write.
        let first = try await b.outbox.prepare("from b", to: "user-1", author: .bot)
        try await a.enqueue("from a", to: "user-2")
        let conflict = await #expect(throws: StoreError.self) { try await b.member.store.write(first.changes) }
        #expect(conflict?.code == .conflict)
        first.rollback()
        // The step runs again: a new id, and the write goes through.
        let second = try await b.outbox.prepare("from b", to: "user-1", author: .bot)
        try await b.member.store.write(second.changes)
        second.commit()

        try await self.waitUntilAllFinished(cluster, 2)
        let stored = try await cluster.store.all(OutboxMessage.self)
        #expect(stored.map(\.content) == ["from a", "from b"])
        #expect(self.accepted(server) == ["user-1": ["from b"], "user-2": ["from a"]])
        // B's own queue (a mirror: B does not deliver) has it, and nothing twice.
        #expect(b.outbox.queuedCount == 1)

        await a.stop()
        await server.stop()
    }

    @Test func aMessageHeldByTheLeaderIsReleasedOrHandedOverByAnotherInstance() async throws {
        let server = try await FakeWeChatAPIServer.start()
        let cluster = ClusterTwin()
        let clock = ManualClock()
        let a = try await OutboxInstance("a", cluster: cluster, server: server, clock: clock)
        let b = try await OutboxInstance("b", cluster: cluster, server: server, clock: clock)
        a.start()
        try await cluster.waitForRole(self.role, heldBy: "a")
        b.start()
        try await cluster.waitForWaiters(self.role, ["b"])
        // The window is closed for both applicants' first messages.
        server.scriptSend(.errcode(45015), .errcode(45015))
        try await a.enqueue("held 1", to: "user-1")
        try await cluster.waitUntilStored("the first is held") {
            try await cluster.store.all(OutboxMessage.self).first?.state == .held(code: 45015)
        }
        try await a.enqueue("held 2", to: "user-2")
        try await cluster.waitUntilStored("the second is held") {
            try await cluster.store.all(OutboxMessage.self).map(\.state.isHeld) == [true, true]
        }

        // User 1 writes again and B handles it: B reads the held message from the store, whatever its mirror says.
        try await b.member.coordination.exclusively("user-1") {
            try await b.outbox.releaseHeld(for: "user-1")
        }
        try await cluster.waitUntilStored("the released message is delivered") {
            try await cluster.store.get(OutboxMessage.self, id: Outbox.id(1))?.state == .delivered
        }
        // User 2 writes again: B puts the held message into its passive reply; A does not send it.
        let handover = try await b.member.coordination.exclusively("user-2") {
            try await b.outbox.prepareHeld(for: "user-2", owner: .bot)
        }
        #expect(handover.texts == ["held 2"])
        try await b.member.store.write(handover.changes)
        handover.commit()
        try await self.waitUntilAllFinished(cluster, 2)
        #expect(try await cluster.store.get(OutboxMessage.self, id: Outbox.id(2))?.state == .deliveredInReply)
        #expect(self.accepted(server) == ["user-1": ["held 1"]])
        #expect(server.sendRequests.count == 3)

        await b.stop()
        await a.stop()
        await server.stop()
    }
}
