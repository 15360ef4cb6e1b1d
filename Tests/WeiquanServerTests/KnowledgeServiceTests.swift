import Foundation
import Testing
import WeiquanCore
import WeiquanStore
import WeiquanTestSupport

@testable import WeiquanServer

/// ``KnowledgeService`` and ``KnowledgeBase`` on the in-memory store and on PostgreSQL: entries made, changed,
/// retired and published again, every change audited and taken into the bot's index at once; who may do what.
@Suite struct KnowledgeServiceTests {
    static let staff = DeskHarness.staff1
    static let volunteer = DeskHarness.volunteer

    @Test(arguments: KnowledgeBackend.available)
    func anEntryGoesThroughItsLifeAuditedAndTheBotFollows(_ backend: KnowledgeBackend) async throws {
        try await backend.withStore { store in
            let harness = try await KnowledgeHarness(store: store)
            let (service, knowledge) = (harness.service, harness.knowledge)
            let created = try await service.create(
                Self.staff,
                KnowledgeService.Content(
                    title: "  商标被他人抢注怎么办 ", question: "我们一直在用的品牌被别人抢先注册了商标",
                    answer: "可以提出异议或者请求宣告无效。", ipType: .trademark, tags: ["抢注"]),
                sourceQuestionID: "Q000007")
            #expect(created.id == "kb-a00001" && created.title == "商标被他人抢注怎么办")
            #expect(created.createdBy == "desk-1" && created.createdAt == DeskHarness.mondayMorning)
            #expect(try await store.get(KnowledgeEntry.self, id: "kb-a00001") == created)
            #expect(knowledge.answer(to: "商标被人抢注了怎么办")?.entry == created)

            harness.clock.advance(60)
            var content = KnowledgeHarness.content(
                "商标被他人抢注怎么办", question: created.question, answer: "三个月内提出异议，注册后五年内请求宣告无效。")
            content.ipType = .trademark
            content.tags = ["抢注", "异议"]
            let updated = try await service.update(DeskHarness.admin, created.id, content)
            #expect(updated.answer.hasPrefix("三个月内") && updated.tags == ["抢注", "异议"])
            #expect(updated.updatedBy == "admin" && updated.updatedAt == DeskHarness.mondayMorning + 60)
            #expect(updated.sourceQuestionID == "Q000007" && updated.createdBy == "desk-1")
            #expect(knowledge.entry(created.id)?.answer == updated.answer)
            // The same content again changes nothing and is not written.
            #expect(try await service.update(Self.staff, created.id, content) == updated)

            let retired = try await service.retire(Self.staff, created.id)
            #expect(retired.status == .retired)
            #expect(knowledge.answer(to: "商标被人抢注了怎么办") == nil && knowledge.snapshot.index.count == 0)
            await #expect(throws: DeskError.conflict("already_retired", "knowledge entry 'kb-a00001' is retired")) {
                try await service.retire(Self.staff, created.id)
            }
            let published = try await service.publish(Self.staff, created.id)
            #expect(published.status == .published)
            #expect(knowledge.best("商标被人抢注了怎么办")?.id == created.id)
            await #expect(throws: DeskError.self) { try await service.publish(Self.staff, created.id) }

            let audits = try await harness.audits()
            #expect(audits.map(\.action) == [.kbCreated, .kbUpdated, .kbRetired, .kbPublished])
            #expect(
                audits.map(\.detail) == [
                    "entry=kb-a00001", "entry=kb-a00001 fields=answer,tags", "entry=kb-a00001", "entry=kb-a00001",
                ])
            #expect(audits.map(\.actor) == ["desk-1", "admin", "desk-1", "desk-1"])
            #expect(audits.allSatisfy { $0.conversation == nil })
        }
    }

    @Test(arguments: KnowledgeBackend.available)
    func theBaseLoadsWhatIsStoredAndSeesNoRetiredEntry(_ backend: KnowledgeBackend) async throws {
        try await backend.withStore { store in
            let first = try await KnowledgeHarness(store: store)
            let patent = try await first.service.create(
                Self.staff, KnowledgeHarness.content("专利年费忘记缴纳怎么办", answer: "六个月内补缴并缴纳滞纳金。"))
            let old = try await first.service.create(
                Self.staff, KnowledgeHarness.content("专利费用减缴如何申请", answer: "旧规定。"))
            _ = try await first.service.retire(Self.staff, old.id)
            // A restart: the base reads the store.
            let restarted = try await KnowledgeHarness(store: store)
            #expect(restarted.knowledge.snapshot.index.count == 1)
            #expect(restarted.knowledge.best("專利年費忘記繳納了")?.id == patent.id)
            #expect(!restarted.knowledge.search("专利费用减缴如何申请", limit: 5).contains { $0.id == old.id })
            #expect(restarted.knowledge.entry(old.id) == nil)
        }
    }

    @Test(arguments: KnowledgeBackend.available)
    func staffListAndSearchEveryStatusVolunteersOnlyThePublished(_ backend: KnowledgeBackend) async throws {
        try await backend.withStore { store in
            let harness = try await KnowledgeHarness(store: store)
            let service = harness.service
            let renewal = try await service.create(Self.staff, KnowledgeHarness.content("商标到期如何续展"))
            harness.clock.advance(1)
            let exhibition = try await service.create(Self.staff, KnowledgeHarness.content("展会上发现侵权展品如何投诉"))
            harness.clock.advance(1)
            let retired = try await service.create(Self.staff, KnowledgeHarness.content("旧的商标续展规定"))
            _ = try await service.retire(Self.staff, retired.id)

            let all = try await service.list(Self.staff, statuses: nil, text: nil)
            #expect(all.entries.map(\.entry.id) == [retired.id, exhibition.id, renewal.id] && all.total == 3)
            #expect(all.entries.allSatisfy { $0.match == nil })
            // The retired entry holds the words as they are written, the other in two places: both, not the exhibition.
            let searched = try await service.list(Self.staff, statuses: nil, text: "商标续展")
            #expect(searched.entries.map(\.entry.id) == [retired.id, renewal.id])
            #expect(searched.entries.first?.match?.score ?? 0 > searched.entries.last?.match?.score ?? 0)
            let page = try await service.list(Self.staff, statuses: [.published], text: nil, limit: 1, offset: 1)
            #expect(page.entries.map(\.entry.id) == [renewal.id] && page.total == 2)

            let volunteer = try await service.list(Self.volunteer, statuses: nil, text: "商标续展")
            #expect(volunteer.entries.map(\.entry.id) == [renewal.id])
            #expect(try await service.detail(Self.volunteer, renewal.id) == renewal)
            await #expect(throws: DeskError.notFound("knowledge entry '\(retired.id)'")) {
                try await service.detail(Self.volunteer, retired.id)
            }
            await #expect(throws: DeskError.forbiddenRole("volunteer")) {
                try await service.list(Self.volunteer, statuses: [.retired], text: nil)
            }
        }
    }

    @Test func volunteersMayNotEdit() async throws {
        let harness = try await KnowledgeHarness(store: MemoryDocumentStore())
        let entry = try await harness.service.create(Self.staff, KnowledgeHarness.content("商标到期如何续展"))
        let refused = DeskError.forbiddenRole("volunteer")
        await #expect(throws: refused) {
            try await harness.service.create(Self.volunteer, KnowledgeHarness.content("标题"))
        }
        await #expect(throws: refused) {
            try await harness.service.update(Self.volunteer, entry.id, KnowledgeHarness.content("标题"))
        }
        await #expect(throws: refused) { try await harness.service.retire(Self.volunteer, entry.id) }
        await #expect(throws: refused) { try await harness.service.publish(Self.volunteer, entry.id) }
        #expect(try await harness.audits().count == 1)
    }

    @Test func textsPastTheirLimitsAreRefusedAndNothingIsWritten() async throws {
        let harness = try await KnowledgeHarness(store: MemoryDocumentStore())
        let long = KnowledgeHarness.content("标题", answer: String(repeating: "答", count: 601))
        await #expect(throws: DeskError.badRequest("'answer' has 601 characters; at most 600", code: "text_too_long")) {
            try await harness.service.create(Self.staff, long)
        }
        await #expect(throws: DeskError.badRequest("'title' is empty")) {
            try await harness.service.create(Self.staff, KnowledgeHarness.content(" \n "))
        }
        let entry = try await harness.service.create(Self.staff, KnowledgeHarness.content("标题"))
        await #expect(throws: DeskError.self) {
            try await harness.service.update(
                Self.staff, entry.id, KnowledgeService.Content(title: "标题", question: "问", answer: "答", tags: ["一\n二"]))
        }
        await #expect(throws: DeskError.notFound("knowledge entry 'kb-missing'")) {
            try await harness.service.update(Self.staff, "kb-missing", KnowledgeHarness.content("标题"))
        }
        #expect(try await harness.store.count(KnowledgeEntry.self) == 1)
        #expect(try await harness.audits().count == 1)
    }

    @Test func aTakenIDIsReplacedByAnother() async throws {
        let store = MemoryDocumentStore()
        let harness = try await KnowledgeHarness(store: store)
        // Another instance made the first id the service will make.
        let other = KnowledgeEntry(
            id: "kb-a00001", title: "别处的", question: "问", answer: "答", createdAt: DeskHarness.mondayMorning,
            createdBy: "desk-2")
        try await store.put(other)
        let entry = try await harness.service.create(Self.staff, KnowledgeHarness.content("标题"))
        #expect(entry.id == "kb-a00002")
        #expect(try await store.get(KnowledgeEntry.self, id: "kb-a00001") == other)
    }
}
