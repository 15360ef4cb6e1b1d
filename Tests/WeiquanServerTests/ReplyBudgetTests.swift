import Foundation
import Synchronization
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanStore
import WeiquanTestSupport

@testable import WeiquanServer

/// The 5-second rule: an answer that is not ready within the budget goes out through the outbox, once.
///
/// The budgets run on a manual clock: a budget runs out only when a test moves the clock past it (while the store's
/// gate is shut, so the work cannot have finished), and a fast answer always comes before a budget nobody moves.
/// Every wait for what happens next is a wait for the event itself. Each test runs on both paths: the work in the
/// caller's task up to its write (a store whose reads never wait), and the work in a task of its own.
@Suite struct ReplyBudgetTests {
    /// A store whose writes wait until the test opens its gate, like a disk that has stalled.
    final class GatedStore: DocumentStore {
        let inner = MemoryDocumentStore()
        /// Whether the store says its reads never wait: the service then handles a message in the caller's task up
        /// to its write (the embedded store's path), else in a task of its own (PostgreSQL's).
        let readsAreImmediate: Bool

        init(readsAreImmediate: Bool = true) { self.readsAreImmediate = readsAreImmediate }
        private let gate = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((true, []))
        /// The documents written so far, by collection (for tests waiting on a write).
        private let written = Observed<[String: Int]>([:])

        private let failing = Mutex(false)

        /// While set, every write that stores a conversation fails (the disk fills up just then); writes of
        /// other documents alone still succeed.
        func failWrites(_ fail: Bool) { self.failing.withLock { $0 = fail } }

        func close() { self.gate.withLock { $0.open = false } }

        func open() {
            let waiting = self.gate.withLock { gate in
                gate.open = true
                defer { gate.waiting = [] }
                return gate.waiting
            }
            for continuation in waiting { continuation.resume() }
        }

        func write(_ changes: [DocumentChange]) async throws {
            await withCheckedContinuation { continuation in
                let open = self.gate.withLock { gate -> Bool in
                    if gate.open { return true }
                    gate.waiting.append(continuation)
                    return false
                }
                if open { continuation.resume() }
            }
            if self.failing.withLock({ $0 }), changes.contains(where: { $0.collection == Conversation.collection }) {
                throw CocoaError(.fileWriteOutOfSpace)
            }
            try await self.inner.write(changes)
            self.written.update { written in
                for change in changes { written[change.collection, default: 0] += 1 }
            }
        }

        /// Returns once a write has put a document into `collection` (`count` of them in all).
        func waitForWrites(to collection: String, count: Int = 1) async throws {
            try await self.written.wait("\(count) write(s) to \(collection)") { $0[collection, default: 0] >= count }
        }
        func document(collection: String, id: String) async throws -> Data? {
            try await self.inner.document(collection: collection, id: id)
        }
        func documents(collection: String) async throws -> [(id: String, json: Data)] {
            try await self.inner.documents(collection: collection)
        }
        func count(collection: String) async throws -> Int { try await self.inner.count(collection: collection) }
        func collections() async throws -> [String] { try await self.inner.collections() }
        func checkWritable() async throws {}
    }

    /// Records what the service queues, and hands out held texts.
    final class RecordingQueue: OutboundQueue {
        private struct State: Sendable {
            var queued: [Queued] = []
            var held: [ApplicantID: [String]] = [:]
        }

        struct Queued: Sendable, Equatable {
            var applicant: ApplicantID
            var content: String
        }

        private let state = Observed(State())

        init(held: [ApplicantID: [String]] = [:]) { self.state.update { $0.held = held } }

        func enqueue(_ content: String, to applicant: ApplicantID, author: OutboxAuthor) async throws {
            self.state.update { $0.queued.append(Queued(applicant: applicant, content: content)) }
        }
        func prepare(_ content: String, to applicant: ApplicantID, author: OutboxAuthor) async throws
            -> PreparedOutbound
        {
            PreparedOutbound(
                changes: [],
                commit: { self.state.update { $0.queued.append(Queued(applicant: applicant, content: content)) } })
        }
        func prepareHeld(for applicant: ApplicantID, owner: ConversationOwner) async throws -> HeldHandover {
            let texts = self.state.update { state in
                defer { state.held[applicant] = nil }
                return state.held[applicant] ?? []
            }
            return HeldHandover(texts: texts, changes: [])
        }
        func releaseHeld(for applicant: ApplicantID) async throws {}
        var queued: [Queued] { self.state.value.queued }

        /// Returns once `count` messages were queued.
        func waitForQueued(_ count: Int) async throws {
            try await self.state.wait("\(count) queued message(s)") { $0.queued.count >= count }
        }
    }

    let clock = ManualClock()

    func service(store: GatedStore, queue: RecordingQueue, metrics: Metrics = Metrics()) async throws
        -> ConversationService
    {
        let service = try await ConversationService(
            machine: TestServer.data.makeMachine(), store: store, outbound: queue,
            // The records' dates: a weekday morning, when the desk is open (a request for a person is a handoff).
            clock: { DeskHarness.mondayMorning }, timerClock: self.clock, metrics: metrics
        )
        #expect(service.runsInCallersTask == store.readsAreImmediate)
        return service
    }

    /// Sends 谢谢 with a 20 ms budget and moves the clock past the budget once the service waits on it.
    func handlePastTheBudget(_ service: ConversationService, key: String) async throws -> ConversationService.Outcome {
        let waiting = self.clock.sleeperCount
        async let outcome = service.handle(.text("谢谢"), applicant: "u", key: key, budget: .milliseconds(20))
        try await self.clock.waitForSleepers(waiting + 1)
        self.clock.advance(by: .milliseconds(20))
        return await outcome
    }

    @Test(arguments: [true, false]) func aSlowAnswerIsSuccessThenExactlyOneOutboxDelivery(inCallersTask: Bool)
        async throws
    {
        let store = GatedStore(readsAreImmediate: inCallersTask)
        let queue = RecordingQueue()
        let metrics = Metrics()
        let service = try await self.service(store: store, queue: queue, metrics: metrics)
        store.close()
        let outcome = try await self.handlePastTheBudget(service, key: "msg:1")
        #expect(outcome == .noReply)
        #expect(queue.queued.isEmpty)
        store.open()
        try await queue.waitForQueued(1)
        #expect(queue.queued.first?.applicant == "u")
        #expect(queue.queued.first?.content == TestServer.data.makeMachine().replies.render("thanks"))
        #expect(metrics.value("weiquan_late_replies_total") == 1)
        // A retry after the answer went to the outbox gets success, not the text a second time.
        #expect(await service.handle(.text("谢谢"), applicant: "u", key: "msg:1", budget: .milliseconds(20)) == .noReply)
        #expect(queue.queued.count == 1)
        #expect(try await store.count(collection: Conversation.collection) == 1)
    }

    @Test(arguments: [true, false]) func aRetryWhileStillWorkingNeverRunsTwice(inCallersTask: Bool) async throws {
        let store = GatedStore(readsAreImmediate: inCallersTask)
        let queue = RecordingQueue()
        let service = try await self.service(store: store, queue: queue)
        store.close()
        let first = try await self.handlePastTheBudget(service, key: "msg:2")
        // WeChat's retry comes while the first delivery is still being worked on: not ready within its budget.
        let retry = try await self.handlePastTheBudget(service, key: "msg:2")
        #expect(first == .noReply && retry == .noReply)
        store.open()
        try await queue.waitForQueued(1)
        #expect(try await store.inner.all(RetryRecord.self).count == 1)
        #expect(try await store.inner.all(Conversation.self).count == 1)
        #expect(queue.queued.count == 1)
    }

    @Test(arguments: [true, false]) func aRetryThatWaitsLongEnoughGetsTheAnswerAndTheOutboxNothing(inCallersTask: Bool)
        async throws
    {
        let store = GatedStore(readsAreImmediate: inCallersTask)
        let queue = RecordingQueue()
        let service = try await self.service(store: store, queue: queue)
        store.close()
        #expect(try await self.handlePastTheBudget(service, key: "msg:3") == .noReply)
        async let retry = service.handle(.text("谢谢"), applicant: "u", key: "msg:3", budget: .seconds(30))
        // The retry is waiting for the first delivery's answer before the disk comes back.
        try await withSafetyLimit("the retry waits") { try await service.ledger.waitForRetries(of: "msg:3") }
        store.open()
        guard case .reply(let text, _) = await retry else {
            Issue.record("expected the finished answer")
            return
        }
        #expect(text == TestServer.data.makeMachine().replies.render("thanks"))
        #expect(queue.queued.isEmpty)
    }

    @Test(arguments: [true, false]) func aLateAnswerIsNotRepeatedToARetryAfterARestart(inCallersTask: Bool) async throws
    {
        let store = GatedStore(readsAreImmediate: inCallersTask)
        let queue = RecordingQueue()
        let service = try await self.service(store: store, queue: queue)
        store.close()
        #expect(try await self.handlePastTheBudget(service, key: "msg:7") == .noReply)
        store.open()
        try await queue.waitForQueued(1)
        // The service restarts within the retry window; WeChat's retry of the message arrives at the new one.
        let restartedQueue = RecordingQueue()
        let restarted = try await self.service(store: store, queue: restartedQueue)
        #expect(await restarted.handle(.text("谢谢"), applicant: "u", key: "msg:7", budget: .seconds(4)) == .noReply)
        #expect(restartedQueue.queued.isEmpty)
        #expect(try await store.inner.get(RetryRecord.self, id: "msg:7")?.reply == nil)
    }

    @Test(arguments: [true, false]) func aFastAnswerIsAPassiveReplyAndNothingIsQueued(inCallersTask: Bool) async throws
    {
        let queue = RecordingQueue()
        let service = try await self.service(store: GatedStore(readsAreImmediate: inCallersTask), queue: queue)
        let outcome = await service.handle(.text("谢谢"), applicant: "u", key: "msg:4", budget: .seconds(4))
        guard case .reply = outcome else {
            Issue.record("expected a reply, got \(outcome)")
            return
        }
        #expect(queue.queued.isEmpty)
    }

    @Test func anIdTakenMeanwhileRunsTheWorkAgainInTheCallersTask() async throws {
        let store = GatedStore(readsAreImmediate: true)
        let metrics = Metrics()
        let service = try await self.service(store: store, queue: RecordingQueue(), metrics: metrics)
        // Another writer took the handoff id the service offers next, after the service read the store.
        try await store.inner.write([
            try .create(
                HandoffRecord(
                    id: "H000001", applicant: "someone-else", unit: UnitID("centre"), reason: .requested,
                    status: .waiting, requestedAt: Date(timeIntervalSince1970: 1_795_222_800)))
        ])
        let outcome = await service.handle(.text("转人工"), applicant: "u", key: "msg:8", budget: .seconds(4))
        guard case .reply = outcome else {
            Issue.record("expected a reply, got \(outcome)")
            return
        }
        #expect(metrics.value("weiquan_store_conflicts_total") == 1)
        let handoffs = try await store.inner.all(HandoffRecord.self)
        #expect(handoffs.map(\.id).sorted() == ["H000001", "H000002"])
        #expect(handoffs.first { $0.applicant == "u" }?.id == "H000002")
        #expect(try await store.inner.get(RetryRecord.self, id: "msg:8") != nil)
        // The applicant's lane was left: the next message (forwarded to the handoff now) is handled.
        try await withSafetyLimit("the next message is handled") {
            _ = await service.handle(.text("谢谢"), applicant: "u", key: "msg:9", budget: .seconds(4))
        }
        #expect(try await store.inner.get(RetryRecord.self, id: "msg:9") != nil)
    }

    @Test func aFailedWriteInTheCallersTaskAnswersBusyAndFreesTheKey() async throws {
        let store = GatedStore(readsAreImmediate: true)
        let service = try await self.service(store: store, queue: RecordingQueue())
        store.failWrites(true)
        let busy = TestServer.data.makeMachine().replies.render("system.busy")
        guard
            case .reply(let text, _) = await service.handle(
                .text("谢谢"), applicant: "u", key: "msg:10", budget: .seconds(4))
        else {
            Issue.record("expected the busy reply")
            return
        }
        #expect(text == busy)
        #expect(try await store.inner.count(collection: Conversation.collection) == 0)
        // WeChat's retry of the message, once the disk is back, is handled afresh.
        store.failWrites(false)
        guard
            case .reply(let again, _) = await service.handle(
                .text("谢谢"), applicant: "u", key: "msg:10", budget: .seconds(4))
        else {
            Issue.record("expected a reply to the retry")
            return
        }
        #expect(again == TestServer.data.makeMachine().replies.render("thanks"))
    }

    @Test func aConversationThatCannotBeReadInTheCallersTaskAnswersBusyAndLeavesTheLane() async throws {
        let store = GatedStore(readsAreImmediate: true)
        let service = try await self.service(store: store, queue: RecordingQueue())
        // A stored conversation that does not decode: the work fails before anything is written.
        try await store.inner.write([
            DocumentChange(collection: Conversation.collection, id: "u", json: Data("{}".utf8))
        ])
        let busy = TestServer.data.makeMachine().replies.render("system.busy")
        for key in ["msg:11", "msg:12"] {
            // The second message of the applicant would wait for ever behind a lane left taken.
            let outcome = try await withSafetyLimit("message \(key) is answered") {
                await service.handle(.text("谢谢"), applicant: "u", key: key, budget: .seconds(4))
            }
            guard case .reply(let text, _) = outcome else {
                Issue.record("expected the busy reply to \(key), got \(outcome)")
                continue
            }
            #expect(text == busy)
        }
        #expect(try await store.inner.get(RetryRecord.self, id: "msg:11") == nil)
    }

    @Test(arguments: [true, false]) func heldAnswersRideAlongWithTheNextReply(inCallersTask: Bool) async throws {
        let queue = RecordingQueue(held: ["u": ["工作人员：您的材料已收到。"]])
        let service = try await self.service(store: GatedStore(readsAreImmediate: inCallersTask), queue: queue)
        let outcome = await service.handle(.text("谢谢"), applicant: "u", key: "msg:5", budget: .seconds(4))
        let replies = TestServer.data.makeMachine().replies
        let expected = replies.render("outbox.held", ["messages": "工作人员：您的材料已收到。"]) + "\n\n" + replies.render("thanks")
        guard case .reply(let text, _) = outcome else {
            Issue.record("expected a reply, got \(outcome)")
            return
        }
        #expect(text == expected)
        // Handed over once only.
        let next = await service.handle(.text("谢谢"), applicant: "u", key: "msg:6", budget: .seconds(4))
        guard case .reply(let again, _) = next else {
            Issue.record("expected a reply, got \(next)")
            return
        }
        #expect(again == replies.render("thanks"))
    }
}
