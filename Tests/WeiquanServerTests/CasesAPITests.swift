import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// `/api/v1/cases`: who sees which case, every read audited, transitions through the core's rules with their
/// refusals, assignment and notes, and the applicant told of what matters — and asking about progress gets the
/// status as it is now.
@Suite struct CasesAPITests {
    /// Files an aid request for `user` through the webhook and returns its id.
    static func file(_ client: some TestClientProtocol, user: String, first id: Int) async throws -> String {
        var reply = ""
        for (index, text) in ConversationClusterTests.aidRequest.enumerated() {
            reply = try await client.say(text, from: user, id: id + index)
        }
        let found = try #require(reply.firstMatch(of: /WQ\d{12}/))
        return String(found.output)
    }

    static func transition(
        _ client: some TestClientProtocol, _ id: String, _ body: String, token: String = "token-desk-1"
    ) async throws -> DeskAPITests.Reply {
        try await DeskAPITests.call(client, .post, "/api/v1/cases/\(id)/transitions", token: token, body: body)
    }

    @Test func anAidRequestIsAcceptedWorkedAndConcludedAndTheApplicantIsToldEachTime() async throws {
        let store = MemoryDocumentStore()
        let app = try await DeskAPITests.application(store: store)
        try await app.test(.router) { client in
            let id = try await Self.file(client, user: "user-case", first: 100)
            let list = try await DeskAPITests.call(client, .get, "/api/v1/cases?status=submitted")
            #expect(list.status == .ok && list.json["total"] as? Int == 1)
            #expect((list.json["cases"] as? [[String: Any]])?.first?["status_text"] as? String == "已提交，待审核")

            let accepted = try await Self.transition(client, id, #"{"action":"accept","note":"材料齐全"}"#)
            #expect(accepted.status == .ok && accepted.json["status"] as? String == "accepted")
            let again = try await Self.transition(client, id, #"{"action":"accept"}"#)
            #expect(again.status == .conflict && again.body.contains("illegal_transition"))
            #expect(try await Self.transition(client, id, #"{"action":"start"}"#).status == .ok)
            let noOutcome = try await Self.transition(client, id, #"{"action":"conclude"}"#)
            #expect(noOutcome.status == .unprocessableContent && noOutcome.body.contains("missing_field"))
            let noNumber = try await Self.transition(
                client, id, #"{"action":"conclude","outcome":{"kind":"opinion_issued"}}"#)
            #expect(noNumber.status == .unprocessableContent)
            let concluded = try await Self.transition(
                client, id, #"{"action":"conclude","outcome":{"kind":"opinion_issued","number":"桂知援意〔2026〕12号"}}"#)
            #expect(concluded.status == .ok && concluded.json["status"] as? String == "concluded")
            let timeline = try #require(concluded.json["timeline"] as? [[String: Any]])
            #expect(timeline.map { $0["action"] as? String } == ["accepted", "started", "concluded"])
            #expect(timeline.first?["actor"] as? String == "desk-1" && timeline.first?["detail"] as? String == "材料齐全")

            // The applicant asks: the status as it is now.
            let progress = try await client.say("查询进度", from: "user-case", id: 900)
            #expect(progress.contains(id) && progress.contains("已结案"), "\(progress)")
        }
        // Told of the acceptance and the conclusion (not of the start), through the outbox, in order.
        let notices = try await store.all(OutboxMessage.self).filter { $0.applicant == "user-case" }.map(\.content)
        #expect(notices.count == 2)
        #expect(notices.first?.contains("已受理") == true && notices.last?.contains("已结案") == true)
        // Every change is audited with who did it.
        let audit = try await store.all(AuditEvent.self).filter { $0.caseID != nil && $0.actor == "desk-1" }
        #expect(audit.filter { $0.action == .caseChanged }.count == 3)
    }

    @Test func unitsSeeTheirOwnCasesAndEveryReadIsAudited() async throws {
        let store = MemoryDocumentStore()
        let app = try await DeskAPITests.application(store: store)
        try await app.test(.router) { client in
            let id = try await Self.file(client, user: "user-unit", first: 200)
            let detail = try await DeskAPITests.call(client, .get, "/api/v1/cases/\(id)")
            #expect(detail.status == .ok && detail.json["unit"] as? String == "nanning")
            // Another unit's staff: not found (ids of other units are not confirmed); a volunteer: forbidden.
            let other = try await DeskAPITests.call(client, .get, "/api/v1/cases/\(id)", token: "token-liuzhou-1")
            #expect(other.status == .notFound)
            let listed = try await DeskAPITests.call(client, .get, "/api/v1/cases", token: "token-liuzhou-1")
            #expect(listed.json["total"] as? Int == 0)
            let volunteer = try await DeskAPITests.call(client, .get, "/api/v1/cases", token: "token-vol-1")
            #expect(volunteer.status == .forbidden)
            // Referred to Liuzhou, it is theirs.
            let unknown = try await Self.transition(client, id, #"{"action":"refer","to_unit":"atlantis"}"#)
            #expect(unknown.status == .unprocessableContent && unknown.body.contains("unknown_unit"))
            let referred = try await Self.transition(
                client, id, #"{"action":"refer","to_unit":"liuzhou","note":"侵权地在柳州"}"#)
            #expect(referred.status == .ok && referred.json["unit"] as? String == "liuzhou")
            let now = try await DeskAPITests.call(client, .get, "/api/v1/cases/\(id)", token: "token-liuzhou-1")
            #expect(now.status == .ok)
        }
        let reads = try await store.all(AuditEvent.self).filter { $0.action == .caseViewed }
        // Audit ids are random: compare the readers in time order.
        #expect(reads.sorted { $0.at < $1.at }.map(\.actor).sorted() == ["desk-1", "liuzhou-1"])
    }

    @Test func refusalsAreClearAndChangeNothing() async throws {
        let store = MemoryDocumentStore()
        let app = try await DeskAPITests.application(store: store)
        try await app.test(.router) { client in
            let id = try await Self.file(client, user: "user-refused", first: 300)
            let reason = try await Self.transition(client, id, #"{"action":"not_accept","reason":"看心情"}"#)
            #expect(reason.status == .unprocessableContent && reason.body.contains("unknown_reason"))
            let unknown = try await Self.transition(client, id, #"{"action":"approve"}"#)
            #expect(unknown.status == .badRequest)
            let complaintOnly = try await Self.transition(
                client, id, #"{"action":"transfer","authority":"市监局","date":"2026-11-24","letter_number":"1"}"#)
            #expect(complaintOnly.status == .conflict && complaintOnly.body.contains("illegal_transition"))
            let expert = try await DeskAPITests.call(
                client, .post, "/api/v1/cases/\(id)/assign", body: #"{"assignee":"desk-2","experts":["无名氏"]}"#)
            #expect(expert.status == .unprocessableContent)
            let malformed = try await DeskAPITests.call(client, .get, "/api/v1/cases/WQ12")
            #expect(malformed.status == .notFound)
            let badFilter = try await DeskAPITests.call(client, .get, "/api/v1/cases?status=lost")
            #expect(badFilter.status == .badRequest)
            let emptyStatus = try await DeskAPITests.call(client, .get, "/api/v1/cases?status=")
            #expect(emptyStatus.status == .badRequest)
            let noted = try await DeskAPITests.call(
                client, .post, "/api/v1/cases/\(id)/notes", body: #"{"text":"申请人来电补充说明"}"#)
            #expect(noted.status == .ok)
            let assigned = try await DeskAPITests.call(
                client, .post, "/api/v1/cases/\(id)/assign", body: #"{"assignee":"desk-2"}"#)
            #expect(assigned.json["assignee"] as? String == "desk-2")
            let mine = try await DeskAPITests.call(client, .get, "/api/v1/cases?assignee=desk-2&q=补充")
            #expect(mine.json["total"] as? Int == 1)
            let notAccepted = try await Self.transition(
                client, id, #"{"action":"not_accept","reason":"不属于知识产权纠纷"}"#)
            #expect(notAccepted.json["not_accepted_reason"] as? String == "不属于知识产权纠纷")
        }
        let record = try #require(try await store.all(CaseRecord.self).first)
        #expect(record.status == .notAccepted)
        #expect(record.timeline.map(\.action) == [.noted, .assigned, .notAccepted])
        let notice = try await store.all(OutboxMessage.self).first { $0.applicant == "user-refused" }
        #expect(notice?.content.contains("不属于知识产权纠纷") == true)
    }

    @Test func theApplicantWithdrawsFromTheBotUnlessTheCaseMovedOnMeanwhile() async throws {
        let store = MemoryDocumentStore()
        let app = try await DeskAPITests.application(store: store)
        try await app.test(.router) { client in
            let first = try await Self.file(client, user: "user-w", first: 400)
            let offer = try await client.say("撤回 \(first)", from: "user-w", id: 450)
            #expect(offer.contains("确认撤回案件 \(first)"))
            let done = try await client.say("1", from: "user-w", id: 451)
            #expect(done.contains("已撤回"))
            let shown = try await DeskAPITests.call(client, .get, "/api/v1/cases/\(first)")
            #expect(shown.json["status"] as? String == "withdrawn")
            let event = try #require((shown.json["timeline"] as? [[String: Any]])?.last)
            #expect(event["actor"] as? String == "applicant" && event["action"] as? String == "withdrawn")

            // Offered while open; staff conclude it before the applicant confirms: refused, nothing changes.
            let second = try await Self.file(client, user: "user-w", first: 500)
            #expect(try await client.say("撤回 \(second)", from: "user-w", id: 550).contains("确认撤回"))
            #expect(try await Self.transition(client, second, #"{"action":"accept"}"#).status == .ok)
            #expect(
                try await Self.transition(client, second, #"{"action":"conclude","outcome":{"kind":"mediated"}}"#)
                    .status == .ok)
            let refused = try await client.say("1", from: "user-w", id: 551)
            #expect(refused.contains("未能撤回"), "\(refused)")
        }
        let cases = try await store.all(CaseRecord.self).sorted { $0.id.rawValue < $1.id.rawValue }
        #expect(cases.map(\.status) == [.withdrawn, .concluded])
        let audit = try await store.all(AuditEvent.self).filter { $0.actor == "applicant" && $0.action == .caseChanged }
        #expect(audit.map(\.caseID) == [cases[0].id])
    }

    @Test func afterTheConclusionTheNextScoreIsTheRatingWhateverCameBetween() async throws {
        let store = MemoryDocumentStore()
        let app = try await DeskAPITests.application(store: store)
        try await app.test(.router) { client in
            let id = try await Self.file(client, user: "user-r", first: 600)
            #expect(try await Self.transition(client, id, #"{"action":"accept"}"#).status == .ok)
            let concluded = try await Self.transition(
                client, id, #"{"action":"conclude","outcome":{"kind":"guidance_given"}}"#)
            #expect(concluded.status == .ok)
            // Something else first: answered as usual, then reminded once.
            let progress = try await client.say("查询进度", from: "user-r", id: 650)
            #expect(progress.contains("已结案") && progress.contains("请回复 1–5"), "\(progress)")
            let again = try await client.say("你好", from: "user-r", id: 651)
            #expect(!again.contains("请回复 1–5"), "one reminder at most")
            let thanks = try await client.say("５分，办理很及时", from: "user-r", id: 652)
            #expect(thanks.contains("感谢您的评价"))
            // Rated once: a later digit is not a rating any more.
            let later = try await client.say("3", from: "user-r", id: 653)
            #expect(!later.contains("感谢您的评价"))
        }
        let record = try #require(try await store.all(CaseRecord.self).first)
        #expect(record.rating?.score == 5 && record.rating?.comment == "办理很及时")
        let conversation = try #require(try await store.get(Conversation.self, id: "user-r"))
        #expect(conversation.awaitingRating == nil)
        let notices = try await store.all(OutboxMessage.self).filter { $0.applicant == "user-r" }.map(\.content)
        #expect(notices.last?.contains("请为本次服务打分") == true)
    }

    @Test func twoApplicantsOnOneRightSeeEachOthersCaseAsRelated() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            let first = try await Self.file(client, user: "user-p1", first: 700)
            let second = try await Self.file(client, user: "user-p2", first: 800)
            let one = try await DeskAPITests.call(client, .get, "/api/v1/cases/\(first)")
            let two = try await DeskAPITests.call(client, .get, "/api/v1/cases/\(second)")
            #expect(one.json["related"] as? [String] == [second])
            #expect(two.json["related"] as? [String] == [first])
        }
    }

    @Test func theDetailSaysWhatTheRegistryHoldsOfTheCasesRight() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            let inForce = try await Self.file(client, user: "user-r1", first: 900)
            var reply = ""
            for (index, text) in ConversationClusterTests.aidRequest.enumerated() {
                reply = try await client.say(
                    text == "201310268509.X" ? "200420091540.7" : text, from: "user-r2", id: 950 + index)
            }
            let expired = String(try #require(reply.firstMatch(of: /WQ\d{12}/)).output)

            let one = try await DeskAPITests.call(client, .get, "/api/v1/cases/\(inForce)")
            let status = try #require(one.json["right_status"] as? [String: Any])
            #expect(status["number"] as? String == "201310268509.X")
            #expect(status["bucket"] as? String == "in_force")
            #expect(status["status_text"] as? String == "有效")
            #expect(status["data_date"] as? String == "2026-11-01")
            #expect(status["overlays"] as? [String] == [])
            let two = try await DeskAPITests.call(client, .get, "/api/v1/cases/\(expired)")
            #expect((two.json["right_status"] as? [String: Any])?["bucket"] as? String == "expired")
            // A transferred and pledged right: staff see the registered holder and what each registration means.
            for (index, text) in ConversationClusterTests.aidRequest.enumerated() {
                reply = try await client.say(
                    text == "201310268509.X" ? "201822024938.3" : text, from: "user-r3", id: 980 + index)
            }
            let pledged = String(try #require(reply.firstMatch(of: /WQ\d{12}/)).output)
            let three = try await DeskAPITests.call(client, .get, "/api/v1/cases/\(pledged)")
            let registered = try #require(three.json["right_status"] as? [String: Any])
            #expect(registered["overlays"] as? [String] == ["transferred", "pledged"])
            #expect(registered["holder"] as? String == "（演示）某某机械有限公司")
            #expect((registered["overlay_texts"] as? [String])?.first?.hasPrefix("已登记转让") == true)
            // Only the detail looks it up.
            let list = try await DeskAPITests.call(client, .get, "/api/v1/cases")
            #expect((list.json["cases"] as? [[String: Any]])?.allSatisfy { $0["right_status"] == nil } == true)
        }
    }
}
