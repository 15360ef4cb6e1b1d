import Foundation
import Synchronization
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore
import WeiquanTestSupport

/// Reminders on the server (issue 14): set with the message that asks for them, sent on their day through the outbox
/// when the applicant wrote within WeChat's window — once, however often and wherever the sweep runs — and otherwise
/// held and given with the reply to the applicant's next message. Time comes from the injected clock only.
@Suite struct ReminderTests {
    static let applicant: ApplicantID = "user-r"
    /// From 2026-11-21 09:00 (the tests' usual start) to 2027-05-29 12:00 in Shanghai, the day before the reminder
    /// of the demo patent's year-15 fee (due 2027-06-29, reminded 30 days before).
    static let toTheDayBefore: TimeInterval = 189 * 86_400 + 3 * 3600

    static func say(_ service: ConversationService, _ text: String, id: Int, from user: ApplicantID = applicant) async
        -> String
    {
        switch await service.handle(.text(text), applicant: user, key: "msg:\(id)") {
        case .reply(let reply, _): reply
        case .noReply: ""
        }
    }

    static func service(
        store: any DocumentStore, outbound: any OutboundQueue, clock: @escaping @Sendable () -> Date,
        coordination: any Coordination = InProcessCoordination()
    ) async throws -> ConversationService {
        try await ConversationService(
            machine: TestServer.data.makeMachine(), store: store, outbound: outbound, coordination: coordination,
            clock: clock)
    }

    /// Sets the demo patent's fee reminder for `user` through two messages.
    /// Message ids are the retry keys: each message needs its own (`first` and `first + 1` here).
    static func setReminder(_ service: ConversationService, from user: ApplicantID = applicant, first: Int = 1)
        async throws
    {
        #expect(await Self.say(service, "201310268509.X", id: first, from: user).contains("1. 提醒我"))
        #expect(await Self.say(service, "1", id: first + 1, from: user).contains("已设置提醒：2027 年 5 月 30 日"))
    }

    @Test func aDueReminderGoesOutOnceThroughTheOutboxToTheWeChatAPI() async throws {
        let harness = try await OutboxHarness.make()
        harness.start()
        defer { Task { await harness.stop() } }
        let service = try await Self.service(
            store: harness.store, outbound: harness.outbox, clock: { harness.clock.date })
        try await Self.setReminder(service)
        let book = try #require(try await harness.store.get(ReminderBook.self, id: Self.applicant.rawValue))
        #expect(book.entries.map(\.reminder.remindOn) == [CalendarDay("2027-05-30")])
        #expect(book.entries.map(\.state) == [.scheduled])

        harness.clock.advance(by: .seconds(Self.toTheDayBefore))
        #expect(try await service.sendDueReminders() == .init())
        // The applicant writes the day before: the window is open when the day comes.
        _ = await Self.say(service, "你好", id: 3)
        harness.clock.advance(by: .seconds(86_400))
        #expect(try await service.sendDueReminders() == .init(sent: 1))
        try await harness.waitUntilAllFinished(1)
        let sent = harness.server.accepted(for: Self.applicant.rawValue)
        #expect(sent.count == 1)
        #expect(sent.first?.hasPrefix("【提醒】您设置的年费提醒：专利 201310268509.X 第 15 年年费 6000 元") == true, "\(sent)")
        // Handed on in the same write as the outbox message: nothing left to send again.
        #expect(try await harness.store.get(ReminderBook.self, id: Self.applicant.rawValue) == nil)
        #expect(try await service.sendDueReminders() == .init())
        harness.clock.advance(by: .seconds(86_400))
        #expect(try await service.sendDueReminders() == .init())
        #expect(harness.server.accepted(for: Self.applicant.rawValue).count == 1)
    }

    @Test func aReminderDueWhileTheWindowIsClosedIsHeldAndGivenWithTheNextReply() async throws {
        let store = MemoryDocumentStore()
        let clock = TestClock()
        let outbound = RecordingOutbound()
        let service = try await Self.service(store: store, outbound: outbound, clock: clock.function)
        try await Self.setReminder(service)
        clock.advance(Self.toTheDayBefore + 86_400)
        #expect(try await service.sendDueReminders() == .init(held: 1))
        #expect(outbound.sent.isEmpty)
        let book = try #require(try await store.get(ReminderBook.self, id: Self.applicant.rawValue))
        #expect(book.entries.map(\.state) == [.held])
        #expect(book.entries.first?.heldAt == clock.now)
        // Held is not due again.
        #expect(try await service.sendDueReminders() == .init())

        clock.advance(3 * 86_400)
        let reply = await Self.say(service, "谢谢", id: 3)
        let held = TestServer.data.makeMachine().replies.render("reminder.held", ["messages": ""])
        #expect(reply.hasPrefix(held), "\(reply)")
        #expect(reply.contains("第 15 年年费 6000 元"))
        #expect(reply.hasSuffix(TestServer.data.makeMachine().replies.render("thanks")), "\(reply)")
        #expect(try await store.get(ReminderBook.self, id: Self.applicant.rawValue) == nil)
        #expect(outbound.sent.isEmpty)
        // Given once.
        #expect(!(await Self.say(service, "谢谢", id: 4)).contains("【提醒】"))
    }

    @Test func cancellingRemovesTheRemindersAndSaysSoWhenThereWereNone() async throws {
        let store = MemoryDocumentStore()
        let clock = TestClock()
        let service = try await Self.service(store: store, outbound: RecordingOutbound(), clock: clock.function)
        let replies = TestServer.data.makeMachine().replies
        #expect(await Self.say(service, "取消提醒", id: 10) == replies.render("reminder.none"))
        #expect(try await store.count(ReminderBook.self) == 0)
        try await Self.setReminder(service, first: 1)
        #expect(await Self.say(service, "取消提醒", id: 11) == replies.render("reminder.cancelled"))
        #expect(try await store.get(ReminderBook.self, id: Self.applicant.rawValue) == nil)
        clock.advance(Self.toTheDayBefore + 86_400)
        #expect(try await service.sendDueReminders() == .init())
    }

    @Test func askingAgainReplacesTheReminder() async throws {
        let store = MemoryDocumentStore()
        let service = try await Self.service(store: store, outbound: RecordingOutbound(), clock: TestClock().function)
        try await Self.setReminder(service)
        try await Self.setReminder(service, first: 5)
        let book = try #require(try await store.get(ReminderBook.self, id: Self.applicant.rawValue))
        #expect(book.entries.count == 1)
    }

    @Test func twoInstancesSweepingAtOnceSendAReminderOnce() async throws {
        let cluster = ClusterTwin()
        let clock = TestClock()
        let outboundA = RecordingOutbound()
        let outboundB = RecordingOutbound()
        let a = try await Self.service(
            store: cluster.member("a").store, outbound: outboundA, clock: clock.function,
            coordination: cluster.member("a").coordination)
        let b = try await Self.service(
            store: cluster.member("b").store, outbound: outboundB, clock: clock.function,
            coordination: cluster.member("b").coordination)
        let users: [ApplicantID] = (1...5).map { ApplicantID(rawValue: "user-\($0)") }
        for (index, user) in users.enumerated() { try await Self.setReminder(a, from: user, first: 10 * index + 10) }
        clock.advance(Self.toTheDayBefore)
        for (index, user) in users.enumerated() { _ = await Self.say(b, "你好", id: 100 + index, from: user) }
        clock.advance(86_400)
        async let first = a.sendDueReminders()
        async let second = b.sendDueReminders()
        let (one, other) = try await (first, second)
        #expect(one.sent + other.sent == users.count)
        #expect(one.held + other.held == 0)
        let sent = outboundA.sent + outboundB.sent
        #expect(sent.count == users.count)
        #expect(Set(sent.map(\.applicant)) == Set(users))
        #expect(sent.allSatisfy { $0.author == .desk })
        #expect(try await cluster.store.count(ReminderBook.self) == 0)
    }
}
