import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// A question from WeChat to the applicant's rating of the answer, over real sockets: asked through the bot with a
/// phone number in it, queued with the number hidden, claimed by a volunteer, a follow-up question pushed to the
/// applicant through the customer-service API (a fake WeChat), their reply routed to the question, the answer
/// approved by staff and delivered exactly once, and 有帮助 recorded. Waits are on the fake WeChat's sends.
@Suite struct QuestionEndToEndTests {
    static let phone = "13977112345"

    func call(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, as who: String,
        body: String? = nil
    ) async throws -> DeskAPITests.Reply {
        try await DeskAPITests.call(client, method, "/api/v1/questions" + path, token: "token-\(who)", body: body)
    }

    @Test func aQuestionFromWeChatToTheApplicantsRating() async throws {
        let api = try await FakeWeChatAPIServer.start(appID: "wx-e2e", secret: "e2e-secret")
        let store = MemoryDocumentStore()
        let clock = TestClock(DeskHarness.mondayMorning)
        let app = try await WeiquanApplication.build(
            settings: try TestServer.settings(apiBase: api.baseURL), data: TestServer.data, store: store,
            tokens: DeskHarness.tokens, clock: clock.function
        )
        try await app.test(.live) { client in
            _ = try await client.say("我要提问", from: "user-q", id: 1)
            let shown = try await client.say(
                "我的商标被别人抢注了，电话\(Self.phone)，请问我能申请宣告无效吗？", from: "user-q", id: 2)
            #expect(shown.contains("确认提交"))
            #expect(try await client.say("1", from: "user-q", id: 3).contains("已提交"))
            // The queue's gauge counts it at once, not at its next refresh.
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains(#"weiquan_questions_queued{ip_type="none"} 1"#), "\(metrics)")

            // The volunteer sees the question without the number, the OpenID or the words as written.
            let queue = try await self.call(client, .get, "", as: "vol-1")
            #expect(queue.status == .ok && !queue.body.contains(Self.phone) && !queue.body.contains("user-q"))
            let question = try #require((queue.json["questions"] as? [[String: Any]])?.first)
            let id = try #require(question["id"] as? String)
            #expect((question["redacted"] as? String)?.contains("【电话】") == true)

            let claimed = try await self.call(
                client, .post, "/\(id)/claim", as: "vol-1", body: #"{"conflict_declared":true}"#)
            #expect(claimed.status == .ok, "\(claimed.body)")
            let asked = try await self.call(
                client, .post, "/\(id)/follow-up", as: "vol-1", body: #"{"text":"请问商标的注册号和类别是什么？"}"#)
            #expect(asked.status == .ok, "\(asked.body)")
            try await api.waitUntil("the follow-up is delivered") { $0.accepted.count >= 1 }
            #expect(api.accepted(for: "user-q").last?.contains("注册号和类别") == true)

            // The applicant's next message is the reply, whatever it says; the volunteer sees it without the number.
            let passed = try await client.say("第16435657号，第9类，我的电话还是\(Self.phone)", from: "user-q", id: 4)
            #expect(passed == TestServer.data.makeMachine().replies.render("volunteer.reply_passed_on"))
            let detail = try await self.call(client, .get, "/\(id)", as: "vol-1")
            #expect(detail.body.contains("16435657") && !detail.body.contains(Self.phone))

            let answered = try await self.call(
                client, .post, "/\(id)/answer", as: "vol-1", body: #"{"text":"可以在注册公告之日起五年内请求宣告无效。"}"#)
            #expect(answered.status == .ok, "\(answered.body)")
            #expect(api.accepted(for: "user-q").count == 1)
            let approved = try await self.call(
                client, .post, "/\(id)/review", as: "desk-1", body: #"{"decision":"approve"}"#)
            #expect(approved.status == .ok, "\(approved.body)")
            let again = try await self.call(
                client, .post, "/\(id)/review", as: "desk-1", body: #"{"decision":"approve"}"#)
            #expect(again.status == .conflict)
            try await api.waitUntil("the answer is delivered") { $0.accepted.count >= 2 }
            let delivered = api.accepted(for: "user-q")
            #expect(delivered.count == 2)
            #expect(delivered.last?.contains("五年内请求宣告无效") == true && delivered.last?.contains("仅供参考") == true)

            // 有帮助, with a comment: recorded on the question, which is closed.
            let thanked = try await client.say("有帮助，谢谢志愿者", from: "user-q", id: 5)
            #expect(thanked.contains("谢谢您的反馈"))
        }
        let record = try #require(try await store.all(QuestionRecord.self).first)
        #expect(record.status == .closed && record.rating?.helpful == true && record.rating?.comment == "谢谢志愿者")
        #expect(record.followUps.first?.reply?.contains("16435657") == true)
        #expect(api.accepted(for: "user-q").count == 2)
    }
}
