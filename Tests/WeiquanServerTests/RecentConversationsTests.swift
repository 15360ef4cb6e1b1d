import Foundation
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

@Suite struct RecentConversationsTests {
    let now = Date(timeIntervalSince1970: 1_795_222_800)

    func conversation(_ name: String) -> Conversation {
        Conversation(applicant: ApplicantID(name), updatedAt: self.now)
    }

    @Test func holdsAtMostItsCapacityAndKeepsTheRecentlyActive() {
        var recent = RecentConversations(capacity: 4)
        for number in 0..<100 {
            recent.remember(self.conversation("a\(number)"))
            // The applicant in the middle of a form writes between the others: never dropped.
            if number.isMultiple(of: 2) { #expect(recent.conversation(of: ApplicantID("a0")) != nil) }
            #expect(recent.count <= 4)
        }
        #expect(recent.conversation(of: ApplicantID("a99")) != nil)
        #expect(recent.conversation(of: ApplicantID("a0")) != nil)
        #expect(recent.conversation(of: ApplicantID("a50")) == nil)
    }

    @Test func theLatestCopyWinsAndForgettingDropsIt() {
        var recent = RecentConversations(capacity: 2)
        var first = self.conversation("a")
        recent.remember(first)
        recent.remember(self.conversation("b"))
        first.updatedAt = self.now.addingTimeInterval(60)
        recent.remember(first)
        #expect(recent.conversation(of: ApplicantID("a"))?.updatedAt == self.now.addingTimeInterval(60))
        #expect(recent.count <= 2)
        recent.forget(ApplicantID("a"))
        #expect(recent.conversation(of: ApplicantID("a")) == nil)
    }

    @Test func conversationsIdleSinceTheCutoffAreDroppedAndTheRestKept() {
        var recent = RecentConversations(capacity: 100)
        for number in 0..<60 {
            var conversation = self.conversation("a\(number)")
            conversation.updatedAt = self.now.addingTimeInterval(Double(number))
            recent.remember(conversation)
        }
        recent.forget(idleBefore: self.now.addingTimeInterval(55))
        #expect(recent.count == 5)
        #expect(recent.conversation(of: ApplicantID("a54")) == nil)
        #expect(recent.conversation(of: ApplicantID("a55")) != nil)
        #expect(recent.conversation(of: ApplicantID("a59")) != nil)
    }

    /// After a sweep, an applicant who left is read back from the store, where they were.
    @Test func theSweepDropsIdleConversationsFromMemoryAndTheyGoOnFromTheStore() async throws {
        let store = MemoryDocumentStore()
        let clock = TestClock()
        let service = try await ConversationService(
            machine: TestServer.data.makeMachine(), store: store, dedupeWindow: 60, clock: clock.function)
        _ = await service.handle(.text("我要申请维权援助"), applicant: "idle", key: "k1")
        #expect(service.conversationsHeld == 1)
        clock.advance(61)
        try await service.sweepRetries()
        #expect(service.conversationsHeld == 0)
        let reference = try await ConversationService(
            machine: TestServer.data.makeMachine(), store: MemoryDocumentStore(), clock: clock.function)
        _ = await reference.handle(.text("我要申请维权援助"), applicant: "x", key: "x1")
        let expected = await reference.handle(.text("1"), applicant: "x", key: "x2")
        #expect(await service.handle(.text("1"), applicant: "idle", key: "k2") == expected)
    }

    @Test func capacityZeroKeepsNothing() {
        var recent = RecentConversations(capacity: 0)
        recent.remember(self.conversation("a"))
        #expect(recent.count == 0)
        #expect(recent.conversation(of: ApplicantID("a")) == nil)
    }

    /// With room for two conversations, five applicants in the middle of an aid request each go on where they
    /// were: a conversation no longer in memory is read back from the store.
    @Test func aConversationDroppedFromMemoryGoesOnFromTheStore() async throws {
        let store = MemoryDocumentStore()
        let service = try await ConversationService(
            machine: TestServer.data.makeMachine(), store: store, conversationCache: 2,
            clock: { Date(timeIntervalSince1970: 1_795_222_800) })
        let applicants = (0..<5).map { ApplicantID("applicant-\($0)") }
        var key = 0
        func say(_ text: String, _ applicant: ApplicantID) async -> String {
            key += 1
            guard case .reply(let reply, _) = await service.handle(.text(text), applicant: applicant, key: "k\(key)")
            else { return "" }
            return reply
        }
        for applicant in applicants { _ = await say("我要申请维权援助", applicant) }
        let alone = try await ConversationService(
            machine: TestServer.data.makeMachine(), store: MemoryDocumentStore(),
            clock: { Date(timeIntervalSince1970: 1_795_222_800) })
        _ = await alone.handle(.text("我要申请维权援助"), applicant: ApplicantID("x"), key: "x1")
        guard case .reply(let expected, _) = await alone.handle(.text("1"), applicant: ApplicantID("x"), key: "x2")
        else {
            Issue.record("no reply")
            return
        }
        for applicant in applicants {
            #expect(await say("1", applicant) == expected)
        }
        let stored = try await store.get(Conversation.self, id: applicants[0].rawValue)
        #expect(stored?.state.phase != .idle)
    }
}
