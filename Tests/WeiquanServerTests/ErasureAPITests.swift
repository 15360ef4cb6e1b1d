import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// 删除我的信息 from the applicant's message to staff's decision over `/api/v1/erasures`: the request filed once,
/// the roles that may decide, what confirming deletes and keeps, what declining tells the applicant.
@Suite struct ErasureAPITests {
    /// The applicant asks for deletion and confirms; returns the bot's last reply.
    static func requestErasure(_ client: some TestClientProtocol, user: String, first id: Int) async throws -> String {
        _ = try await client.say("删除我的信息", from: user, id: id)
        return try await client.say("1", from: user, id: id + 1)
    }

    static func pending(_ client: some TestClientProtocol) async throws -> [[String: Any]] {
        let list = try await DeskAPITests.call(client, .get, "/api/v1/erasures?status=pending")
        #expect(list.status == .ok)
        return list.json["erasures"] as? [[String: Any]] ?? []
    }

    @Test func aConfirmedErasureAnonymisesTheCasesDeletesTheConversationAndTellsTheApplicant() async throws {
        let store = MemoryDocumentStore()
        let app = try await DeskAPITests.application(store: store)
        let caseID = "WQ202611230001"
        try await app.test(.router) { client in
            #expect(try await CasesAPITests.file(client, user: "user-erase", first: 100) == caseID)
            for (index, text) in ["我要提问", "商标被抢注了怎么办？电话13800138000", "1"].enumerated() {
                _ = try await client.say(text, from: "user-erase", id: 150 + index)
            }
            let requested = try await Self.requestErasure(client, user: "user-erase", first: 200)
            #expect(requested.contains("已收到您的删除请求"), "\(requested)")
            // A second request while the first waits: told it is under way, nothing filed twice.
            let again = try await Self.requestErasure(client, user: "user-erase", first: 300)
            #expect(again.contains("已在办理中"), "\(again)")

            let waiting = try await Self.pending(client)
            #expect(waiting.count == 1)
            let request = try #require(waiting.first)
            #expect(request["applicant"] as? String == "user-erase")
            #expect((request["cases"] as? [[String: Any]])?.map { $0["id"] as? String } == [caseID])
            let id = try #require(request["id"] as? String)

            let done = try await DeskAPITests.call(client, .post, "/api/v1/erasures/\(id)/confirm")
            #expect(done.status == .ok, "\(done.body)")
            #expect(done.json["status"] as? String == "done" && done.json["cases_anonymised"] as? Int == 1)
            #expect((done.json["applicant"] as? String)?.hasPrefix("erased:") == true)
            let twice = try await DeskAPITests.call(client, .post, "/api/v1/erasures/\(id)/confirm")
            #expect(twice.status == .conflict && twice.body.contains("erasure_decided"))
            #expect(try await Self.pending(client).isEmpty)

            // The case is still there for staff and the reports, without the person; it was withdrawn.
            let detail = try await DeskAPITests.call(client, .get, "/api/v1/cases/\(caseID)")
            #expect(detail.status == .ok && detail.json["status"] as? String == "withdrawn")
            #expect(!detail.body.contains("user-erase"))
            // The applicant comes back: a stranger with no cases.
            let progress = try await client.say("查询进度", from: "user-erase", id: 400)
            #expect(!progress.contains(caseID), "\(progress)")
        }
        let record = try #require(try await store.get(CaseRecord.self, id: caseID))
        #expect(record.isAnonymised && record.applicant.isErased && record.status == .withdrawn)
        #expect(record.fields["name"] == nil && record.fields["phone"] == nil && record.fields["facts"] == nil)
        #expect(record.fields["ip_type"] != nil)
        // The conversation is gone (a new one began with the progress question); the outbox holds the notice.
        let conversation = try #require(try await store.get(Conversation.self, id: "user-erase"))
        #expect(!conversation.recent.contains { $0.text.contains("删除") })
        let notices = try await store.all(OutboxMessage.self).filter { $0.applicant == "user-erase" }.map(\.content)
        #expect(notices.last?.contains("已按您的要求删除") == true)
        // The question left for the volunteers is withdrawn and keeps only the words they saw.
        let question = try #require(try await store.all(QuestionRecord.self).first)
        #expect(question.applicant.isErased && question.status == .withdrawn)
        #expect(!question.text.contains("13800138000") && question.text == question.redacted)
        let requests = try await store.all(ErasureRequest.self)
        #expect(requests.count == 1 && requests.allSatisfy { $0.applicant.isErased && $0.decidedBy == "desk-1" })
        let audit = try await store.all(AuditEvent.self)
        #expect(audit.filter { $0.action == .erasureRequested }.count == 1)
        let confirmed = try #require(audit.first { $0.action == .erasureConfirmed })
        #expect(confirmed.actor == "desk-1" && confirmed.conversation?.isErased == true)
        #expect(confirmed.detail?.contains("cases=1") == true)
        // The trail keeps what happened under the pseudonym: nothing links the OpenID to the case any more.
        #expect(!audit.contains { $0.conversation == "user-erase" })
        let filed = try #require(audit.first { $0.action == .caseFiled })
        #expect(filed.caseID?.rawValue == caseID && filed.conversation == confirmed.conversation)
    }

    @Test func onlyTheCentreDecidesAndADeclineTellsTheApplicantWhy() async throws {
        let store = MemoryDocumentStore()
        let app = try await DeskAPITests.application(store: store)
        try await app.test(.router) { client in
            _ = try await Self.requestErasure(client, user: "user-decline", first: 100)
            let id = try #require(try await Self.pending(client).first?["id"] as? String)
            let unit = try await DeskAPITests.call(
                client, .post, "/api/v1/erasures/\(id)/confirm", token: "token-liuzhou-1")
            #expect(unit.status == .forbidden && unit.body.contains("forbidden_unit"))
            let volunteer = try await DeskAPITests.call(client, .get, "/api/v1/erasures", token: "token-vol-1")
            #expect(volunteer.status == .forbidden && volunteer.body.contains("forbidden_role"))
            let anonymous = try await DeskAPITests.call(client, .get, "/api/v1/erasures", token: nil)
            #expect(anonymous.status == .unauthorized)
            let unknown = try await DeskAPITests.call(
                client, .post, "/api/v1/erasures/nope/confirm", token: "token-admin")
            #expect(unknown.status == .notFound)
            let badStatus = try await DeskAPITests.call(client, .get, "/api/v1/erasures?status=maybe")
            #expect(badStatus.status == .badRequest)
            let noReason = try await DeskAPITests.call(
                client, .post, "/api/v1/erasures/\(id)/decline", body: #"{"reason":"  "}"#)
            #expect(noReason.status == .badRequest && noReason.body.contains("'reason' is empty"))

            let declined = try await DeskAPITests.call(
                client, .post, "/api/v1/erasures/\(id)/decline", token: "token-admin",
                body: #"{"reason":"案件正在诉讼中，依法需保留材料"}"#)
            #expect(declined.status == .ok && declined.json["status"] as? String == "declined")
            #expect(declined.json["applicant"] as? String == "user-decline")
            let confirmLater = try await DeskAPITests.call(client, .post, "/api/v1/erasures/\(id)/confirm")
            #expect(confirmLater.status == .conflict)
            let all = try await DeskAPITests.call(client, .get, "/api/v1/erasures", token: "token-admin")
            #expect((all.json["erasures"] as? [[String: Any]])?.count == 1)
        }
        let notices = try await store.all(OutboxMessage.self).filter { $0.applicant == "user-decline" }.map(\.content)
        #expect(notices.last?.contains("案件正在诉讼中") == true)
        #expect(try await store.all(AuditEvent.self).contains { $0.action == .erasureDeclined && $0.actor == "admin" })
        // Nothing was anonymised.
        #expect(try await store.all(ErasureRequest.self).first?.applicant == "user-decline")
    }
}
