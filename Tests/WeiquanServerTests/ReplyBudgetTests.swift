import Foundation
import Synchronization
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// The 5-second rule: an answer that is not ready within the budget goes out through the outbox, once.
@Suite struct ReplyBudgetTests {
    /// A store whose writes wait until the test opens its gate, like a disk that has stalled.
    final class GatedStore: DocumentStore {
        let inner = MemoryDocumentStore()
        private let gate = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((true, []))

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
            if self.failing.withLock({ $0 }), changes.contains(where: { $0.collection == ConversationRecord.collection }) {
                throw CocoaError(.fileWriteOutOfSpace)
            }
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

        func enqueue(_ content: String, to applicant: String, author: OutboxAuthor) async throws {
            self.state.withLock { $0.queued.append((applicant, content)) }
        }
        func prepare(_ content: String, to applicant: String, author: OutboxAuthor) async throws -> PreparedOutbound {
            PreparedOutbound(changes: [], commit: { self.state.withLock { $0.queued.append((applicant, content)) } })
        }
        func prepareHeld(for applicant: String, owner: ConversationOwner) async throws -> HeldHandover {
            let texts = self.state.withLock { state in
                defer { state.held[applicant] = nil }
                return state.held[applicant] ?? []
            }
            return HeldHandover(texts: texts, changes: [])
        }
        func releaseHeld(for applicant: String) async throws {}
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
        let store = GatedStore()
        let queue = RecordingQueue()
        let metrics = Metrics()
        let service = try await self.service(store: store, queue: queue, metrics: metrics)
        store.close()
        let outcome = await service.handle(.text("谢谢"), applicant: "u", key: "msg:1", budget: .milliseconds(20))
        #expect(outcome == .noReply)
        #expect(queue.queued.isEmpty)
        store.open()
        try await self.waitUntil { queue.queued.count == 1 }
        #expect(queue.queued.first?.0 == "u")
        #expect(queue.queued.first?.1 == TestServer.data.makeMachine().replies.render("thanks"))
        #expect(metrics.value("weiquan_late_replies_total") == 1)
        // A retry after the answer went to the outbox gets success, not the text a second time.
        #expect(await service.handle(.text("谢谢"), applicant: "u", key: "msg:1", budget: .milliseconds(20)) == .noReply)
        #expect(queue.queued.count == 1)
        #expect(try await store.count(collection: ConversationRecord.collection) == 1)
    }

    @Test func aRetryWhileStillWorkingNeverRunsTwice() async throws {
        let store = GatedStore()
        let queue = RecordingQueue()
        let service = try await self.service(store: store, queue: queue)
        store.close()
        let first = await service.handle(.text("谢谢"), applicant: "u", key: "msg:2", budget: .milliseconds(20))
        // WeChat's retry comes while the first delivery is still being worked on: not ready within its budget.
        let retry = await service.handle(.text("谢谢"), applicant: "u", key: "msg:2", budget: .milliseconds(20))
        #expect(first == .noReply && retry == .noReply)
        store.open()
        try await self.waitUntil { queue.queued.count == 1 }
        #expect(try await store.inner.all(RetryRecord.self).count == 1)
        #expect(try await store.inner.all(ConversationRecord.self).count == 1)
        #expect(queue.queued.count == 1)
    }

    @Test func aRetryThatWaitsLongEnoughGetsTheAnswerAndTheOutboxNothing() async throws {
        let store = GatedStore()
        let queue = RecordingQueue()
        let service = try await self.service(store: store, queue: queue)
        store.close()
        #expect(await service.handle(.text("谢谢"), applicant: "u", key: "msg:3", budget: .milliseconds(20)) == .noReply)
        async let retry = service.handle(.text("谢谢"), applicant: "u", key: "msg:3", budget: .seconds(30))
        try await Task.sleep(for: .milliseconds(20))
        store.open()
        guard case .reply(let text, _) = await retry else {
            Issue.record("expected the finished answer")
            return
        }
        #expect(text == TestServer.data.makeMachine().replies.render("thanks"))
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
