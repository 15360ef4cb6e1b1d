import Foundation
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// The visits the report counts as conversations, and which of them brought in a person: a pause of more than
/// half an hour starts a new one; asking for a person, leaving a question or staff taking over marks it.
@Suite struct ConversationSessionTests {
    func sessions(_ harness: DeskHarness) async throws -> [ConversationSession] {
        try await harness.store.all(ConversationSession.self).sorted { $0.startedAt < $1.startedAt }
    }

    @Test func aPauseStartsANewVisitAndAskingForAPersonMarksTheCurrentOne() async throws {
        let harness = try await DeskHarness()
        await harness.say("你好", id: 1)
        harness.clock.advance(20 * 60)
        await harness.say("申请援助需要什么条件", id: 2)
        harness.clock.advance(30 * 60)
        // Exactly the gap: the same visit.
        await harness.say("转人工", id: 3)
        var visits = try await self.sessions(harness)
        #expect(visits.count == 1 && visits[0].handedOff && visits[0].startedAt == DeskHarness.mondayMorning)

        await harness.say("结束人工", id: 4)
        harness.clock.advance(30 * 60 + 1)
        await harness.say("你好", id: 5)
        await harness.say("谢谢", from: "user-b", id: 6)
        visits = try await self.sessions(harness)
        #expect(visits.count == 3)
        #expect(visits.filter(\.handedOff).count == 1)
        // Nothing in a visit names the applicant.
        for collection in ["sessions"] {
            for document in try await harness.store.documents(collection: collection) {
                #expect(!String(decoding: document.json, as: UTF8.self).contains("user-"))
            }
        }
    }

    @Test func staffTakingOverMarksTheVisitOnce() async throws {
        let harness = try await DeskHarness()
        await harness.say("你好", id: 1)
        _ = try await harness.desk.takeOver(DeskHarness.staff1, conversation: "user-a")
        await harness.say("您好，在吗", id: 2)
        let visits = try await self.sessions(harness)
        #expect(visits.count == 1 && visits[0].handedOff)
        let conversation = try await harness.conversation()
        #expect(conversation.session == visits[0])
    }
}
