import Synchronization

/// Ends the waits for answers at their deadlines with one timer for all of them.
///
/// Every webhook message's answer races WeChat's reply budget. With a sleeping task per message, the timer of
/// each answer that came in time had to be cancelled, and cancelling a sleeping task costs about as much as the
/// rest of the message's handling outside the store (`WeiquanBench`, "conversation service": 15–20 µs of about
/// 65). Here one task sleeps until the earliest deadline and ends every wait whose deadline passed; an answer that
/// comes in time settles its wait at once, and its entry is dropped when its deadline comes, at no cost to the
/// request. The task is owned here: it sleeps only while there are deadlines and ends with this object.
package final class ReplyDeadlines: Sendable {
    private let core: Core

    /// - Parameter clock: What the deadlines are timed on (tests move a manual clock).
    package init(clock: any Clock<Duration>) {
        self.core = Self.core(clock)
    }

    deinit {
        self.core.stop()
    }

    private static func core<C: Clock<Duration>>(_ clock: C) -> Core {
        let start = clock.now
        return Core(
            elapsed: { start.duration(to: clock.now) },
            sleep: { offset in try await clock.sleep(until: start.advanced(by: offset), tolerance: nil) }
        )
    }

    /// The task's value if it comes within `limit`, else nil; the task goes on either way.
    ///
    /// Waiting on a task takes a second task that hands its value over; work that can fill a ``ValueHandover``
    /// itself is waited for with ``value(of:within:)-(ValueHandover,_)`` instead, with no task of its own.
    package func value<Success: Sendable>(of task: Task<Success, Never>, within limit: Duration) async -> Success? {
        let handover = ValueHandover<Success>()
        Task<Void, Never> { handover.fill(await task.value) }
        return await self.value(of: handover, within: limit)
    }

    /// The handover's value if it is filled within `limit`, else nil (a value filled later is dropped).
    package func value<Success: Sendable>(of handover: ValueHandover<Success>, within limit: Duration) async -> Success?
    {
        self.core.add(deadline: self.core.elapsed() + limit) { handover.abandon() }
        return await handover.value()
    }

    /// How many deadlines are pending (for tests).
    package var pending: Int { self.core.pending }

    /// The deadlines and the one task that waits for them.
    private final class Core: Sendable {
        struct Entry {
            var deadline: Duration
            var expire: @Sendable () -> Void
        }

        struct State {
            /// Earliest deadline first, from ``first`` on: the entries before it have lapsed and are dropped in
            /// batches, so that expiring one is not a shift of all the others.
            var entries: [Entry] = []
            var first = 0
            var loop: Task<Void, Never>?
            /// The loop waiting for a first deadline.
            var idle: CheckedContinuation<Void, Never>?
            /// The loop's current sleep and the deadline it sleeps until.
            var sleep: (task: Task<Void, Never>, until: Duration)?
            var stopped = false
        }

        let elapsed: @Sendable () -> Duration
        let sleepUntil: @Sendable (Duration) async throws -> Void
        let state = Mutex(State())

        init(elapsed: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) {
            self.elapsed = elapsed
            self.sleepUntil = sleep
        }

        var pending: Int { self.state.withLock { $0.entries.count - $0.first } }

        func add(deadline: Duration, expire: @escaping @Sendable () -> Void) {
            let (idle, interrupted) = self.state.withLock {
                state -> (CheckedContinuation<Void, Never>?, Task<Void, Never>?) in
                // Budgets are alike, so a new deadline is nearly always the latest: search from the end.
                var index = state.entries.endIndex
                while index > state.first, state.entries[index - 1].deadline > deadline { index -= 1 }
                state.entries.insert(Entry(deadline: deadline, expire: expire), at: index)
                if state.loop == nil, !state.stopped {
                    state.loop = Task { await self.run() }
                }
                let idle = state.idle
                state.idle = nil
                // An earlier deadline than the one slept on (a shorter budget): sleep again, until it.
                let interrupted = state.sleep.flatMap { $0.until > deadline ? $0.task : nil }
                return (idle, interrupted)
            }
            idle?.resume()
            interrupted?.cancel()
        }

        func stop() {
            let (loop, idle) = self.state.withLock { state in
                state.stopped = true
                defer { state.idle = nil }
                return (state.loop, state.idle)
            }
            loop?.cancel()
            idle?.resume()
        }

        private func run() async {
            while !Task.isCancelled {
                let now = self.elapsed()
                let (due, next) = self.state.withLock { state -> ([Entry], Duration?) in
                    var end = state.first
                    while end < state.entries.endIndex, state.entries[end].deadline <= now { end += 1 }
                    let due = Array(state.entries[state.first..<end])
                    state.first = end
                    if state.first == state.entries.endIndex {
                        state.entries.removeAll(keepingCapacity: true)
                        state.first = 0
                    } else if state.first >= 1024, state.first * 2 >= state.entries.count {
                        state.entries.removeFirst(state.first)
                        state.first = 0
                    }
                    return (due, state.first < state.entries.endIndex ? state.entries[state.first].deadline : nil)
                }
                for entry in due { entry.expire() }
                if let next {
                    let sleep = Task<Void, Never> { _ = try? await self.sleepUntil(next) }
                    let stopped = self.state.withLock { state in
                        state.sleep = (sleep, next)
                        return state.stopped
                    }
                    if stopped { sleep.cancel() }
                    await withTaskCancellationHandler {
                        await sleep.value
                    } onCancel: {
                        sleep.cancel()
                    }
                    self.state.withLock { $0.sleep = nil }
                } else {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let resume = self.state.withLock { state -> Bool in
                            guard state.first == state.entries.endIndex, !state.stopped, !Task.isCancelled else {
                                return true
                            }
                            state.idle = continuation
                            return false
                        }
                        if resume { continuation.resume() }
                    }
                }
            }
        }
    }
}
