import Foundation
import Synchronization

/// Remembers which inbound messages were handled and what they were answered, so a WeChat retry never
/// runs the conversation twice, and decides who delivers an answer that came late.
///
/// A retry of a message still being handled waits (at most the reply budget) for the first delivery's
/// answer; a retry of one already handled gets the stored answer at once. Answers are also stored
/// durably (``RetryRecord``) and loaded at start, so the memory survives a restart inside the retry
/// window. The ledger itself keeps only whether and when a message was answered: the text of an answer is read
/// back from its ``RetryRecord`` when a retry comes, which is rare, rather than held in memory for the whole window
/// (100,000 answers a burst, 400 bytes each, whose holes in the heap outlived them). When the first delivery gave
/// up waiting (the 5-second rule) and no retry is there to take the answer, ``finish(_:reply:at:)`` says so, and
/// the answer goes out through the outbox instead; a later retry then gets `success`, so the applicant never
/// receives it twice.
///
/// A retry's bounded wait races a timer on the injected clock in structured concurrency
/// (``withDeadline(_:clock:operation:)``): the timer is cancelled as soon as the answer comes, and a retry whose
/// time is up stops waiting at once.
public final class RetryLedger: Sendable {
    /// What a message's key says on arrival.
    public enum Claim: Equatable, Sendable {
        /// First delivery: handle it, then call ``finish(_:reply:at:)`` or ``abandon(_:at:)``.
        case fresh
        /// A retry: answer with this (nil: `success`), as first answered at that time.
        case answered(String?, at: Date)
        /// A retry of a message answered with a text at that time: the text is in the message's ``RetryRecord``.
        case answeredInStore(at: Date)
        /// A retry of a message still being handled after the wait: answer `success`.
        case stillWorking
    }

    /// Who must deliver a finished answer.
    public enum Delivery: Equatable, Sendable {
        /// A waiting request (the first delivery or a retry) answers passively.
        case passive
        /// Every request gave up waiting: the answer goes out through the outbox.
        case outbox
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Claim, Never>
    }

    private enum Entry {
        case inFlight(waiters: [Waiter], firstGaveUp: Bool)
        /// Answered at `at`; with a text (in the store) or with `success`.
        case done(hasText: Bool, at: Date)
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var nextWaiter = 0
        /// Tests waiting until a key has so many waiting retries.
        var watches: [(id: Int, key: String, count: Int, continuation: CheckedContinuation<Void, any Error>)] = []

        /// Takes out the watches of `key` that its waiting retries now satisfy.
        mutating func satisfiedWatches(of key: String) -> [CheckedContinuation<Void, any Error>] {
            guard case .inFlight(let waiters, _) = self.entries[key] else { return [] }
            let satisfied = self.watches.filter { $0.key == key && $0.count <= waiters.count }
            self.watches.removeAll { $0.key == key && $0.count <= waiters.count }
            return satisfied.map(\.continuation)
        }
    }

    private let state = Mutex(State())
    /// What a retry's bounded wait is timed on.
    private let clock: any Clock<Duration>

    /// - Parameters:
    ///   - records: Answers stored earlier (loaded at start).
    ///   - clock: What a retry's bounded wait is timed on (tests move a manual clock).
    public init(records: [RetryRecord] = [], clock: any Clock<Duration> = ContinuousClock()) {
        self.clock = clock
        self.state.withLock { state in
            for record in records {
                state.entries[record.id] = .done(hasText: record.reply != nil, at: record.handledAt)
            }
        }
    }

    /// Claims a message key. A retry of a message in flight waits until the first delivery finishes,
    /// or at most `limit`.
    public func claim(_ key: String, waitingAtMost limit: Duration? = nil) async -> Claim {
        enum Immediate {
            case claim(Claim)
            case wait(Int)
        }
        let immediate = self.state.withLock { state -> Immediate in
            switch state.entries[key] {
            case nil:
                state.entries[key] = .inFlight(waiters: [], firstGaveUp: false)
                return .claim(.fresh)
            case .done(let hasText, let at):
                return .claim(hasText ? .answeredInStore(at: at) : .answered(nil, at: at))
            case .inFlight:
                state.nextWaiter += 1
                return .wait(state.nextWaiter)
            }
        }
        guard case .wait(let id) = immediate else {
            if case .claim(let claim) = immediate { return claim }
            return .stillWorking
        }
        guard let limit else { return await self.wait(key, waiter: id) }
        // The timer only cancels the wait: an answer that came at the same moment is still returned.
        return await withDeadline(limit, clock: self.clock) { await self.wait(key, waiter: id) }.value
    }

    /// Waits as a retry of `key` until the first delivery finishes; cancelled, it stops waiting: `stillWorking`.
    private func wait(_ key: String, waiter id: Int) async -> Claim {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let (now, watches) = self.state.withLock { state -> (Claim?, [CheckedContinuation<Void, any Error>]) in
                    switch state.entries[key] {
                    case .inFlight where Task.isCancelled:
                        return (.stillWorking, [])
                    case .inFlight(var waiters, let gaveUp):
                        waiters.append(Waiter(id: id, continuation: continuation))
                        state.entries[key] = .inFlight(waiters: waiters, firstGaveUp: gaveUp)
                        return (nil, state.satisfiedWatches(of: key))
                    case .done(let hasText, let at):
                        return (hasText ? .answeredInStore(at: at) : .answered(nil, at: at), [])
                    case nil:
                        // The first delivery failed and gave the key up: this retry handles the message.
                        state.entries[key] = .inFlight(waiters: [], firstGaveUp: false)
                        return (.fresh, [])
                    }
                }
                for watch in watches { watch.resume() }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            self.giveUp(key, waiter: id)
        }
    }

    /// Returns once at least `count` retries of `key` wait for its first delivery, so that tests wait on this event
    /// instead of sleeping until a retry has probably arrived. Throws `CancellationError` when cancelled.
    package func waitForRetries(of key: String, count: Int = 1) async throws {
        let id = self.state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (cancelled, ready) = self.state.withLock {
                    state -> (Bool, [CheckedContinuation<Void, any Error>]) in
                    if Task.isCancelled { return (true, []) }
                    state.watches.append((id, key, count, continuation))
                    return (false, state.satisfiedWatches(of: key))
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
                for watch in ready { watch.resume() }
            }
        } onCancel: {
            let watch = self.state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.watches.firstIndex(where: { $0.id == id }) else { return nil }
                return state.watches.remove(at: index).continuation
            }
            watch?.resume(throwing: CancellationError())
        }
    }

    /// A waiting retry's time is up: it answers `success`.
    private func giveUp(_ key: String, waiter id: Int) {
        let continuation = self.state.withLock { state -> CheckedContinuation<Claim, Never>? in
            guard case .inFlight(var waiters, let gaveUp) = state.entries[key],
                let index = waiters.firstIndex(where: { $0.id == id })
            else { return nil }
            let waiter = waiters.remove(at: index)
            state.entries[key] = .inFlight(waiters: waiters, firstGaveUp: gaveUp)
            return waiter.continuation
        }
        continuation?.resume(returning: .stillWorking)
    }

    /// The first delivery stopped waiting for the answer (it replied `success`).
    /// - Returns: The answer (``Claim/answered(_:at:)`` or ``Claim/answeredInStore(at:)``), if it was finished in
    ///   the meantime (then the first delivery gives it).
    public func firstDeliveryGaveUp(_ key: String) -> Claim? {
        self.state.withLock { state in
            switch state.entries[key] {
            case .inFlight(let waiters, _):
                state.entries[key] = .inFlight(waiters: waiters, firstGaveUp: true)
                return nil
            case .done(let hasText, let at):
                return hasText ? .answeredInStore(at: at) : .answered(nil, at: at)
            case nil:
                return nil
            }
        }
    }

    /// Records the answer (its text must be in the message's ``RetryRecord`` already), wakes the retries waiting for
    /// it, and says who delivers it.
    @discardableResult
    public func finish(_ key: String, reply: String?, at date: Date) -> Delivery {
        let (waiters, gaveUp) = self.state.withLock { state -> ([Waiter], Bool) in
            var result: ([Waiter], Bool) = ([], false)
            if case .inFlight(let waiters, let gaveUp) = state.entries[key] { result = (waiters, gaveUp) }
            // Once the outbox has the answer, later retries answer `success`, not the text again.
            let answeredLate = result.1 && result.0.isEmpty
            state.entries[key] = .done(hasText: !answeredLate && reply != nil, at: date)
            return result
        }
        for waiter in waiters { waiter.continuation.resume(returning: .answered(reply, at: date)) }
        return gaveUp && waiters.isEmpty ? .outbox : .passive
    }

    /// Gives a key up after a failure: the next delivery of the message handles it afresh.
    public func abandon(_ key: String, at date: Date) {
        let waiters = self.state.withLock { state -> [Waiter] in
            defer { state.entries[key] = nil }
            if case .inFlight(let waiters, _) = state.entries[key] { return waiters }
            return []
        }
        // Waiting retries answer `success`; WeChat will not retry again, and the applicant may resend.
        for waiter in waiters { waiter.continuation.resume(returning: .answered(nil, at: date)) }
    }

    /// Forgets answers given before `date`; returns their keys so the stored records can be deleted.
    ///
    /// A dictionary keeps its capacity when entries are removed: after a burst (100,000 messages within the window,
    /// say) the emptied table would hold its buckets for good. When at most a quarter of them is in use after the
    /// sweep, the entries move to a table of their own size, and the memory of the burst is given back.
    public func expire(before date: Date) -> [String] {
        self.state.withLock { state in
            let old = state.entries.compactMap { key, entry -> String? in
                if case .done(_, let at) = entry, at < date { return key }
                return nil
            }
            for key in old { state.entries[key] = nil }
            if state.entries.capacity > Self.smallestShrunkCapacity,
                state.entries.count * 4 <= state.entries.capacity
            {
                var kept = [String: Entry](minimumCapacity: state.entries.count)
                for (key, entry) in state.entries { kept[key] = entry }
                state.entries = kept
            }
            return old.sorted()
        }
    }

    /// Below this capacity the table is not worth shrinking.
    static let smallestShrunkCapacity = 64

    /// How many messages the ledger remembers (in flight or answered).
    public var count: Int { self.state.withLock { $0.entries.count } }

    /// How many entries the ledger's table has room for without growing (for tests: memory is given back).
    package var capacity: Int { self.state.withLock { $0.entries.capacity } }
}
