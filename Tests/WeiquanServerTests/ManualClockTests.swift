import Foundation
import Synchronization
import Testing
import WeiquanTestSupport

/// The test clock itself: sleepers wake only when it is advanced, in deadline order, and cancellation ends a sleep.
@Suite struct ManualClockTests {
    /// Records the order in which sleepers woke.
    final class WakeLog: Sendable {
        private let names = Observed<[String]>([])
        func append(_ name: String) { self.names.update { $0.append(name) } }
        var all: [String] { self.names.value }
        func waitForCount(_ count: Int) async throws {
            try await self.names.wait("\(count) wake-ups") { $0.count >= count }
        }
    }

    @Test func sleepersWakeOnlyWhenTheirDeadlineIsReachedInDeadlineOrder() async throws {
        let clock = ManualClock()
        let log = WakeLog()
        let sleepers = [("late", 30), ("early", 10), ("middle", 20), ("early-too", 10)].map { name, seconds in
            Task {
                try await clock.sleep(for: .seconds(seconds))
                log.append(name)
            }
        }
        try await clock.waitForSleepers(4)
        #expect(clock.pendingSleeps == [10, 10, 20, 30].map { Duration.seconds($0) })
        clock.advance(by: .seconds(9))
        #expect(clock.sleeperCount == 4)
        #expect(log.all.isEmpty)
        clock.advance(by: .seconds(16))  // at 25 s: the two at 10 s and the one at 20 s are due
        try await log.waitForCount(3)
        #expect(clock.sleeperCount == 1)
        #expect(Set(log.all) == ["early", "early-too", "middle"])
        #expect(clock.now.offset == .seconds(25))
        #expect(clock.advanceToNextDeadline() == .seconds(5))
        for sleeper in sleepers { try await sleeper.value }
        #expect(log.all.last == "late")
        #expect(clock.advanceToNextDeadline() == nil)
    }

    @Test func dueSleepersAreResumedSoonestFirst() async throws {
        // One task at a time is resumed and finishes before the next is looked at, so resumption order shows.
        let clock = ManualClock()
        let log = WakeLog()
        for (count, (name, seconds)) in [("c", 3), ("a", 1), ("b", 2)].enumerated() {
            Task {
                try await clock.sleep(for: .seconds(seconds))
                log.append(name)
            }
            try await clock.waitForSleepers(count + 1)
        }
        for expected in ["a", "b", "c"] {
            try await clock.advanceToNextSleeper()
            try await log.waitForCount(log.all.count + 1)
            #expect(log.all.last == expected)
        }
    }

    @Test func aDeadlineNotInTheFutureReturnsAtOnce() async throws {
        let clock = ManualClock()
        clock.advance(by: .seconds(5))
        try await clock.sleep(until: .init(offset: .seconds(3)))
        try await clock.sleep(for: .zero)
        #expect(clock.sleeperCount == 0)
        #expect(clock.requestedSleeps == [.seconds(-2), .zero])
    }

    @Test func cancellingASleeperEndsItsSleepAtOnceAndForgetsIt() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(60)) }
        try await clock.waitForSleepers(1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
        // A task cancelled before it sleeps does not sleep at all.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .seconds(1))
        }
        await #expect(throws: CancellationError.self) { try await early.value }
        #expect(clock.sleeperCount == 0)
        #expect(clock.now.offset == .zero)
    }

    @Test func waitingForSleepersEndsWithTheSleeperOrByCancellation() async throws {
        let clock = ManualClock()
        let watcher = Task { try await clock.waitForSleepers(2) }
        let first = Task { try await clock.sleep(for: .seconds(1)) }
        let second = Task { try await clock.sleep(for: .seconds(2)) }
        try await watcher.value
        #expect(clock.sleeperCount == 2)
        clock.advance(by: .seconds(2))
        try await first.value
        try await second.value

        let abandoned = Task { try await clock.waitForSleepers(1) }
        abandoned.cancel()
        await #expect(throws: CancellationError.self) { try await abandoned.value }
    }

    @Test func aWaitThatNeverEndsHitsItsSafetyLimit() async throws {
        let clock = ManualClock()
        let error = try await #require(throws: SafetyLimitExceeded.self) {
            try await clock.waitForSleepers(1, safetyLimit: .milliseconds(1))
        }
        #expect(error.description.contains("sleeper"))
    }

    @Test func theDateViewMovesWithTheClock() {
        let start = Date(timeIntervalSince1970: 1_795_222_800)
        let clock = ManualClock(startDate: start)
        let now = clock.wallClock
        #expect(now() == start)
        clock.advance(by: .milliseconds(1500))
        #expect(clock.date == start.addingTimeInterval(1.5))
        #expect(now() == start.addingTimeInterval(1.5))
        clock.advance(to: .init(offset: .seconds(1)))  // behind: nothing moves
        #expect(clock.now.offset == .milliseconds(1500))
    }
}
