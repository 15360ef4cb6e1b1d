import Foundation
import Synchronization

/// A clock that moves only when a test moves it, for code that takes `any Clock<Duration>`.
///
/// - ``sleep(until:tolerance:)`` suspends until ``advance(by:)`` or ``advance(to:)`` reaches the deadline; the
///   sleepers that are due are resumed in deadline order (ties in the order they began to sleep). A deadline
///   that is not in the future returns at once.
/// - Sleeps are cancellation-aware: cancelling a sleeping task ends its sleep at once with `CancellationError`
///   and forgets it.
/// - ``waitForSleepers(_:)`` returns once that many tasks sleep on the clock, so a test moves time only after
///   the code under test is waiting: it waits on an event, never on a guess about how fast the machine is.
/// - ``date`` and ``wallClock`` show the same time as a `Date` (``startDate`` plus the time advanced), for code
///   that takes `@Sendable () -> Date`; one clock then drives both timers and timestamps.
public final class ManualClock: Clock, Sendable {
    /// A point on the clock: the time advanced since the clock was made.
    public struct Instant: InstantProtocol, CustomStringConvertible {
        public var offset: Duration

        public init(offset: Duration) {
            self.offset = offset
        }

        public func advanced(by duration: Duration) -> Instant {
            Instant(offset: self.offset + duration)
        }

        public func duration(to other: Instant) -> Duration {
            other.offset - self.offset
        }

        public static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.offset < rhs.offset
        }

        public var description: String { "ManualClock+\(self.offset)" }
    }

    private struct Sleeper {
        let id: Int
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// A test waiting until at least `count` tasks sleep.
    private struct Watch {
        let id: Int
        let count: Int
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Sleeper] = []
        var watches: [Watch] = []
        var requested: [Duration] = []

        /// Takes out the watches that the number of sleepers now satisfies.
        mutating func satisfiedWatches() -> [Watch] {
            let count = self.sleepers.count
            let satisfied = self.watches.filter { $0.count <= count }
            self.watches.removeAll { $0.count <= count }
            return satisfied
        }
    }

    private let state = Mutex(State())

    /// What ``date`` shows before the clock was advanced.
    public let startDate: Date

    /// - Parameter startDate: By default 2026-11-21 09:00 in Shanghai, a Saturday (the tests' usual day).
    public init(startDate: Date = Date(timeIntervalSince1970: 1_795_222_800)) {
        self.startDate = startDate
    }

    public var now: Instant { self.state.withLock { $0.now } }

    public var minimumResolution: Duration { .zero }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = self.state.withLock { state -> Int in
            state.nextID += 1
            state.requested.append(state.now.duration(to: deadline))
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (immediate, watches) = self.state.withLock { state -> (Result<Void, any Error>?, [Watch]) in
                    // Checked under the lock: a cancellation that came before the sleeper was stored finds nothing to
                    // remove, so it is seen here.
                    if Task.isCancelled { return (.failure(CancellationError()), []) }
                    if deadline <= state.now { return (.success(()), []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (nil, state.satisfiedWatches())
                }
                for watch in watches { watch.continuation.resume() }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let sleeper = self.state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    // MARK: - Moving time

    /// Moves the clock forward and wakes every sleeper whose deadline it reached, soonest first.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "a ManualClock never goes back")
        let due = self.state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            return Self.takeDue(&state)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves the clock forward to `instant` (nothing if it is not ahead) and wakes the sleepers due by then.
    public func advance(to instant: Instant) {
        let due = self.state.withLock { state -> [Sleeper] in
            if instant > state.now { state.now = instant }
            return Self.takeDue(&state)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves the clock to the soonest sleeper's deadline and wakes it (and any due with it).
    /// - Returns: How far the clock moved; nil when nobody sleeps.
    @discardableResult
    public func advanceToNextDeadline() -> Duration? {
        let (step, due) = self.state.withLock { state -> (Duration?, [Sleeper]) in
            guard let next = state.sleepers.map(\.deadline).min() else { return (nil, []) }
            let step = state.now.duration(to: next)
            state.now = next
            return (step, Self.takeDue(&state))
        }
        for sleeper in due { sleeper.continuation.resume() }
        return step
    }

    /// Waits until a task sleeps, then moves the clock to the soonest deadline: one timer fires.
    /// - Returns: How far the clock moved.
    @discardableResult
    public func advanceToNextSleeper(safetyLimit: Duration = SafetyLimit.standard) async throws -> Duration {
        try await self.waitForSleepers(1, safetyLimit: safetyLimit)
        return self.advanceToNextDeadline() ?? .zero
    }

    private static func takeDue(_ state: inout State) -> [Sleeper] {
        let now = state.now
        let due = state.sleepers.filter { $0.deadline <= now }
            .sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
        state.sleepers.removeAll { $0.deadline <= now }
        return due
    }

    // MARK: - Looking at sleepers

    /// How many tasks sleep on the clock now.
    public var sleeperCount: Int { self.state.withLock { $0.sleepers.count } }

    /// The time left for each sleeping task, soonest first.
    public var pendingSleeps: [Duration] {
        self.state.withLock { state in state.sleepers.map { state.now.duration(to: $0.deadline) }.sorted() }
    }

    /// Every sleep asked for, in order: the time from then to its deadline (also those cancelled or not needed).
    public var requestedSleeps: [Duration] { self.state.withLock { $0.requested } }

    /// Returns once at least `count` tasks sleep on the clock.
    ///
    /// Ends early only by cancellation, or by throwing ``SafetyLimitExceeded`` after `safetyLimit` of real time: a
    /// safety net for a test that would otherwise hang, never what decides a passing test.
    public func waitForSleepers(_ count: Int = 1, safetyLimit: Duration = SafetyLimit.standard) async throws {
        try await withSafetyLimit("\(count) sleeper(s) on the manual clock", limit: safetyLimit) {
            try await self.untilSleepers(count)
        }
    }

    private func untilSleepers(_ count: Int) async throws {
        let id = self.state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate = self.state.withLock { state -> Result<Void, any Error>? in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.sleepers.count >= count { return .success(()) }
                    state.watches.append(Watch(id: id, count: count, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let watch = self.state.withLock { state -> Watch? in
                guard let index = state.watches.firstIndex(where: { $0.id == id }) else { return nil }
                return state.watches.remove(at: index)
            }
            watch?.continuation.resume(throwing: CancellationError())
        }
    }

    // MARK: - Wall-clock view

    /// The time now as a date: ``startDate`` plus the time advanced.
    public var date: Date {
        let (seconds, attoseconds) = self.now.offset.components
        return self.startDate.addingTimeInterval(TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18)
    }

    /// ``date`` as the function the service's code takes for "now".
    public var wallClock: @Sendable () -> Date { { self.date } }
}
