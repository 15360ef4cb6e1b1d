import Foundation
import Logging
import Synchronization
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore
import WeiquanTestSupport

/// An outbox wired to a fake WeChat server through the live HTTP client, with manual clocks: one for the outbox's
/// back-offs, its timestamps and the token's lifetime, one for the API's request timeouts (moved only by the test
/// about timeouts, so no request ever times out because the machine is slow).
final class OutboxHarness: Sendable {
    let server: FakeWeChatAPIServer
    let store: ObservedStore
    let clock: ManualClock
    let apiClock: ManualClock
    let metrics: Metrics
    let tokens: AccessTokenManager
    let outbox: Outbox
    private let runner = Mutex<Task<Void, any Error>?>(nil)

    private init(
        server: FakeWeChatAPIServer, store: ObservedStore, clock: ManualClock, apiClock: ManualClock, metrics: Metrics,
        tokens: AccessTokenManager, outbox: Outbox
    ) {
        self.server = server
        self.store = store
        self.clock = clock
        self.apiClock = apiClock
        self.metrics = metrics
        self.tokens = tokens
        self.outbox = outbox
    }

    static func make(
        server: FakeWeChatAPIServer? = nil, store: any DocumentStore = MemoryDocumentStore(),
        policy: OutboxRetryPolicy = OutboxRetryPolicy(), timeout: Duration = .seconds(5), api: (any WeChatAPI)? = nil
    ) async throws -> OutboxHarness {
        let server = if let server { server } else { try await FakeWeChatAPIServer.start() }
        let store = ObservedStore(store)
        let clock = ManualClock()
        let apiClock = ManualClock()
        let metrics = Metrics()
        let api = api ?? HTTPWeChatAPI(baseURL: server.baseURL, timeout: timeout, clock: apiClock)
        var logger = Logger(label: "outbox-test")
        logger.logLevel = .critical
        let tokens = AccessTokenManager(
            api: api, appID: server.appID, secret: server.secret, clock: clock, metrics: metrics, logger: logger
        )
        let outbox = try await Outbox(
            store: store, api: api, tokens: tokens, clock: clock.wallClock, timerClock: clock, policy: policy,
            metrics: metrics, logger: logger
        )
        return OutboxHarness(
            server: server, store: store, clock: clock, apiClock: apiClock, metrics: metrics, tokens: tokens,
            outbox: outbox
        )
    }

    /// The back-off pauses the outbox asked for, in order.
    var recordedSleeps: [Duration] { self.clock.requestedSleeps }

    /// Lets `count` back-offs pass one after the other, each as soon as the outbox waits for it.
    func passBackoffs(_ count: Int) async throws {
        for _ in 0..<count { try await self.clock.advanceToNextSleeper() }
    }

    func start() {
        let outbox = self.outbox
        self.runner.withLock { $0 = Task { try await outbox.run() } }
    }

    /// Stops delivery (waiting for it to wind down) and the fake server.
    func stop() async {
        let task = self.runner.withLock { $0 }
        task?.cancel()
        _ = try? await task?.value
        await self.server.stop()
    }

    /// Waits until `condition` (which reads the store) holds: checked after every write.
    func waitUntil(_ what: String, _ condition: @escaping @Sendable () async throws -> Bool) async throws {
        try await self.store.waitUntil(what, condition)
    }

    /// Waits until every stored message is finished (delivered either way, withheld or failed).
    func waitUntilAllFinished(_ count: Int) async throws {
        try await self.waitUntil("\(count) messages are finished") {
            let stored = try await self.store.all(OutboxMessage.self)
            return stored.count == count && stored.allSatisfy(\.state.isFinished)
        }
    }

    /// What the conversation service does with held messages: sets them aside, writes, commits; returns the texts.
    func takeHeld(for applicant: ApplicantID, owner: ConversationOwner = .bot) async throws -> [String] {
        let handover = try await self.outbox.prepareHeld(for: applicant, owner: owner)
        try await self.store.write(handover.changes)
        handover.commit()
        return handover.texts
    }

    func message(_ id: String) async throws -> OutboxMessage {
        try #require(try await self.store.get(OutboxMessage.self, id: id))
    }

    func state(_ id: String) async throws -> OutboxMessage.State {
        try await self.message(id).state
    }
}

@Suite struct OutboxTests {
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("weiquan-outbox-\(UUID().uuidString)")
    }

    @Test func deliversInOrderPerApplicantAndApplicantsInParallel() async throws {
        let harness = try await OutboxHarness.make(policy: OutboxRetryPolicy(concurrency: 3))
        defer { Task { await harness.stop() } }
        // The first three sends hang at the server until the test lets them go, so that applicants overtake each
        // other but never themselves.
        harness.server.scriptSend(.hang, times: 3)
        let applicants = ["user-a", "user-b", "user-c", "user-d", "user-e"]
        var expected: [String: [String]] = [:]
        for round in 1...4 {
            for applicant in applicants {
                let content = "\(applicant) 第\(round)条\n消息"
                expected[applicant, default: []].append(content)
                try await harness.outbox.enqueue(content, to: ApplicantID(applicant))
            }
        }
        harness.start()
        // Messages enqueued while delivery runs join the end of their queue.
        for applicant in applicants {
            let content = "\(applicant) 最后一条"
            expected[applicant, default: []].append(content)
            try await harness.outbox.enqueue(content, to: ApplicantID(applicant))
        }
        // As many sends at once as the policy allows, and then they go on.
        try await harness.server.waitUntil("three sends hang at once") { $0.hanging == 3 }
        harness.server.releaseHung()
        try await harness.server.waitUntil("all 25 are accepted") { $0.accepted.count == 25 }
        for applicant in applicants {
            #expect(harness.server.accepted(for: applicant) == expected[applicant])
            // Sent once each, in order: no message went out before the one ahead of it was accepted.
            let sent = harness.server.sendRequests.compactMap { FakeWeChatAPIServer.decodeText($0.body) }
                .filter { $0.touser == applicant }.map(\.content)
            #expect(sent == expected[applicant])
        }
        #expect(harness.server.maxSendsInFlight <= 3)
        #expect(harness.server.maxSendsInFlight >= 2)
        try await harness.waitUntilAllFinished(25)
        let stored = try await harness.store.all(OutboxMessage.self)
        #expect(stored.count == 25)
        #expect(stored.allSatisfy { $0.state == .delivered && $0.attempts == 1 && $0.deliveredAt != nil })
        #expect(stored.map(\.id) == (1...25).map { String(repeating: "0", count: $0 < 10 ? 15 : 14) + String($0) })
        #expect(harness.metrics.value("weiquan_outbox_sent_total") == 25)
        #expect(harness.server.tokenRequests.count == 1)
    }

    @Test func aTokenExpiringMidQueueCausesOneRefreshAndTheQueueGoesOn() async throws {
        let harness = try await OutboxHarness.make()
        defer { Task { await harness.stop() } }
        // The first send succeeds; the second finds token-1 expired.
        harness.server.scriptSend(.ok, .expireToken)
        let messages = ["一", "二", "三", "四"]
        for text in messages { try await harness.outbox.enqueue(text, to: "user-a") }
        harness.start()
        try await harness.server.waitUntil("all four are accepted") { $0.accepted.count == 4 }
        #expect(harness.server.accepted(for: "user-a") == messages)
        #expect(harness.server.accepted.map(\.token) == ["token-1", "token-2", "token-2", "token-2"])
        #expect(harness.server.tokenRequests.count == 2)
        #expect(harness.server.sendRequests.count == 5)
        #expect(harness.metrics.value("weiquan_token_refreshes_total") == 2)
        // The immediate retry with the fresh token is part of the same attempt, with no back-off.
        #expect(try await harness.message("0000000000000002").attempts == 1)
        #expect(harness.recordedSleeps.isEmpty)
    }

    @Test func manySendsFailingWithTheSameTokenCauseOneRefresh() async throws {
        let harness = try await OutboxHarness.make()
        defer { Task { await harness.stop() } }
        let stale = try await harness.tokens.token()
        harness.server.expire(stale)
        let applicants = (1...6).map { "user-\($0)" }
        for applicant in applicants {
            try await harness.outbox.enqueue("\(applicant) 1", to: ApplicantID(applicant))
            try await harness.outbox.enqueue("\(applicant) 2", to: ApplicantID(applicant))
        }
        harness.start()
        try await harness.server.waitUntil("all twelve are accepted") { $0.accepted.count == 12 }
        #expect(harness.server.tokenRequests.count == 2)
        #expect(Set(harness.server.accepted.map(\.token)) == ["token-2"])
        for applicant in applicants {
            #expect(harness.server.accepted(for: applicant) == ["\(applicant) 1", "\(applicant) 2"])
        }
    }

    @Test func theBotAndTheQueueSpeakOnlyWhileTheyOwnTheConversation() async throws {
        let harness = try await OutboxHarness.make()
        defer { Task { await harness.stop() } }
        // Staff took user-a's conversation after these were queued; user-b's is still the bot's.
        let owners: [ApplicantID: ConversationOwner] = ["user-a": .staff("desk-1"), "user-b": .bot]
        harness.outbox.checkOwnership { owners[$0] ?? .bot }
        try await harness.outbox.enqueue("机器人的迟到回答", to: "user-a", author: .bot)
        try await harness.outbox.enqueue("排队提示", to: "user-a", author: .queue)
        try await harness.outbox.enqueue("工作人员的话", to: "user-a", author: .staff("desk-1"))
        try await harness.outbox.enqueue("机器人的回答", to: "user-b", author: .bot)
        try await harness.outbox.enqueue("排队提示", to: "user-b", author: .queue)
        harness.start()
        try await harness.waitUntilAllFinished(5)
        #expect(harness.server.accepted(for: "user-a") == ["工作人员的话"])
        #expect(harness.server.accepted(for: "user-b") == ["机器人的回答"])
        #expect(try await harness.state("0000000000000001") == .withheld)
        #expect(try await harness.state("0000000000000002") == .withheld)
        #expect(try await harness.message("0000000000000003").author == .staff("desk-1"))
        #expect(try await harness.state("0000000000000005") == .withheld)
        #expect(harness.metrics.value("weiquan_outbox_withheld_total") == 3)
    }

    @Test func aHeldQueueNoticeIsWithheldOnceTheQueueIsOver() async throws {
        let harness = try await OutboxHarness.make()
        defer { Task { await harness.stop() } }
        harness.server.scriptSend(.errcode(45015))
        harness.start()
        let notice = "0000000000000001"
        let staff = "0000000000000002"
        try await harness.outbox.enqueue("您目前排在第 2 位", to: "user-a", author: .queue)
        try await harness.waitUntil("it is held") { try await harness.state(notice) == .held(code: 45015) }
        try await harness.outbox.enqueue("工作人员的答复", to: "user-a", author: .staff("desk-1"))
        // The applicant writes again after the queue ended: the bot's passive reply carries only the staff text.
        let handover = try await harness.outbox.prepareHeld(for: "user-a", owner: .bot)
        #expect(handover.texts == ["工作人员的答复"])
        try await harness.store.write(handover.changes)
        handover.commit()
        #expect(try await harness.state(notice) == .withheld)
        #expect(try await harness.state(staff) == .deliveredInReply)
        #expect(harness.metrics.value("weiquan_outbox_withheld_total") == 1)
        #expect(harness.metrics.value("weiquan_outbox_delivered_in_reply_total") == 1)
    }

    @Test func aSecondTokenErrorIsTreatedAsTransient() async throws {
        let harness = try await OutboxHarness.make()
        defer { Task { await harness.stop() } }
        harness.server.scriptSend(.errcode(40001), .errcode(40001))
        try await harness.outbox.enqueue("hello", to: "user-a")
        harness.start()
        try await harness.passBackoffs(1)
        try await harness.waitUntil("it is delivered") { try await harness.state("0000000000000001") == .delivered }
        let message = try await harness.message("0000000000000001")
        #expect(harness.server.accepted.count == 1)
        #expect(message.attempts == 2)
        #expect(message.lastErrorCode == 40001)
        #expect(harness.recordedSleeps == [.seconds(1)])
        // Token 1 at the start, token 2 after the first refusal, token 3 after the second.
        #expect(harness.server.tokenRequests.count == 3)
    }

    @Test func transientErrorsAreRetriedWithBackoffThenDelivered() async throws {
        let harness = try await OutboxHarness.make()
        defer { Task { await harness.stop() } }
        harness.server.scriptSend(.errcode(-1), .http(500), .http(503))
        try await harness.outbox.enqueue("第一条", to: "user-a")
        try await harness.outbox.enqueue("第二条", to: "user-a")
        harness.start()
        try await harness.passBackoffs(3)
        try await harness.waitUntilAllFinished(2)
        #expect(harness.server.accepted(for: "user-a") == ["第一条", "第二条"])
        let first = try await harness.message("0000000000000001")
        #expect(first.state == .delivered)
        #expect(first.attempts == 4)
        #expect(first.lastErrorCode == -503)
        #expect(harness.recordedSleeps == [.seconds(1), .seconds(2), .seconds(4)])
        #expect(try await harness.message("0000000000000002").attempts == 1)
        #expect(harness.metrics.value("weiquan_outbox_sent_total") == 2)
    }

    @Test func aTimeoutIsRetried() async throws {
        let harness = try await OutboxHarness.make(timeout: .milliseconds(250))
        defer { Task { await harness.stop() } }
        _ = try await harness.tokens.token()
        harness.server.scriptSend(.hang)
        try await harness.outbox.enqueue("慢", to: "user-a")
        harness.start()
        // The send reaches the server and gets no answer; only then does the request's time run out.
        try await harness.server.waitUntil("the send hangs") { $0.hanging == 1 }
        try await harness.apiClock.waitForSleepers(1)
        harness.apiClock.advance(by: .milliseconds(250))
        try await harness.passBackoffs(1)
        try await harness.waitUntil("it is delivered") { try await harness.state("0000000000000001") == .delivered }
        let message = try await harness.message("0000000000000001")
        #expect(message.attempts == 2)
        #expect(message.lastErrorCode == WeChatAPIError.timeout)
        #expect(harness.recordedSleeps == [.seconds(1)])
    }

    @Test func afterMaxAttemptsTheMessageFailsWithItsCodeAndTheQueueGoesOn() async throws {
        let harness = try await OutboxHarness.make()
        defer { Task { await harness.stop() } }
        harness.server.scriptSend(.errcode(-1), times: 8)
        try await harness.outbox.enqueue("注定失败", to: "user-a")
        try await harness.outbox.enqueue("随后成功", to: "user-a")
        harness.start()
        try await harness.passBackoffs(7)
        try await harness.waitUntilAllFinished(2)
        let failed = try await harness.message("0000000000000001")
        #expect(failed.state == .failed(code: -1))
        #expect(failed.attempts == 8)
        #expect(failed.deliveredAt == nil)
        #expect(harness.recordedSleeps == [1, 2, 4, 8, 16, 32, 64].map { Duration.seconds($0) })
        #expect(harness.server.accepted(for: "user-a") == ["随后成功"])
        #expect(harness.metrics.value("weiquan_outbox_failed_total", label: "-1") == 1)
        #expect(harness.metrics.value("weiquan_outbox_sent_total") == 1)
    }

    @Test func aTerminalErrorFailsAtOnce() async throws {
        let harness = try await OutboxHarness.make()
        defer { Task { await harness.stop() } }
        harness.server.scriptSend(.errcode(43004))  // the applicant unfollowed
        try await harness.outbox.enqueue("a", to: "user-a")
        try await harness.outbox.enqueue("b", to: "user-a")
        harness.start()
        try await harness.server.waitUntil("the second is accepted") { $0.accepted.count == 1 }
        #expect(try await harness.state("0000000000000001") == .failed(code: 43004))
        #expect(try await harness.message("0000000000000001").attempts == 1)
        #expect(harness.recordedSleeps.isEmpty)
        #expect(harness.metrics.value("weiquan_outbox_failed_total", label: "43004") == 1)
    }

    @Test func aClosedWindowHoldsTheMessageUntilThePassiveReplyTakesIt() async throws {
        let harness = try await OutboxHarness.make()
        defer { Task { await harness.stop() } }
        harness.server.scriptSend(.errcode(45015))
        harness.start()
        let (first, second, third) = ("0000000000000001", "0000000000000002", "0000000000000004")
        try await harness.outbox.enqueue("您的案件已受理", to: "user-a")
        try await harness.waitUntil("it is held") { try await harness.state(first) == .held(code: 45015) }
        // A later message waits behind the held one, even though another applicant's goes out.
        try await harness.outbox.enqueue("请补充材料", to: "user-a")
        try await harness.outbox.enqueue("给别人", to: "user-b")
        try await harness.server.waitUntil("user-b's is accepted") { $0.accepted.count == 1 }
        #expect(try await harness.state(second) == .pending)
        #expect(harness.server.sendRequests.count == 2)
        #expect(harness.metrics.value("weiquan_outbox_held_total") == 1)
        #expect(try await harness.takeHeld(for: "user-b").isEmpty)

        // The applicant writes again: the conversation service puts both into its passive reply.
        harness.clock.advance(by: .seconds(3600))
        let taken = try await harness.takeHeld(for: "user-a")
        #expect(taken == ["您的案件已受理", "请补充材料"])
        for id in [first, second] {
            let message = try await harness.message(id)
            #expect(message.state == .deliveredInReply && message.deliveredAt == harness.clock.date)
        }
        #expect(try await harness.message(first).lastErrorCode == 45015)
        #expect(try await harness.takeHeld(for: "user-a").isEmpty)
        #expect(harness.metrics.value("weiquan_outbox_delivered_in_reply_total") == 2)

        // Neither ever went through the API; the applicant's next message does.
        try await harness.outbox.enqueue("第三条", to: "user-a")
        try await harness.waitUntil("the third is delivered") { try await harness.state(third) == .delivered }
        #expect(harness.server.accepted(for: "user-a") == ["第三条"])
        #expect(harness.server.sendRequests.count == 3)
    }

    @Test func quotaAndPermissionErrorsAlsoHold() async throws {
        let harness = try await OutboxHarness.make()
        defer { Task { await harness.stop() } }
        harness.server.scriptSend(.errcode(45047), .errcode(48001))
        harness.start()
        try await harness.outbox.enqueue("a", to: "user-a")
        try await harness.outbox.enqueue("b", to: "user-b")
        try await harness.waitUntil("both are held") {
            let states = [try await harness.state("0000000000000001"), try await harness.state("0000000000000002")]
            return states.allSatisfy(\.isHeld)
        }
        #expect(harness.metrics.value("weiquan_outbox_held_total") == 2)
        #expect(harness.recordedSleeps.isEmpty)
    }

    @Test func releasingHeldMessagesSendsThemThroughTheAPIInOrder() async throws {
        let harness = try await OutboxHarness.make()
        defer { Task { await harness.stop() } }
        harness.server.scriptSend(.errcode(45015))
        harness.start()
        let first = "0000000000000001"
        try await harness.outbox.enqueue("一", to: "user-a")
        try await harness.waitUntil("it is held") { try await harness.state(first) == .held(code: 45015) }
        try await harness.outbox.enqueue("二", to: "user-a")
        try await harness.outbox.releaseHeld(for: "user-a")
        try await harness.server.waitUntil("both are accepted") { $0.accepted.count == 2 }
        #expect(harness.server.accepted(for: "user-a") == ["一", "二"])
        try await harness.waitUntilAllFinished(2)
        #expect(try await harness.message(first).attempts == 2)
        // Nothing is held any more: releasing again changes nothing.
        let writes = harness.store.writeCount
        try await harness.outbox.releaseHeld(for: "user-a")
        #expect(harness.store.writeCount == writes)
        #expect(harness.server.sendRequests.count == 3)
    }

    @Test func theTokenEndpointFailingDelaysWithoutSpendingAttempts() async throws {
        let harness = try await OutboxHarness.make()
        defer { Task { await harness.stop() } }
        harness.server.scriptToken(.errcode(-1), .http(502), .errcode(40164))
        try await harness.outbox.enqueue("等一等", to: "user-a")
        harness.start()
        try await harness.passBackoffs(3)
        try await harness.server.waitUntil("it is accepted") { $0.accepted.count == 1 }
        #expect(try await harness.message("0000000000000001").attempts == 1)
        #expect(harness.recordedSleeps == [.seconds(1), .seconds(2), .seconds(4)])
        #expect(harness.metrics.value("weiquan_token_refresh_failures_total") == 3)
    }

    @Test func aMessageIsRecordedAsSendingBeforeTheAPIIsCalled() async throws {
        let store = MemoryDocumentStore()
        let probe = ProbeAPI(store: store)
        let harness = try await OutboxHarness.make(store: store, api: probe)
        defer { Task { await harness.stop() } }
        try await harness.outbox.enqueue("x", to: "user-a")
        try await harness.outbox.enqueue("y", to: "user-a")
        harness.start()
        try await harness.waitUntil("both are delivered") { try await harness.state("0000000000000002") == .delivered }
        // What the store said at the moment of each call.
        #expect(
            probe.seen == [
                ProbeAPI.Seen(content: "x", state: .sending, attempts: 1),
                ProbeAPI.Seen(content: "y", state: .sending, attempts: 1),
            ])
    }

    @Test func messagesEnqueuedBeforeAStopAreDeliveredAfterARestart() async throws {
        let directory = self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await FakeWeChatAPIServer.start()
        do {
            let store = try await FileDocumentStore.open(directory: directory)
            let harness = try await OutboxHarness.make(server: server, store: store)
            // Never started: the process stops before delivery.
            try await harness.outbox.enqueue("甲一", to: "user-a")
            try await harness.outbox.enqueue("乙一", to: "user-b")
            try await harness.outbox.enqueue("甲二\n换行", to: "user-a")
            // A message held before the stop stays held after it.
            var held = OutboxMessage(
                id: "0000000000000004", applicant: "user-c", content: "丙", createdAt: harness.clock.date)
            held.state = .held(code: 45015)
            held.attempts = 1
            held.lastErrorCode = 45015
            try await store.put(held)
            try await store.close()
        }
        #expect(server.sendRequests.isEmpty)

        let store = try await FileDocumentStore.open(directory: directory)
        let harness = try await OutboxHarness.make(server: server, store: store)
        #expect(harness.outbox.queuedCount == 4)
        harness.start()
        try await server.waitUntil("the three are accepted") { $0.accepted.count == 3 }
        #expect(server.accepted(for: "user-a") == ["甲一", "甲二\n换行"])
        #expect(server.accepted(for: "user-b") == ["乙一"])
        // The id sequence goes on where it was.
        try await harness.outbox.enqueue("甲三", to: "user-a")
        #expect(try await harness.message("0000000000000005").content == "甲三")
        try await server.waitUntil("the fourth is accepted") { $0.accepted.count == 4 }
        #expect(try await harness.takeHeld(for: "user-c") == ["丙"])
        #expect(server.accepted(for: "user-c").isEmpty)
        await harness.stop()
        try await store.close()
    }

    @Test func aMessageLeftSendingByACrashIsSentAgain() async throws {
        let directory = self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let store = try await FileDocumentStore.open(directory: directory)
            // What a crash between the `sending` write and the `delivered` write leaves behind.
            var sending = OutboxMessage(
                id: "0000000000000001", applicant: "user-a", content: "可能已送达", createdAt: Date())
            sending.state = .sending
            sending.attempts = 1
            try await store.put(sending)
            try await store.put(
                OutboxMessage(id: "0000000000000002", applicant: "user-a", content: "其后", createdAt: Date()))
            try await store.close()
        }
        let store = try await FileDocumentStore.open(directory: directory)
        let harness = try await OutboxHarness.make(store: store)
        harness.start()
        try await harness.server.waitUntil("both are accepted") { $0.accepted.count == 2 }
        #expect(harness.server.accepted(for: "user-a") == ["可能已送达", "其后"])
        try await harness.waitUntilAllFinished(2)
        let first = try await harness.message("0000000000000001")
        #expect(first.state == .delivered)
        #expect(first.attempts == 2)
        await harness.stop()
        try await store.close()
    }

    @Test func sweepingDeletesOldDeliveredMessagesButKeepsTheSequence() async throws {
        let harness = try await OutboxHarness.make()
        defer { Task { await harness.stop() } }
        harness.server.scriptSend(.ok, .errcode(40003))
        try await harness.outbox.enqueue("old", to: "user-a")
        try await harness.outbox.enqueue("refused", to: "user-a")
        try await harness.outbox.enqueue("newest", to: "user-a")
        harness.start()
        try await harness.waitUntilAllFinished(3)
        harness.clock.advance(by: .seconds(86_400))
        #expect(try await harness.outbox.sweep(deliveredBefore: harness.clock.date) == 1)
        // The failed message stays for staff; the newest stays to carry the sequence.
        #expect(try await harness.store.all(OutboxMessage.self).map(\.content) == ["refused", "newest"])
    }

    @Test func theServiceSweepsOnItsTimer() async throws {
        let harness = try await OutboxHarness.make()
        defer { Task { await harness.stop() } }
        try await harness.outbox.enqueue("old", to: "user-a")
        try await harness.outbox.enqueue("newest", to: "user-a")
        let service = OutboxService(
            outbox: harness.outbox, retention: .seconds(3600), sweepInterval: .seconds(600),
            clock: harness.clock.wallClock,
            timerClock: harness.clock
        )
        let running = Task { try await service.run() }
        defer { running.cancel() }
        try await harness.waitUntilAllFinished(2)
        // Nothing is swept before its time, and then only what is older than the retention.
        try await harness.clock.waitForSleepers(1)
        #expect(harness.clock.pendingSleeps == [.seconds(600)])
        harness.clock.advance(by: .seconds(3600))
        try await harness.clock.waitForSleepers(1)
        #expect(try await harness.store.count(OutboxMessage.self) == 2)
        harness.clock.advance(by: .seconds(600))
        try await harness.waitUntil("the old message is swept") {
            try await harness.store.count(OutboxMessage.self) == 1
        }
        #expect(try await harness.store.all(OutboxMessage.self).map(\.content) == ["newest"])
    }

    @Test func theRetryPolicyDoublesUpToItsCap() {
        let policy = OutboxRetryPolicy()
        #expect(
            (1...11).map { policy.delay(afterAttempts: $0) }
                == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300].map { Duration.seconds($0) })
        #expect(policy.maxAttempts == 8)
    }

    @Test func theStoredDocumentIsReadable() throws {
        var message = OutboxMessage(
            id: "0000000000000042", applicant: "o6_bmjr", content: "内容",
            createdAt: Date(timeIntervalSince1970: 1_795_222_800)
        )
        message.state = .failed(code: 43004)
        message.attempts = 1
        message.lastErrorCode = 43004
        let json = String(decoding: try StoreCoding.encoder.encode(message), as: UTF8.self)
        #expect(json.contains(#""state":"failed""#))
        #expect(json.contains(#""last_error_code":43004"#))
        #expect(json.contains(#""id":"0000000000000042""#))
        let decoded = try StoreCoding.decoder.decode(OutboxMessage.self, from: Data(json.utf8))
        #expect(decoded == message)
    }
}

/// A WeChat API stub that looks at the store at the moment of each send.
final class ProbeAPI: WeChatAPI {
    struct Seen: Equatable, Sendable {
        var content: String
        var state: OutboxMessage.State
        var attempts: Int
    }

    let store: any DocumentStore
    private let seenMessages = Mutex<[Seen]>([])

    init(store: any DocumentStore) {
        self.store = store
    }

    var seen: [Seen] { self.seenMessages.withLock { $0 } }

    func accessToken(appID: String, secret: String) async throws -> AccessToken {
        AccessToken(value: "probe-token", expiresIn: .seconds(7200))
    }

    func sendText(_ content: String, to openID: String, accessToken: String) async throws {
        let stored = try await self.store.all(OutboxMessage.self).first { $0.content == content }
        if let stored {
            self.seenMessages.withLock {
                $0.append(Seen(content: content, state: stored.state, attempts: stored.attempts))
            }
        }
    }
}
