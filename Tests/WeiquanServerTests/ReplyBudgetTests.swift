import Foundation
import Synchronization
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// The 5-second rule: an answer that is not ready within the budget goes out through the outbox, once.
@Suite struct ReplyBudgetTests {
    /// A store whose writes take a while, like a disk under pressure.
    final class SlowStore: DocumentStore {
        let inner = MemoryDocumentStore()
        let delay: Duration

        init(delay: Duration) { self.delay = delay }

        func write(_ changes: [DocumentChange]) async throws {
            try await Task.sleep(for: self.delay)
            try await self.inner.write(changes)
        }
        func document(collection: String, id: String) async throws -> Data? {
            try await self.inner.document(collection: collection, id: id)
        }
        func documents(collection: String) async throws -> [(id: String, json: Data)] {
            try await self.inner.documents(collection: collection)
        }
        func count(collection: String) async throws -> Int { try await self.inner.count(collection: collection) }
        func checkWritable() async throws {}
    }

    /// Records what the service queues, and hands out held texts.
    final class RecordingQueue: OutboundQueue {
        private let state = Mutex<(queued: [(String, String)], held: [String: [String]])>(([], [:]))

        init(held: [String: [String]] = [:]) { self.state.withLock { $0.held = held } }

        func enqueue(_ content: String, to applicant: String) async throws {
            self.state.withLock { $0.queued.append((applicant, content)) }
        }
        func takeHeld(for applicant: String) async throws -> [String] {
            self.state.withLock { state in
                defer { state.held[applicant] = nil }
                return state.held[applicant] ?? []
            }
        }
        var queued: [(String, String)] { self.state.withLock { $0.queued } }
    }

    func service(store: any DocumentStore, queue: RecordingQueue, metrics: Metrics = Metrics()) async throws
        -> ConversationService
    {
        try await ConversationService(
            machine: TestServer.data.makeMachine(), store: store, outbound: queue, metrics: metrics
        )
    }

    func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<400 where !condition() { try await Task.sleep(for: .milliseconds(5)) }
        #expect(condition())
    }

    @Test func aSlowAnswerIsSuccessThenExactlyOneOutboxDelivery() async throws {
        let store = SlowStore(delay: .milliseconds(300))
        let queue = RecordingQueue()
        let metrics = Metrics()
        let service = try await self.service(store: store, queue: queue, metrics: metrics)
        let outcome = await service.handle(.text("谢谢"), applicant: "u", key: "msg:1", budget: .milliseconds(20))
        #expect(outcome == .noReply)
        try await self.waitUntil { queue.queued.count == 1 }
        #expect(queue.queued.first?.0 == "u")
        #expect(queue.queued.first?.1 == TestServer.data.makeMachine().replies.render("thanks"))
        #expect(metrics.value("weiquan_late_replies_total") == 1)
        // A retry after the answer went to the outbox gets success, not the text a second time.
        #expect(await service.handle(.text("谢谢"), applicant: "u", key: "msg:1", budget: .milliseconds(20)) == .noReply)
        try await Task.sleep(for: .milliseconds(50))
        #expect(queue.queued.count == 1)
        #expect(try await store.count(collection: ConversationRecord.collection) == 1)
    }

    @Test func aRetryWhileStillWorkingNeverRunsTwice() async throws {
        let store = SlowStore(delay: .milliseconds(300))
        let queue = RecordingQueue()
        let service = try await self.service(store: store, queue: queue)
        async let first = service.handle(.text("谢谢"), applicant: "u", key: "msg:2", budget: .milliseconds(20))
        try await Task.sleep(for: .milliseconds(50))
        // WeChat's retry comes while the first delivery is being worked on: not ready within its budget.
        let retry = await service.handle(.text("谢谢"), applicant: "u", key: "msg:2", budget: .milliseconds(20))
        #expect(retry == .noReply)
        #expect(await first == .noReply)
        try await self.waitUntil { queue.queued.count == 1 }
        try await Task.sleep(for: .milliseconds(50))
        #expect(queue.queued.count == 1)
        let records = try await store.inner.all(ConversationRecord.self)
        #expect(records.count == 1)
    }

    @Test func aRetryThatWaitsLongEnoughGetsTheAnswerAndTheOutboxNothing() async throws {
        let store = SlowStore(delay: .milliseconds(150))
        let queue = RecordingQueue()
        let service = try await self.service(store: store, queue: queue)
        async let first = service.handle(.text("谢谢"), applicant: "u", key: "msg:3", budget: .milliseconds(20))
        try await Task.sleep(for: .milliseconds(40))
        let retry = await service.handle(.text("谢谢"), applicant: "u", key: "msg:3", budget: .seconds(5))
        guard case .reply(let text, _) = retry else {
            Issue.record("expected the finished answer, got \(retry)")
            return
        }
        #expect(text == TestServer.data.makeMachine().replies.render("thanks"))
        #expect(await first == .noReply)
        try await Task.sleep(for: .milliseconds(50))
        #expect(queue.queued.isEmpty)
    }

    @Test func aFastAnswerIsAPassiveReplyAndNothingIsQueued() async throws {
        let queue = RecordingQueue()
        let service = try await self.service(store: MemoryDocumentStore(), queue: queue)
        let outcome = await service.handle(.text("谢谢"), applicant: "u", key: "msg:4", budget: .seconds(4))
        guard case .reply = outcome else {
            Issue.record("expected a reply, got \(outcome)")
            return
        }
        #expect(queue.queued.isEmpty)
    }

    @Test func heldAnswersRideAlongWithTheNextReply() async throws {
        let queue = RecordingQueue(held: ["u": ["工作人员：您的材料已收到。"]])
        let service = try await self.service(store: MemoryDocumentStore(), queue: queue)
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
