import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// A case from WeChat to the rating, over real sockets: an aid request with a picture, staff accepting and
/// concluding it through the desk API, the applicant told of each through the customer-service API (a fake
/// WeChat), and their rating recorded on the case.
@Suite struct CaseEndToEndTests {
    @Test func anAidRequestFromWeChatToTheApplicantsRating() async throws {
        let api = try await FakeWeChatAPIServer.start(appID: "wx-e2e", secret: "e2e-secret")
        let store = ObservedStore()
        let app = try await WeiquanApplication.build(
            settings: try TestServer.settings(apiBase: api.baseURL), data: TestServer.data, store: store,
            tokens: DeskHarness.tokens, clock: TestClock(DeskHarness.mondayMorning).function
        )
        try await app.test(.live) { client in
            let answers = ConversationClusterTests.aidRequest
            var reply = ""
            for (index, text) in answers.enumerated() {
                if index == answers.count - 2 {
                    // A picture of the infringing product, sent while the form is open.
                    _ = try await client.post(Inbound.image(from: "user-e2e", media: "media-evidence-1", id: 990))
                }
                reply = try await client.say(text, from: "user-e2e", id: 900 + index)
            }
            let id = try #require(reply.firstMatch(of: /WQ\d{12}/)).output
            let filed = try #require(try await store.get(CaseRecord.self, id: String(id)))
            #expect(filed.attachments == ["media-evidence-1"])

            #expect(try await CasesAPITests.transition(client, String(id), #"{"action":"accept"}"#).status == .ok)
            let concluded = try await CasesAPITests.transition(
                client, String(id),
                #"{"action":"conclude","outcome":{"kind":"opinion_issued","number":"桂知援意〔2026〕7号"}}"#)
            #expect(concluded.status == .ok)
            // Both notices reach the applicant through the customer-service API, in order.
            try await api.waitUntil("both notices are delivered") { $0.accepted.count >= 2 }
            let pushed = api.accepted(for: "user-e2e")
            #expect(pushed.count == 2)
            #expect(pushed.first?.contains("已受理") == true && pushed.last?.contains("请为本次服务打分") == true)

            let thanks = try await client.say("4 工作人员很耐心", from: "user-e2e", id: 999)
            #expect(thanks.contains("感谢您的评价"))
        }
        await api.stop()
        let record = try #require(try await store.all(CaseRecord.self).first)
        #expect(record.status == .concluded && record.rating?.score == 4 && record.rating?.comment == "工作人员很耐心")
        #expect(record.outcome == CaseOutcome(.opinionIssued, number: "桂知援意〔2026〕7号"))
    }
}
