import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// From WeChat XML in, through a staff member's claim and reply on the desk API, to the customer-service
/// messages arriving at a (fake, but real HTTP) WeChat API server, all over real sockets.
@Suite struct HandoffEndToEndTests {
    @Test func xmlInClaimStaffReplyCustomerServiceMessageOut() async throws {
        let api = try await FakeWeChatAPIServer.start(appID: "wx-e2e", secret: "e2e-secret")
        let settings = try TestServer.settings(apiBase: api.baseURL)
        let store = ObservedStore()
        let app = try await WeiquanApplication.build(
            settings: settings, data: TestServer.data, store: store, tokens: DeskHarness.tokens,
            clock: TestClock(DeskHarness.mondayMorning).function
        )
        let machine = TestServer.data.makeMachine()
        // Over a real socket: WeChat and the desk reach the service as they would in production.
        try await app.test(.live) { client in
            let offer = try await client.say("我收到律师函了", from: "user-e2e", id: 1)
            #expect(offer.contains("情况可能比较紧急"))
            let queued = try await client.say("人工", from: "user-e2e", id: 11)
            #expect(queued.contains("标记为紧急"))
            let list = try await DeskAPITests.call(client, .get, "/api/v1/handoffs")
            let handoff = try #require((list.json["handoffs"] as? [[String: Any]])?.first)
            #expect(handoff["urgent"] as? [String] == ["律师函"])
            let id = try #require(handoff["id"] as? String)
            #expect(try await DeskAPITests.call(client, .post, "/api/v1/handoffs/\(id)/claim").status == .ok)
            // The applicant writes while staff own the conversation: WeChat gets `success`, twice (a retry).
            for _ in 0..<2 {
                let (_, body) = try await client.post(Inbound.text("律师函说三天内要答复", from: "user-e2e", id: 2))
                #expect(body == "success")
            }
            let reply = "您好，请把律师函拍照发给我，我帮您看看。"
            let sent = try await DeskAPITests.call(
                client, .post, "/api/v1/handoffs/\(id)/messages", body: #"{"text":"\#(reply)"}"#
            )
            #expect(sent.status == .ok)
            let expected = [machine.claimedNotice(unit: "centre"), reply]
            try await api.waitUntil("both messages are accepted") { $0.accepted.count >= 2 }
            #expect(api.accepted(for: "user-e2e") == expected)
            // Nothing more, in particular nothing from the bot: the outbox holds these two, both delivered.
            try await store.waitUntil("the outbox is done") { try await Self.outboxIsDone(store) }
            #expect(try await store.all(OutboxMessage.self).map(\.content) == expected)
            #expect(api.accepted(for: "user-e2e") == expected)
        }
        await api.stop()
    }

    /// True once every outbox message reached its end: delivered, held, withheld or failed.
    static func outboxIsDone(_ store: some DocumentStore) async throws -> Bool {
        try await store.all(OutboxMessage.self).allSatisfy { message in
            switch message.state {
            case .pending, .sending: false
            default: true
            }
        }
    }

    /// The claim notice is held (45015: the window closed); staff write; then `reopen` reopens the window, and
    /// both go out through the API, in order.
    func heldStaffAnswersGoOut(when reopen: @escaping @Sendable (any TestClientProtocol) async throws -> Void)
        async throws
    {
        let api = try await FakeWeChatAPIServer.start(appID: "wx-e2e", secret: "e2e-secret")
        // The 48-hour window is closed when the claim notice goes out: it is held, and what follows waits.
        api.scriptSend(.errcode(45015))
        let settings = try TestServer.settings(apiBase: api.baseURL)
        let metrics = Metrics()
        let store = ObservedStore()
        let app = try await WeiquanApplication.build(
            settings: settings, data: TestServer.data, store: store, tokens: DeskHarness.tokens,
            clock: TestClock(DeskHarness.mondayMorning).function, metrics: metrics
        )
        let machine = TestServer.data.makeMachine()
        try await app.test(.router) { client in
            _ = try await client.say("人工", from: "user-held", id: 1)
            let id = try await DeskAPITests.firstHandoffID(client)
            _ = try await DeskAPITests.call(client, .post, "/api/v1/handoffs/\(id)/claim")
            try await store.waitUntil("the claim notice is held") { metrics.value(.outboxHeld) == 1 }
            _ = try await DeskAPITests.call(
                client, .post, "/api/v1/handoffs/\(id)/messages", body: #"{"text":"请问是什么问题？"}"#)
            // The staff answer waits behind the held notice: nothing was sent.
            #expect(api.accepted(for: "user-held").isEmpty)
            try await reopen(client)
            let expected = [machine.claimedNotice(unit: "centre"), "请问是什么问题？"]
            try await api.waitUntil("both messages are accepted") { $0.accepted.count >= 2 }
            #expect(api.accepted(for: "user-held") == expected)
        }
        await api.stop()
    }

    @Test func staffAnswersHeldByAClosedWindowGoOutWhenTheApplicantWritesAgain() async throws {
        try await self.heldStaffAnswersGoOut { client in
            // The applicant writes while staff own the conversation: no passive reply, but both go out, in order.
            let (_, body) = try await client.post(Inbound.text("在吗", from: "user-held", id: 2))
            #expect(body == "success")
        }
    }

    @Test func aQRScanReopensTheWindowForHeldAnswersToo() async throws {
        try await self.heldStaffAnswersGoOut { client in
            // Scanning the centre's QR code gives the conversation nothing to do, but WeChat lets the account write again.
            let (_, body) = try await client.post(Inbound.event("SCAN", key: "123", from: "user-held"))
            #expect(body == "success")
        }
    }
}
