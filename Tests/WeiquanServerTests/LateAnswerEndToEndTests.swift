import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore
import WeiquanTestSupport

/// From WeChat XML in, through an answer that misses the reply budget, to the customer-service message
/// arriving at a (fake, but real HTTP) WeChat API server.
///
/// The application's timers run on a manual clock: no back-off, sweep or request timeout fires by itself, and the
/// 30 ms reply budget runs out only when a test moves the clock past it, while the store's gate is shut (so the
/// answer cannot be ready in time however fast the machine is).
@Suite struct LateAnswerEndToEndTests {
    /// Posts `xml` and moves `clock` past the 30 ms reply budget once the request waits on it.
    static func postPastTheBudget(
        _ client: some TestClientProtocol, _ xml: String, clock: ManualClock
    ) async throws -> (HTTPResponse.Status, String) {
        let waiting = clock.sleeperCount
        async let response = client.post(xml)
        try await clock.waitForSleepers(waiting + 1)
        clock.advance(by: .milliseconds(30))
        return try await response
    }

    @Test(arguments: [true, false]) func aSlowAnswerGetsSuccessThenOneCustomerServiceMessage(inCallersTask: Bool)
        async throws
    {
        let api = try await FakeWeChatAPIServer.start(appID: "wx-e2e", secret: "e2e-secret")
        let settings = try TestServer.settings(apiBase: api.baseURL, replyBudgetMilliseconds: 30)
        let store = ReplyBudgetTests.GatedStore(readsAreImmediate: inCallersTask)
        let clock = ManualClock()
        let app = try await WeiquanApplication.build(
            settings: settings, data: TestServer.data, store: store, timerClock: clock
        )
        let thanks = TestServer.data.makeMachine().replies.render("thanks")
        try await app.test(.router) { client in
            store.close()
            let (status, body) = try await Self.postPastTheBudget(
                client, Inbound.text("谢谢", from: "user-late", id: 1), clock: clock)
            #expect(status == .ok && body == "success")
            // WeChat retries after 5 seconds: still success, never a second run.
            let (_, retry) = try await Self.postPastTheBudget(
                client, Inbound.text("谢谢", from: "user-late", id: 1), clock: clock)
            #expect(retry == "success")
            store.open()
            try await api.waitUntil("the late answer is accepted") { !$0.accepted.isEmpty }
            #expect(api.accepted(for: "user-late") == [thanks])
            // Delivered, and nothing else is on its way: the one outbox message there is, is the one delivered.
            try await store.waitForWrites(to: OutboxMessage.collection, count: 3)
            let outbox = try await store.inner.all(OutboxMessage.self)
            #expect(outbox.map(\.content) == [thanks])
            #expect(outbox.allSatisfy { $0.state == .delivered })
            #expect(api.accepted(for: "user-late") == [thanks])
        }
        await api.stop()
        #expect(try await store.inner.count(collection: Conversation.collection) == 1)
    }

    @Test(arguments: [true, false]) func anAnswerHeldByAClosedWindowArrivesWithTheNextPassiveReply(inCallersTask: Bool)
        async throws
    {
        let api = try await FakeWeChatAPIServer.start(appID: "wx-e2e", secret: "e2e-secret")
        api.scriptSend(.errcode(45015))
        let settings = try TestServer.settings(apiBase: api.baseURL, replyBudgetMilliseconds: 30)
        let store = ReplyBudgetTests.GatedStore(readsAreImmediate: inCallersTask)
        let clock = ManualClock()
        let metrics = Metrics()
        let app = try await WeiquanApplication.build(
            settings: settings, data: TestServer.data, store: store, timerClock: clock, metrics: metrics
        )
        let replies = TestServer.data.makeMachine().replies
        try await app.test(.router) { client in
            store.close()
            #expect(
                try await Self.postPastTheBudget(client, Inbound.text("谢谢", from: "user-held", id: 1), clock: clock).1
                    == "success")
            store.open()
            // The customer-service API says the 48-hour window is closed: the answer is held (queued, sending, held).
            try await store.waitForWrites(to: OutboxMessage.collection, count: 3)
            #expect(metrics.value("weiquan_outbox_held_total") == 1)
            #expect(api.accepted(for: "user-held").isEmpty)
            // The applicant writes again: the held answer comes first in the passive reply.
            let reply = try await client.say("你好", from: "user-held", id: 2)
            #expect(reply.hasPrefix(replies.render("outbox.held", ["messages": replies.render("thanks")])))
            #expect(reply.hasSuffix(replies.render("menu", ["options": ""]).components(separatedBy: "\n").last ?? "?"))
            // Delivered once: the next reply carries nothing old.
            let next = try await client.say("谢谢", from: "user-held", id: 3)
            #expect(next == replies.render("thanks"))
        }
        await api.stop()
    }

    @Test(arguments: [true, false]) func aHeldAnswerSurvivesAFailedWrite(inCallersTask: Bool) async throws {
        let api = try await FakeWeChatAPIServer.start(appID: "wx-e2e", secret: "e2e-secret")
        api.scriptSend(.errcode(45015))
        let settings = try TestServer.settings(apiBase: api.baseURL, replyBudgetMilliseconds: 30)
        let store = ReplyBudgetTests.GatedStore(readsAreImmediate: inCallersTask)
        let clock = ManualClock()
        let metrics = Metrics()
        let app = try await WeiquanApplication.build(
            settings: settings, data: TestServer.data, store: store, timerClock: clock, metrics: metrics
        )
        let replies = TestServer.data.makeMachine().replies
        let held = replies.render("outbox.held", ["messages": replies.render("thanks")])
        try await app.test(.router) { client in
            store.close()
            _ = try await Self.postPastTheBudget(client, Inbound.text("谢谢", from: "user-disk", id: 1), clock: clock)
            store.open()
            try await store.waitForWrites(to: OutboxMessage.collection, count: 3)
            #expect(metrics.value("weiquan_outbox_held_total") == 1)
            // The disk is full when the applicant writes again: a polite error, and the held answer stays held.
            store.failWrites(true)
            let busy = try await client.say("你好", from: "user-disk", id: 2)
            #expect(busy == replies.render("system.busy"))
            store.failWrites(false)
            let reply = try await client.say("你好", from: "user-disk", id: 3)
            #expect(reply.hasPrefix(held))
        }
        await api.stop()
    }
}
