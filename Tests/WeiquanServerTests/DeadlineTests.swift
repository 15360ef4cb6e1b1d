import Synchronization
import Testing
import WeiquanServer
import WeiquanTestSupport

/// The races of `Timing/`: a task's value within a reply budget, an operation cancelled at its deadline.
@Suite struct DeadlineTests {
    /// A piece of work that runs until the test lets it finish, like a conversation waiting on a stalled disk.
    final class Gate: Sendable {
        private let open = Observed(false)
        private let entered = Observed(false)

        func pass() async {
            self.entered.update { $0 = true }
            try? await self.open.wait("the gate opens") { $0 }
        }
        func waitForEntry() async throws { try await self.entered.wait("the work starts") { $0 } }
        func release() { self.open.update { $0 = true } }
    }

    @Test func aValueWithinTheBudgetIsReturnedAndItsDeadlineLapsesQuietly() async throws {
        let clock = ManualClock()
        let deadlines = ReplyDeadlines(clock: clock)
        let work = Task { 42 }
        let value = await deadlines.value(of: work, within: .seconds(5))
        #expect(value == 42)
        // Nothing was cancelled: the deadline is dropped when it comes, and then nothing sleeps on the clock.
        #expect(deadlines.pending == 1)
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        try await withSafetyLimit("the deadline lapses and the timer rests") {
            while deadlines.pending > 0 || clock.sleeperCount > 0 { await Task.yield() }
        }
        #expect(clock.now.offset == .seconds(5))
    }

    @Test func aHandoverFilledWithinTheBudgetIsReturnedAndOneFilledLateIsDropped() async throws {
        let clock = ManualClock()
        let deadlines = ReplyDeadlines(clock: clock)
        let early = ValueHandover<String>()
        early.fill("in time")
        #expect(await deadlines.value(of: early, within: .seconds(5)) == "in time")
        let late = ValueHandover<String>()
        let waiter = Task { await deadlines.value(of: late, within: .seconds(5)) }
        try await withSafetyLimit("the second wait has its deadline") {
            while deadlines.pending < 2 { await Task.yield() }
        }
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        #expect(await waiter.value == nil)
        // The work fills it after the caller stopped waiting: the value is dropped, not handed to anyone, and the
        // filler is told so (it carries on with the value itself).
        #expect(late.fill("too late") == false)
        #expect(await late.value() == nil)
        #expect(ValueHandover<String>().fill("before the wait") == true)
    }

    /// A reply held by a handover until its deadline lapsed kept every answer of the last five seconds in memory.
    @Test func aDeliveredValueIsNotKeptWhileTheDeadlineHoldsTheHandover() async throws {
        final class Answer: Sendable {}
        let deadlines = ReplyDeadlines(clock: ManualClock())
        weak var filledFirst: Answer?
        weak var filledWhileWaiting: Answer?
        let early = ValueHandover<Answer>()
        do {
            let answer = Answer()
            filledFirst = answer
            early.fill(answer)
        }
        #expect(await deadlines.value(of: early, within: .seconds(5)) != nil)
        let waiting = ValueHandover<Answer>()
        let waiter = Task { await deadlines.value(of: waiting, within: .seconds(5)) != nil }
        try await withSafetyLimit("the second wait has its deadline") {
            while deadlines.pending < 2 { await Task.yield() }
        }
        do {
            let answer = Answer()
            filledWhileWaiting = answer
            waiting.fill(answer)
        }
        #expect(await waiter.value)
        // Both deadlines still hold their handovers; the answers are gone with their waiters.
        #expect(deadlines.pending == 2)
        #expect(filledFirst == nil)
        #expect(filledWhileWaiting == nil)
        // Filled again, or waited for again, a delivered handover gives nothing.
        early.fill(Answer())
        #expect(deadlines.pending == 2)
    }

    @Test func theWaitEndsAtTheDeadlineWhileTheTaskGoesOn() async throws {
        let clock = ManualClock()
        let deadlines = ReplyDeadlines(clock: clock)
        let gate = Gate()
        let finished = Observed(false)
        let work = Task {
            await gate.pass()
            finished.update { $0 = true }
            return "late answer"
        }
        async let waited = deadlines.value(of: work, within: .seconds(5))
        try await gate.waitForEntry()
        try await clock.waitForSleepers(1)
        #expect(clock.pendingSleeps == [.seconds(5)])
        clock.advance(by: .seconds(5))
        #expect(await waited == nil)
        #expect(!finished.value)
        // The work was not cancelled: it finishes once it can, and its value is there for whoever awaits it.
        gate.release()
        #expect(await work.value == "late answer")
        #expect(finished.value)
    }

    @Test func oneTimerServesManyWaitsInDeadlineOrder() async throws {
        let clock = ManualClock()
        let deadlines = ReplyDeadlines(clock: clock)
        let gate = Gate()
        let work = Task {
            await gate.pass()
            return 7
        }
        async let long = deadlines.value(of: work, within: .seconds(5))
        try await clock.waitForSleepers(1)
        // A shorter budget comes later: the one timer wakes for it first.
        async let short = deadlines.value(of: work, within: .seconds(2))
        try await withSafetyLimit("the second deadline is in") { while deadlines.pending < 2 { await Task.yield() } }
        try await clock.waitForSleepers(1)
        #expect(clock.pendingSleeps == [.seconds(2)])
        clock.advance(by: .seconds(2))
        #expect(await short == nil)
        // The first wait is still on, and its answer comes in time.
        gate.release()
        #expect(await long == 7)
        #expect(clock.sleeperCount <= 1)
    }

    @Test func lapsedDeadlinesAreDroppedInBatchesAndTheRestKeepTheirOrder() async throws {
        let clock = ManualClock()
        let deadlines = ReplyDeadlines(clock: clock)
        for _ in 0..<1500 { _ = await deadlines.value(of: Task { 1 }, within: .seconds(5)) }
        for _ in 0..<500 { _ = await deadlines.value(of: Task { 2 }, within: .seconds(10)) }
        #expect(deadlines.pending == 2000)
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        try await withSafetyLimit("the first 1,500 lapse") { while deadlines.pending > 500 { await Task.yield() } }
        #expect(deadlines.pending == 500)
        try await clock.waitForSleepers(1)
        #expect(clock.pendingSleeps == [.seconds(5)])
        clock.advance(by: .seconds(5))
        try await withSafetyLimit("the rest lapse") { while deadlines.pending > 0 { await Task.yield() } }
    }

    @Test func cancellingTheWaiterEndsTheWaitButNotTheTask() async throws {
        let clock = ManualClock()
        let deadlines = ReplyDeadlines(clock: clock)
        let gate = Gate()
        let work = Task {
            await gate.pass()
            return 1
        }
        let waiter = Task { await deadlines.value(of: work, within: .seconds(5)) }
        try await clock.waitForSleepers(1)
        waiter.cancel()
        #expect(await waiter.value == nil)
        gate.release()
        #expect(await work.value == 1)
    }

    @Test func theTimerEndsWithItsOwner() async throws {
        let clock = ManualClock()
        var deadlines: ReplyDeadlines? = ReplyDeadlines(clock: clock)
        _ = await deadlines?.value(of: Task { 1 }, within: .seconds(5))
        try await clock.waitForSleepers(1)
        deadlines = nil
        // The sleeping task is cancelled with the object that owned it, long before its deadline.
        try await withSafetyLimit("the timer is cancelled") { while clock.sleeperCount > 0 { await Task.yield() } }
        #expect(clock.now.offset == .zero)
    }

    @Test func anOperationPastItsDeadlineIsCancelledAndSaysWhatItMakesOfIt() async throws {
        let clock = ManualClock()
        let never = Observed(false)
        async let outcome = withDeadline(.seconds(2), clock: clock) { () -> String in
            do {
                try await never.wait("nothing") { $0 }
                return "finished"
            } catch {
                return "cancelled"
            }
        }
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(2))
        let result = await outcome
        #expect(result.value == "cancelled")
        #expect(result.deadlinePassed)

        let quick = await withDeadline(.seconds(2), clock: clock) { "quick" }
        #expect(quick.value == "quick" && !quick.deadlinePassed)
        #expect(clock.sleeperCount == 0)
    }

    @Test func aTimeoutReplacesTheErrorOfTheCancelledOperation() async throws {
        let clock = ManualClock()
        let never = Observed(false)
        let slow = Task {
            try await withTimeout(.milliseconds(250), clock: clock) { try await never.wait("nothing") { $0 } }
        }
        try await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(250))
        let error = try await #require(throws: DeadlineExceeded.self) { try await slow.value }
        #expect(error.limit == .milliseconds(250))

        struct Refused: Error, Equatable {}
        await #expect(throws: Refused()) {
            try await withTimeout(.seconds(1), clock: clock) { throw Refused() }
        }
        #expect(try await withTimeout(.seconds(1), clock: clock) { 5 } == 5)
        #expect(clock.sleeperCount == 0)
    }

    @Test func repeatEveryRunsOnItsTimerUntilCancelled() async throws {
        let clock = ManualClock()
        let runs = Observed(0)
        let loop = Task { await repeatEvery(.seconds(30), clock: clock) { runs.update { $0 += 1 } } }
        try await clock.waitForSleepers(1)
        #expect(runs.value == 0)
        for expected in 1...3 {
            #expect(try await clock.advanceToNextSleeper() == .seconds(30))
            try await runs.wait("run \(expected)") { $0 == expected }
        }
        try await clock.waitForSleepers(1)
        loop.cancel()
        await loop.value
        #expect(runs.value == 3)
        #expect(clock.sleeperCount == 0)
    }
}
