import Synchronization
import Testing
import WeiquanServer

@Suite struct SerialLanesTests {
    /// A gate a task waits at until the test opens it.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        func wait() async {
            await withCheckedContinuation { continuation in
                let open = self.state.withLock { state -> Bool in
                    if state.open { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if open { continuation.resume() }
            }
        }

        func open() {
            let waiters = self.state.withLock { state in
                state.open = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    final class Log: Sendable {
        private let entries = Mutex<[String]>([])
        func append(_ entry: String) { self.entries.withLock { $0.append(entry) } }
        var all: [String] { self.entries.withLock { $0 } }
    }

    @Test func oneKeyRunsInCallOrderAndOtherKeysRunMeanwhile() async throws {
        let lanes = SerialLanes<String>()
        let gate = Gate()
        let log = Log()
        let first = Task {
            await lanes.run("user-1") {
                log.append("1-start"); await gate.wait(); log.append("1-end")
            }
        }
        while log.all.isEmpty { await Task.yield() }
        // Queue 2, 3, 4 behind it, in that order.
        var queued: [Task<Void, Never>] = []
        for index in 2...4 {
            let before = lanes.pendingCount("user-1")
            queued.append(Task { await lanes.run("user-1") { log.append("\(index)") } })
            while lanes.pendingCount("user-1") == before { await Task.yield() }
        }
        // Another user is not held up by the first one.
        await lanes.run("user-2") { log.append("other") }
        #expect(log.all == ["1-start", "other"])
        gate.open()
        await first.value
        for task in queued { await task.value }
        #expect(log.all == ["1-start", "other", "1-end", "2", "3", "4"])
        #expect(lanes.activeCount == 0)
    }

    @Test func aTicketWhoseTurnCameRunsWithoutWaitingAndLeavesTheLaneToTheNext() async {
        let lanes = SerialLanes<String>()
        let first = lanes.ticket("a")
        let second = lanes.ticket("a")
        #expect(lanes.isServing(first))
        #expect(!lanes.isServing(second))
        let other = lanes.ticket("b")
        #expect(lanes.isServing(other))
        lanes.leave(other)
        #expect(lanes.activeCount == 1)
        let order = Mutex<[Int]>([])
        let waiting = Task { await lanes.run(second) { order.withLock { $0.append(2) } } }
        order.withLock { $0.append(1) }
        lanes.leave(first)
        await waiting.value
        #expect(order.withLock { $0 } == [1, 2])
        #expect(lanes.pendingCount("a") == 0)
    }

    @Test func ticketsTakenInOrderAreServedInOrderWhateverOrderTheTasksStartIn() async {
        let lanes = SerialLanes<String>()
        let log = Log()
        let tickets = (0..<20).map { _ in lanes.ticket("user") }
        // Start the work in reverse order: the tickets still decide.
        await withTaskGroup(of: Void.self) { group in
            for (index, ticket) in tickets.enumerated().reversed() {
                group.addTask { await lanes.run(ticket) { log.append("\(index)") } }
            }
        }
        #expect(log.all == (0..<20).map { "\($0)" })
        #expect(lanes.activeCount == 0)
    }

    @Test func aThrowingTurnStillPassesTheLaneOn() async {
        struct Failure: Error {}
        let lanes = SerialLanes<String>()
        await #expect(throws: Failure.self) { try await lanes.run("u") { throw Failure() } }
        let value = await lanes.run("u") { 42 }
        #expect(value == 42)
        #expect(lanes.activeCount == 0)
    }
}
