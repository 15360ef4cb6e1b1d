import Foundation
import Logging
import Synchronization
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanPostgres
@testable import WeiquanServer
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

    /// The refused write's warning is expected: not printed.
    static let quiet: Logger = {
        var logger = Logger(label: "reminder-test")
        logger.logLevel = .critical
        return logger
    }()

    static func service(
        store: any DocumentStore, outbound: any OutboundQueue, clock: @escaping @Sendable () -> Date,
        coordination: any Coordination = InProcessCoordination()
    ) async throws -> ConversationService {
        try await ConversationService(
            machine: TestServer.data.makeMachine(), store: store, outbound: outbound, coordination: coordination,
            clock: clock, logger: Self.quiet)
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

    @Test func aReminderHeldPastItsDeadlineAndGraceIsDroppedUnsaid() async throws {
        let store = MemoryDocumentStore()
        let clock = TestClock()
        let service = try await Self.service(store: store, outbound: RecordingOutbound(), clock: clock.function)
        try await Self.setReminder(service)
        clock.advance(Self.toTheDayBefore + 86_400)
        #expect(try await service.sendDueReminders() == .init(held: 1))
        // The applicant comes back a year later: the fee's due date and its grace are long past.
        clock.advance(365 * 86_400)
        let reply = await Self.say(service, "谢谢", id: 3)
        #expect(!reply.contains("【提醒】"), "\(reply)")
        #expect(!reply.contains("第 15 年年费"), "\(reply)")
        #expect(try await store.get(ReminderBook.self, id: Self.applicant.rawValue) == nil)
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

    /// Two conversation services on one store (`backend`), each with its own outbound queue and coordination.
    static func withTwoServices(
        on backend: ConversationClusterTests.Backend, clock: TestClock,
        outbound: (RecordingOutbound, RecordingOutbound),
        _ body: @Sendable (ConversationService, ConversationService, any DocumentStore) async throws -> Void
    ) async throws {
        switch backend {
        case .twin:
            let cluster = ClusterTwin()
            let a = try await Self.service(
                store: cluster.member("a").store, outbound: outbound.0, clock: clock.function,
                coordination: cluster.member("a").coordination)
            let b = try await Self.service(
                store: cluster.member("b").store, outbound: outbound.1, clock: clock.function,
                coordination: cluster.member("b").coordination)
            try await body(a, b, cluster.store)
        case .postgres:
            try await TestPostgres.withDatabase { url in
                let databaseA = TestPostgres.database(
                    url: url, instanceID: "a", connections: 4, lockConnections: 8)
                let databaseB = TestPostgres.database(
                    url: url, instanceID: "b", connections: 4, lockConnections: 8)
                try await databaseA.withRunning {
                    try await databaseB.withRunning {
                        let storeA = PostgresDocumentStore(database: databaseA)
                        try await storeA.migrate()
                        let a = try await Self.service(
                            store: storeA, outbound: outbound.0, clock: clock.function,
                            coordination: PostgresCoordination(database: databaseA))
                        let b = try await Self.service(
                            store: PostgresDocumentStore(database: databaseB), outbound: outbound.1,
                            clock: clock.function, coordination: PostgresCoordination(database: databaseB))
                        try await body(a, b, storeA)
                    }
                }
            }
        }
    }

    @Test(arguments: ConversationClusterTests.Backend.available)
    func twoInstancesSweepingAtOnceSendEachReminderOnce(_ backend: ConversationClusterTests.Backend) async throws {
        let clock = TestClock()
        let outbound = (RecordingOutbound(), RecordingOutbound())
        try await Self.withTwoServices(on: backend, clock: clock, outbound: outbound) { a, b, store in
            let users: [ApplicantID] = (1...5).map { ApplicantID(rawValue: "user-\($0)") }
            for (index, user) in users.enumerated() {
                try await Self.setReminder(a, from: user, first: 10 * index + 10)
            }
            clock.advance(Self.toTheDayBefore)
            for (index, user) in users.enumerated() { _ = await Self.say(b, "你好", id: 100 + index, from: user) }
            clock.advance(86_400)
            async let first = a.sendDueReminders()
            async let second = b.sendDueReminders()
            let (one, other) = try await (first, second)
            #expect(one.sent + other.sent == users.count)
            #expect(one.held + other.held == 0)
            let sent = outbound.0.sent + outbound.1.sent
            #expect(sent.count == users.count)
            #expect(Set(sent.map(\.applicant)) == Set(users))
            #expect(sent.allSatisfy { $0.author == .desk && $0.text.hasPrefix("【提醒】") })
            #expect(try await store.count(ReminderBook.self) == 0)
        }
    }

    @Test func anApplicantWhoseRemindersCannotBeWrittenIsSkippedAndTriedAgain() async throws {
        let store = RefusingStore()
        let clock = TestClock()
        let outbound = RecordingOutbound()
        let service = try await Self.service(store: store, outbound: outbound, clock: clock.function)
        try await Self.setReminder(service, from: "user-good", first: 1)
        try await Self.setReminder(service, from: "user-bad", first: 3)
        clock.advance(Self.toTheDayBefore)
        _ = await Self.say(service, "你好", id: 5, from: "user-good")
        _ = await Self.say(service, "你好", id: 6, from: "user-bad")
        clock.advance(86_400)
        store.refuse("user-bad")
        // The one that cannot be written stays as it was (its outbox message rolled back); the other goes out.
        #expect(try await service.sendDueReminders() == .init(sent: 1))
        #expect(outbound.sent.map(\.applicant) == ["user-good"])
        let book = try #require(try await store.get(ReminderBook.self, id: "user-bad"))
        #expect(book.entries.map(\.state) == [.scheduled])
        store.refuse(nil)
        #expect(try await service.sendDueReminders() == .init(sent: 1))
        #expect(outbound.sent.map(\.applicant) == ["user-good", "user-bad"])
    }

    @Test func aHeldReminderGoesThroughTheOutboxWhenTheNextMessageGetsNoReply() async throws {
        let harness = try await DeskHarness()
        let user: ApplicantID = "user-a"
        try await Self.setReminder(harness.service, from: user, first: 1)
        // From Monday 2026-11-23 10:00 to 2027-05-30 10:00: the applicant has not written for months.
        harness.clock.advance(188 * 86_400)
        #expect(try await harness.service.sendDueReminders() == .init(held: 1))
        // Staff take the conversation over: the bot says nothing to the applicant's next message.
        _ = try await harness.desk.takeOver(DeskHarness.staff1, conversation: user)
        #expect(await harness.say("你好", from: user, id: 3) == "")
        let reminders = harness.outbound.sent(to: user).filter { $0.text.hasPrefix("【提醒】") }
        #expect(reminders.count == 1)
        #expect(reminders.first?.author == .desk)
        #expect(try await harness.store.get(ReminderBook.self, id: user.rawValue) == nil)
    }

    @Test func anErasureTakesTheApplicantsReminders() async throws {
        let harness = try await DeskHarness()
        let privacy = PrivacyService(service: harness.service, blobs: MemoryBlobStore(), logger: Self.quiet)
        try await Self.setReminder(harness.service, from: "user-a", first: 1)
        try await Self.setReminder(harness.service, from: "user-b", first: 3)
        _ = await harness.say("删除我的信息", from: "user-a", id: 5)
        _ = await harness.say("1", from: "user-a", id: 6)
        let id = try #require(try await harness.store.all(ErasureRequest.self).first?.id)
        _ = try await privacy.confirm(DeskHarness.staff1, id)
        #expect(try await harness.store.all(ReminderBook.self).map(\.applicant) == ["user-b"])
    }

    @Test func theSweeperSendsOnItsTimer() async throws {
        let store = ObservedStore(MemoryDocumentStore())
        let clock = TestClock()
        let outbound = RecordingOutbound()
        let service = try await Self.service(store: store, outbound: outbound, clock: clock.function)
        try await Self.setReminder(service)
        clock.advance(Self.toTheDayBefore)
        _ = await Self.say(service, "你好", id: 3)
        clock.advance(86_400)
        let timer = ManualClock()
        let sweeper = ReminderSweeper(
            service: service, coordination: InProcessCoordination(), clock: timer, logger: Self.quiet)
        let running = Task { try await sweeper.run() }
        try await timer.waitForSleepers(1)
        // Nothing before the first pause ends.
        #expect(try await store.count(ReminderBook.self) == 1)
        timer.advance(by: .seconds(300))
        try await store.waitUntil("the reminder is handed on") { try await store.count(ReminderBook.self) == 0 }
        running.cancel()
        _ = try? await running.value
        #expect(outbound.sent.map(\.text.first) == ["【"])
    }
}

/// A store that refuses writes touching one applicant's reminders (their disk is full just then).
final class RefusingStore: DocumentStore {
    let inner = MemoryDocumentStore()
    private let refused = Mutex<String?>(nil)

    /// Refuses writes of `applicant`'s reminder book from now on (nil: none).
    func refuse(_ applicant: String?) { self.refused.withLock { $0 = applicant } }

    func write(_ changes: [DocumentChange]) async throws {
        if let refused = self.refused.withLock({ $0 }),
            changes.contains(where: { $0.collection == ReminderBook.collection && $0.id == refused })
        {
            throw CocoaError(.fileWriteOutOfSpace)
        }
        try await self.inner.write(changes)
    }

    func document(collection: String, id: String) async throws -> Data? {
        try await self.inner.document(collection: collection, id: id)
    }

    func documents(collection: String) async throws -> [(id: String, json: Data)] {
        try await self.inner.documents(collection: collection)
    }

    func count(collection: String) async throws -> Int { try await self.inner.count(collection: collection) }

    func collections() async throws -> [String] { try await self.inner.collections() }

    func checkWritable() async throws { try await self.inner.checkWritable() }
}
