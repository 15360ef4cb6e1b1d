import Foundation
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
