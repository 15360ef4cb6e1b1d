import Foundation
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// The retry window as shipped: long enough for every WeChat retry, also across a restart, and no longer than needed.
@Suite struct RetryWindowTests {
    /// WeChat waits 5 seconds for an answer and retries three times: its last retry comes about 15 s after the first.
    static let lastWeChatRetry: TimeInterval = 15

    @Test func theShippedWindowCoversWeChatsRetriesWithMargin() throws {
        let window = TimeInterval(try TestServer.settings().server.dedupeWindowSeconds)
        #expect(window == ConversationService.defaultDedupeWindow)
        #expect(window >= 3 * Self.lastWeChatRetry)
        #expect(window <= 120)
    }

    @Test func aRetryAfterARestartWithinTheWindowGetsTheSameAnswerAndLaterNone() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weiquan-window-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = TestClock()
        let handledAt = clock.now
        let first: ConversationService.Outcome
        do {
            let store = try await FileDocumentStore.open(directory: directory)
            let service = try await ConversationService(
                machine: TestServer.data.makeMachine(), store: store, clock: clock.function)
            first = await service.handle(.text("你好"), applicant: "user-window", key: "msg:1")
            try await store.close()
        }
        guard case .reply(let text, let at) = first else {
            Issue.record("no reply to the first delivery: \(first)")
            return
        }
        #expect(at == handledAt)
        #expect(!text.isEmpty)
        // WeChat's last retry, after a restart: the same text with the same time, so the same reply bytes.
        clock.advance(Self.lastWeChatRetry)
        do {
            let store = try await FileDocumentStore.open(directory: directory)
            let service = try await ConversationService(
                machine: TestServer.data.makeMachine(), store: store, clock: clock.function)
            #expect(await service.handle(.text("你好"), applicant: "user-window", key: "msg:1") == first)
            try await store.close()
        }
        // Past the window the answer is forgotten at start, in memory and in the store.
        clock.advance(ConversationService.defaultDedupeWindow)
        let store = try await FileDocumentStore.open(directory: directory)
        let service = try await ConversationService(
            machine: TestServer.data.makeMachine(), store: store, clock: clock.function)
        #expect(service.retryAnswersHeld == 0)
        #expect(try await store.count(RetryRecord.self) == 0)
        try await store.close()
    }
}
