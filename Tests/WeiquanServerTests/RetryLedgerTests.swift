import Foundation
import Testing
import WeiquanServer
import WeiquanTestSupport

/// A retry's bounded wait for the first delivery's answer, timed on a manual clock.
@Suite struct RetryLedgerTests {
    let answeredAt = Date(timeIntervalSince1970: 1_795_222_800)

    @Test func aRetryGetsTheAnswerWhenItComesAndItsTimerStops() async throws {
        let clock = ManualClock()
        let ledger = RetryLedger(clock: clock)
        #expect(await ledger.claim("msg:1", waitingAtMost: .seconds(5)) == .fresh)
        async let retry = ledger.claim("msg:1", waitingAtMost: .seconds(5))
        try await withSafetyLimit("the retry waits") { try await ledger.waitForRetries(of: "msg:1") }
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(4))
        #expect(ledger.finish("msg:1", reply: "答复", at: self.answeredAt) == .passive)
        #expect(await retry == .answered("答复", at: self.answeredAt))
        #expect(clock.sleeperCount == 0)
    }

    @Test func aRetryStopsWaitingAtItsLimitAndTheFirstDeliveryStillAnswers() async throws {
        let clock = ManualClock()
        let ledger = RetryLedger(clock: clock)
        #expect(await ledger.claim("msg:2", waitingAtMost: .seconds(5)) == .fresh)
        async let retry = ledger.claim("msg:2", waitingAtMost: .seconds(5))
        try await withSafetyLimit("the retry waits") { try await ledger.waitForRetries(of: "msg:2") }
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        #expect(await retry == .stillWorking)
        #expect(clock.sleeperCount == 0)
        // Nobody waits any more, but the first delivery did not give up: it answers passively itself.
        #expect(ledger.finish("msg:2", reply: "答复", at: self.answeredAt) == .passive)
        // A later retry: the text is read from the message's retry record, which the ledger does not copy.
        #expect(await ledger.claim("msg:2", waitingAtMost: .seconds(5)) == .answeredInStore(at: self.answeredAt))
    }

    @Test func whenEveryoneGaveUpTheAnswerGoesToTheOutboxOnce() async throws {
        let clock = ManualClock()
        let ledger = RetryLedger(clock: clock)
        #expect(await ledger.claim("msg:3") == .fresh)
        #expect(ledger.firstDeliveryGaveUp("msg:3") == nil)
        #expect(ledger.finish("msg:3", reply: "答复", at: self.answeredAt) == .outbox)
        // A later retry gets success, not the text a second time.
        #expect(await ledger.claim("msg:3", waitingAtMost: .seconds(5)) == .answered(nil, at: self.answeredAt))
    }

    @Test func answersLoadedAtStartAreTextInTheStoreOrSuccess() async throws {
        let ledger = RetryLedger(
            records: [
                RetryRecord(id: "msg:text", reply: "答复", handledAt: self.answeredAt),
                RetryRecord(id: "msg:outbox", reply: nil, handledAt: self.answeredAt),
            ], clock: ManualClock())
        #expect(await ledger.claim("msg:text") == .answeredInStore(at: self.answeredAt))
        #expect(await ledger.claim("msg:outbox") == .answered(nil, at: self.answeredAt))
        #expect(ledger.firstDeliveryGaveUp("msg:text") == .answeredInStore(at: self.answeredAt))
    }

    @Test func aRetryWithoutALimitWaitsUntilTheFirstDeliveryFails() async throws {
        let clock = ManualClock()
        let ledger = RetryLedger(clock: clock)
        #expect(await ledger.claim("msg:4") == .fresh)
        async let retry = ledger.claim("msg:4")
        try await withSafetyLimit("the retry waits") { try await ledger.waitForRetries(of: "msg:4") }
        #expect(clock.sleeperCount == 0)
        ledger.abandon("msg:4", at: self.answeredAt)
        #expect(await retry == .answered(nil, at: self.answeredAt))
    }

    @Test func cancellingAWaitingRetryEndsItsWait() async throws {
        let ledger = RetryLedger(clock: ManualClock())
        #expect(await ledger.claim("msg:5") == .fresh)
        let retry = Task { await ledger.claim("msg:5") }
        try await withSafetyLimit("the retry waits") { try await ledger.waitForRetries(of: "msg:5") }
        retry.cancel()
        #expect(await retry.value == .stillWorking)
        let watcher = Task { try await ledger.waitForRetries(of: "msg:5") }
        watcher.cancel()
        await #expect(throws: CancellationError.self) { try await watcher.value }
    }

    @Test func theMemoryOfABurstIsGivenBackWhenItsWindowPasses() async throws {
        let ledger = RetryLedger(clock: ManualClock())
        for number in 0..<5_000 {
            #expect(await ledger.claim("msg:burst-\(number)") == .fresh)
            ledger.finish("msg:burst-\(number)", reply: "答复", at: self.answeredAt)
        }
        #expect(await ledger.claim("msg:recent") == .fresh)
        ledger.finish("msg:recent", reply: "最近", at: self.answeredAt + 60)
        #expect(ledger.capacity >= 5_001)
        let expired = ledger.expire(before: self.answeredAt + 1)
        #expect(expired.count == 5_000)
        #expect(ledger.count == 1)
        // The table shrank to what it holds (a dictionary alone keeps its capacity); the answer kept still serves.
        #expect(ledger.capacity < 64)
        #expect(await ledger.claim("msg:recent") == .answeredInStore(at: self.answeredAt + 60))
    }

    @Test func aSweepThatLeavesMostAnswersKeepsTheTable() async throws {
        let ledger = RetryLedger(clock: ManualClock())
        for number in 0..<1_000 {
            #expect(await ledger.claim("msg:\(number)") == .fresh)
            ledger.finish("msg:\(number)", reply: nil, at: self.answeredAt + Double(number))
        }
        let capacity = ledger.capacity
        #expect(ledger.expire(before: self.answeredAt + 100).count == 100)
        #expect(ledger.capacity == capacity)
        #expect(await ledger.claim("msg:999") == .answered(nil, at: self.answeredAt + 999))
    }
}
