import Foundation
import Logging
import PostgresNIO
import Testing
import WeiquanStore
import WeiquanTestSupport

@testable import WeiquanPostgres

/// `PostgresCoordination` on a real server: each test's instances are several `PostgresDatabase` objects on one
/// fresh database, as several `weiquan serve` processes would be.
@Suite(.serialized, .postgres)
struct PostgresCoordinationTests {
    /// How many bodies run at once, at most, and how many ran.
    struct Overlap: Sendable {
        var inside = 0
        var most = 0
        var done = 0
    }

    // MARK: - exclusively

    @Test func oneKeyRunsOneBodyAtATimeAcrossInstances() async throws {
        try await withCoordinationInstances { instances in
            let overlap = Observed(Overlap())
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<12 {
                    let instance = instances[index % 2]
                    group.addTask {
                        try await instance.coordination.exclusively("o6_bmjrPTlm6_2sgVt7hMZOPfL2M") {
                            overlap.update {
                                $0.inside += 1
                                $0.most = max($0.most, $0.inside)
                            }
                            // A round trip to the database inside the body, so that a broken lock would show.
                            try await instance.execute("SELECT 1")
                            overlap.update {
                                $0.inside -= 1
                                $0.done += 1
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(overlap.value.most == 1)
            #expect(overlap.value.done == 12)
        }
    }

    @Test func waitersAreServedInArrivalOrderAcrossInstances() async throws {
        try await withCoordinationInstances { instances in
            let (a, b) = (instances[0], instances[1])
            let order = Observed<[String]>([])
            let release = Observed(false)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await a.coordination.exclusively("openid") {
                        order.update { $0.append("holder on A") }
                        try await release.wait("the holder's release") { $0 }
                    }
                }
                try await order.wait("the holder runs") { $0.count == 1 }
                let waiters = [(b, "first on B"), (a, "second on A"), (b, "third on B"), (a, "fourth on A")]
                for (number, (instance, name)) in waiters.enumerated() {
                    group.addTask {
                        try await instance.coordination.exclusively("openid") { order.update { $0.append(name) } }
                    }
                    // The next one asks only once PostgreSQL has queued this one.
                    try await a.waitForLockWaiters(number + 1)
                }
                release.update { $0 = true }
                try await group.waitForAll()
            }
            #expect(order.value == ["holder on A", "first on B", "second on A", "third on B", "fourth on A"])
        }
    }

    @Test func differentKeysDoNotWaitForEachOther() async throws {
        try await withCoordinationInstances { instances in
            let (a, b) = (instances[0], instances[1])
            let events = Observed<[String]>([])
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await a.coordination.exclusively("key A") {
                        events.update { $0.append("A holds key A") }
                        // Ends only if key B's body runs while key A is held.
                        try await events.wait("key B's body") { $0.contains("B ran key B") }
                    }
                }
                try await events.wait("key A is held") { $0 == ["A holds key A"] }
                group.addTask {
                    try await b.coordination.exclusively("key B") { events.update { $0.append("B ran key B") } }
                }
                try await group.waitForAll()
            }
            #expect(events.value == ["A holds key A", "B ran key B"])
        }
    }

    @Test func aWaitPastTheLockTimeoutIsUnavailableAndTheBodyDoesNotRun() async throws {
        try await withCoordinationInstances { instances in
            let (a, b) = (instances[0], instances[1])
            let impatient = PostgresCoordination(database: b.database, lockTimeout: .milliseconds(50))
            let held = Observed(false)
            let release = Observed(false)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await a.coordination.exclusively("openid") {
                        held.update { $0 = true }
                        try await release.wait("the holder's release") { $0 }
                    }
                }
                try await held.wait("the key is held") { $0 }
                let error = await #expect(throws: StoreError.self) {
                    try await impatient.exclusively("openid") { Issue.record("the body ran without the lock") }
                }
                #expect(error?.code == .unavailable)
                release.update { $0 = true }
                try await group.waitForAll()
            }
        }
    }

    @Test func theKeyIsFreeAgainAfterTheBodyThrowsOrIsCancelled() async throws {
        struct BodyFailed: Error, Equatable {}
        try await withCoordinationInstances { instances in
            let (a, b) = (instances[0], instances[1])
            // A leaked lock would make B wait past this and fail with .unavailable.
            let impatient = PostgresCoordination(database: b.database, lockTimeout: .seconds(5))
            await #expect(throws: BodyFailed()) {
                try await a.coordination.exclusively("openid") { throw BodyFailed() }
            }
            #expect(try await impatient.exclusively("openid") { "B after a throw" } == "B after a throw")

            let held = Observed(false)
            let holder = Task {
                try await a.coordination.exclusively("openid") {
                    held.update { $0 = true }
                    try await untilCancelled()
                }
            }
            try await held.wait("the key is held") { $0 }
            holder.cancel()
            await #expect(throws: CancellationError.self) { try await holder.value }
            #expect(try await impatient.exclusively("openid") { "B after a cancel" } == "B after a cancel")
        }
    }

    // MARK: - lead

    /// Starts `lead(role)` on `instance`, its body recording "name+" when it starts and "name-" when it ends.
    private func startLeading(
        _ instance: CoordinationTestInstance, _ leaders: Observed<[String]>
    ) -> Task<Void, any Error> {
        Task {
            try await instance.coordination.lead("outbox-sender") {
                leaders.update { $0.append(instance.name + "+") }
                defer { leaders.update { $0.append(instance.name + "-") } }
                try await untilCancelled()
            }
        }
    }

    @Test func oneInstanceLeadsARoleAtATime() async throws {
        try await withCoordinationInstances { instances in
            let leaders = Observed<[String]>([])
            let tasks = instances.map { self.startLeading($0, leaders) }
            try await leaders.wait("a leader") { !$0.isEmpty }
            // Each clock has one sleeper then: the leader's connection check, or the other's next try.
            for _ in 0..<3 {
                for instance in instances { try await instance.clock.advanceToNextSleeper() }
            }
            for instance in instances { try await instance.clock.waitForSleepers(1) }
            #expect(leaders.value.count == 1)
            let held = try await instances[0].count(
                """
                SELECT count(*)::int8 FROM pg_locks WHERE locktype = 'advisory' AND granted
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """)
            #expect(held == 1)
            for task in tasks { task.cancel() }
            for task in tasks { try await task.value }
        }
    }

    @Test func anotherInstanceLeadsOnceTheLeaderIsCancelled() async throws {
        try await withCoordinationInstances { instances in
            let (a, b) = (instances[0], instances[1])
            let leaders = Observed<[String]>([])
            let leaderA = self.startLeading(a, leaders)
            try await leaders.wait("A leads") { $0 == ["A+"] }
            let leaderB = self.startLeading(b, leaders)
            try await b.clock.waitForSleepers(1)  // B asked and was refused
            #expect(leaders.value == ["A+"])

            leaderA.cancel()
            try await leaderA.value  // returns (does not throw) once the role is given back
            #expect(leaders.value == ["A+", "A-"])
            try await b.clock.advanceToNextSleeper()
            try await leaders.wait("B leads") { $0 == ["A+", "A-", "B+"] }

            leaderB.cancel()
            try await leaderB.value
        }
    }

    @Test func aLeaderWhoseConnectionFailsIsCancelledAndAnotherLeads() async throws {
        try await withCoordinationInstances { instances in
            let (a, b) = (instances[0], instances[1])
            let leaders = Observed<[String]>([])
            let leaderA = self.startLeading(a, leaders)
            try await leaders.wait("A leads") { $0 == ["A+"] }
            let leaderB = self.startLeading(b, leaders)
            try await b.clock.waitForSleepers(1)

            #expect(try await a.terminateLockHolders() == 1)
            try await advance(a.clock, until: "A notices it lost the role", on: leaders) { $0 == ["A+", "A-"] }
            try await a.waitForNoLockHolders()
            try await advance(b.clock, until: "B leads", on: leaders) { $0.last == "B+" }
            #expect(leaders.value == ["A+", "A-", "B+"])

            for task in [leaderA, leaderB] { task.cancel() }
            for task in [leaderA, leaderB] { try await task.value }
        }
    }

    // MARK: - changes

    /// Records what `stream` gives until the task is cancelled or the stream ends.
    private func record(
        _ stream: AsyncStream<CoordinationEvent>
    ) -> (Observed<[CoordinationEvent]>, Task<Void, Never>) {
        let events = Observed<[CoordinationEvent]>([])
        let task = Task {
            for await event in stream { events.update { $0.append(event) } }
        }
        return (events, task)
    }

    private static func notify(_ notice: PostgresChangeNotice, from instance: CoordinationTestInstance) async throws {
        try await instance.execute("SELECT pg_notify(\(PostgresChangeNotice.channel), \(notice.payload))")
    }

    private static let case1 = DocumentKey(collection: "cases", id: "WQ-2026-0001")
    private static let case2 = DocumentKey(collection: "cases", id: "WQ-2026-0002")
    private static let case3 = DocumentKey(collection: "conversations", id: "o6_bmjrPTlm6_2sgVt7hMZOPfL2M")

    @Test func otherInstancesHearOfChangesButTheWriterDoesNot() async throws {
        try await withCoordinationInstances(listening: true) { instances in
            let (a, b) = (instances[0], instances[1])
            let (eventsA, taskA) = self.record(a.coordination.changes())
            let (eventsB, taskB) = self.record(b.coordination.changes())
            // Each listener says .resync once it listens: from then on no notice is missed.
            try await eventsA.wait("A listens") { $0 == [.resync] }
            try await eventsB.wait("B listens") { $0 == [.resync] }

            try await Self.notify(PostgresChangeNotice(instanceID: a.database.instanceID, keys: [Self.case1]), from: a)
            try await Self.notify(PostgresChangeNotice(instanceID: b.database.instanceID, keys: [Self.case2]), from: a)
            try await Self.notify(PostgresChangeNotice(instanceID: "instance-C", keys: [Self.case3]), from: b)

            // Notices arrive in commit order, so the last one shows that the writer's own was left out.
            try await eventsA.wait("A hears two notices") { $0.count >= 3 }
            try await eventsB.wait("B hears two notices") { $0.count >= 3 }
            #expect(eventsA.value == [.resync, .changed([Self.case2]), .changed([Self.case3])])
            #expect(eventsB.value == [.resync, .changed([Self.case1]), .changed([Self.case3])])
            taskA.cancel()
            taskB.cancel()
        }
    }

    @Test func aNoticeThatNamesTooManyKeysIsAResync() async throws {
        try await withCoordinationInstances(listening: true) { instances in
            let (a, b) = (instances[0], instances[1])
            let (events, task) = self.record(b.coordination.changes())
            try await events.wait("B listens") { $0 == [.resync] }

            let many = (0..<1000).map { DocumentKey(collection: "cases", id: "WQ-2026-\($0)") }
            let overflowing = PostgresChangeNotice(instanceID: a.database.instanceID, keys: many)
            #expect(PostgresChangeNotice(payload: overflowing.payload)?.keys == nil)
            try await Self.notify(overflowing, from: a)
            try await Self.notify(PostgresChangeNotice(instanceID: a.database.instanceID, keys: [Self.case1]), from: a)

            try await events.wait("B hears both notices") { $0.count >= 3 }
            #expect(events.value == [.resync, .resync, .changed([Self.case1])])
            task.cancel()
        }
    }

    @Test func theListenerListensAgainAfterItsConnectionFailsAndSaysResync() async throws {
        try await withCoordinationInstances(listening: true) { instances in
            let (a, b) = (instances[0], instances[1])
            let (eventsA, taskA) = self.record(a.coordination.changes())
            let (eventsB, taskB) = self.record(b.coordination.changes())
            try await eventsA.wait("A listens") { $0 == [.resync] }
            try await eventsB.wait("B listens") { $0 == [.resync] }

            #expect(try await b.terminateListeners() == 2)  // A's listener and B's
            try await advance(b.clock, until: "B listens again", on: eventsB) { $0 == [.resync, .resync] }
            try await advance(a.clock, until: "A listens again", on: eventsA) { $0 == [.resync, .resync] }

            try await Self.notify(PostgresChangeNotice(instanceID: a.database.instanceID, keys: [Self.case1]), from: a)
            try await eventsB.wait("B hears the notice") { $0.count >= 3 }
            #expect(eventsB.value == [.resync, .resync, .changed([Self.case1])])
            taskA.cancel()
            taskB.cancel()
        }
    }

    /// The store's calls made under a key's lock run on the lock's connection: they need nothing from the store's
    /// pool, even when every connection of it is busy. Once the work ended, the pin no longer holds.
    @Test func workUnderALockUsesTheLocksConnection() async throws {
        try await withCoordinationInstances(1) { instances in
            let database = instances[0].database
            let store = PostgresDocumentStore(database: database)
            try await store.migrate()
            try await store.write([DocumentChange(collection: "c", id: "a", json: Data(#"{"v":1}"#.utf8))])
            let release = Observed(false)
            let busy = Observed(0)
            // Every connection of the store pool is taken until the test lets them go.
            let holders = (0..<4).map { _ in
                Task {
                    try await database.client.withConnection { _ in
                        busy.update { $0 += 1 }
                        try await release.wait("the test lets the connection go") { $0 }
                    }
                }
            }
            try await busy.wait("the store pool is all taken") { $0 == 4 }
            let pins = Observed<[PinnedConnection]>([])
            let read = try await instances[0].coordination.exclusively("applicant:x") {
                if let pin = PinnedConnection.current { pins.update { $0.append(pin) } }
                return try await store.document(collection: "c", id: "a")
            }
            #expect(read.map { String(decoding: $0, as: UTF8.self) } == #"{"v": 1}"#)
            #expect(pins.value.count == 1)
            #expect(pins.value.first?.isHeld == false, "the pin ends with the work")
            release.update { $0 = true }
            for holder in holders { try await holder.value }
        }
    }

    /// The lock and role queries watch their connection's close: the watch of each query is gone once it is
    /// answered, so a long-lived pooled connection does not collect one per query.
    @Test func closeWatchesDoNotPileUpOnALongLivedConnection() async throws {
        try await withCoordinationInstances(1) { instances in
            try await instances[0].database.lockClient.withConnection { connection in
                for _ in 0..<200 {
                    _ = try await connection.rowsUnlessClosed("SELECT 1", logger: Logger(label: "test"))
                }
                #expect(ConnectionCloseSignal.of(connection).waiterCount == 0)
            }
            // And a lock taken and released many times leaves none behind either.
            for _ in 0..<50 {
                try await instances[0].coordination.exclusively("key") {}
            }
            try await instances[0].database.lockClient.withConnection { connection in
                #expect(ConnectionCloseSignal.of(connection).waiterCount == 0)
            }
        }
    }

    @Test func theStreamsEndWhenRunEnds() async throws {
        try await withCoordinationInstances(1) { instances in
            let coordination = instances[0].coordination
            let (events, task) = self.record(coordination.changes())
            let run = Task { try await coordination.run() }
            try await events.wait("listening") { $0 == [.resync] }
            run.cancel()
            try await run.value
            await task.value  // the stream ended
            #expect(coordination.subscriberCount == 0)
            for await _ in coordination.changes() { Issue.record("a stream after run() ended gave an event") }
        }
    }
}

/// What needs no server: the bookkeeping of subscribers, and the back-off.
@Suite struct PostgresCoordinationLocalTests {
    private static func makeCoordination() throws -> PostgresCoordination {
        let url = try #require(PostgresStoreURL("postgres://nobody@127.0.0.1:1/none"))
        return PostgresCoordination(database: TestPostgres.database(url: url))
    }

    @Test func subscribersThatStopReadingAreRemoved() async throws {
        let coordination = try Self.makeCoordination()
        #expect(coordination.isSingleInstance == false)
        withExtendedLifetime(coordination.changes()) {
            #expect(coordination.subscriberCount == 1)
        }
        #expect(coordination.subscriberCount == 0)

        let stream = coordination.changes()
        let started = Observed(false)
        let reader = Task {
            started.update { $0 = true }
            for await _ in stream {}
        }
        try await started.wait("the reader started") { $0 }
        #expect(coordination.subscriberCount == 1)
        reader.cancel()
        await reader.value
        #expect(coordination.subscriberCount == 0)
    }

    @Test func aSubscriberFarBehindGetsAResyncInPlaceOfWhatItMissed() async throws {
        let subscribers = ChangeSubscribers()
        let stream = subscribers.subscribe()
        let key = DocumentKey(collection: "cases", id: "WQ-2026-0001")
        for _ in 0..<(ChangeSubscribers.bufferLimit + 10) { subscribers.send(.changed([key])) }
        subscribers.finish()
        var events: [CoordinationEvent] = []
        for await event in stream { events.append(event) }
        #expect(events.count == ChangeSubscribers.bufferLimit)
        #expect(events.last == .resync)
    }

    @Test func theListenerBacksOffDoublingUpToTenSeconds() {
        let pauses = (1...10).map { PostgresCoordination.listenBackoff(afterFailures: $0) }
        #expect(pauses.prefix(4) == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800)])
        #expect(pauses.last == .seconds(10))
    }
}
