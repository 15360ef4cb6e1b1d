import Foundation
import Synchronization
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// Retry answers past the window are deleted when a service starts, whoever left them: a process that crashed
/// before its sweep, or another instance that stopped (each instance sweeps only the answers it gave).
@Suite struct RetryAnswerCleanupTests {
    @Test func aStartingServiceDeletesAnswersPastTheWindowAndKeepsTheRecentOnes() async throws {
        let store = MemoryDocumentStore()
        let now = DeskHarness.mondayMorning
        let old = (0..<2_500).map { RetryRecord(id: "msg:old-\($0)", reply: "好的", handledAt: now - 301) }
        try await store.put(contentsOf: old)
        try await store.put(RetryRecord(id: "msg:recent", reply: "您好", handledAt: now - 299))
        let service = try await ConversationService(
            machine: TestServer.data.makeMachine(), store: store, dedupeWindow: 300, clock: { now })
        #expect(try await store.all(RetryRecord.self).map(\.id) == ["msg:recent"])
        // The recent answer still serves its retry.
        #expect(await service.handle(.text("你好"), applicant: "u", key: "msg:recent") == .reply("您好", at: now - 299))
    }
}

/// The text of an earlier answer is read from its retry record when a retry comes; the ledger does not hold it.
@Suite struct RetryAnswerReadTests {
    /// A store whose retry records cannot be read once `refuse` is set (a damaged disk, a lost connection).
    final class UnreadableRetries: DocumentStore {
        let inner = MemoryDocumentStore()
        let refuse = Mutex(false)

        func write(_ changes: [DocumentChange]) async throws { try await self.inner.write(changes) }

        func document(collection: String, id: String) async throws -> Data? {
            if collection == RetryRecord.collection, self.refuse.withLock({ $0 }) {
                throw CocoaError(.fileReadUnknown)
            }
            return try await self.inner.document(collection: collection, id: id)
        }

        func documents(collection: String) async throws -> [(id: String, json: Data)] {
            try await self.inner.documents(collection: collection)
        }

        func count(collection: String) async throws -> Int { try await self.inner.count(collection: collection) }

        func collections() async throws -> [String] { try await self.inner.collections() }

        func checkWritable() async throws { try await self.inner.checkWritable() }
    }

    @Test func aRetryGetsTheStoredTextAndOneThatCannotBeReadGetsSuccessWithNothingRunTwice() async throws {
        let store = UnreadableRetries()
        let now = DeskHarness.mondayMorning
        let service = try await ConversationService(
            machine: TestServer.data.makeMachine(), store: store, clock: { now })
        let first = await service.handle(.text("我要申请维权援助"), applicant: "u-read", key: "msg:read")
        guard case .reply = first else {
            Issue.record("no reply to the first delivery: \(first)")
            return
        }
        let stored = try await store.inner.get(Conversation.self, id: "u-read")
        // The retry's text comes from the record: the same answer, byte for byte.
        #expect(await service.handle(.text("我要申请维权援助"), applicant: "u-read", key: "msg:read") == first)
        // The record cannot be read: `success`, and the conversation is not moved on a second time.
        store.refuse.withLock { $0 = true }
        #expect(await service.handle(.text("我要申请维权援助"), applicant: "u-read", key: "msg:read") == .noReply)
        #expect(try await store.inner.get(Conversation.self, id: "u-read") == stored)
        #expect(try await store.inner.count(RetryRecord.self) == 1)
    }
}
