import Synchronization

/// Runs work for one key at a time, in the order it arrived, while different keys run in parallel.
///
/// Each applicant's messages go through one lane: two messages from one user that arrive together are
/// handled one after the other, in arrival order, so the conversation has exactly one writer.
public final class SerialLanes<Key: Hashable & Sendable>: Sendable {
    /// A key's queue: tickets are handed out in call order and served in ticket order.
    private struct Lane {
        var issued = 0
        var serving = 0
        var waiting: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let lanes = Mutex<[Key: Lane]>([:])

    public init() {}

    /// A place in a key's queue, taken synchronously so that the order of arrival is kept even when the
    /// work itself starts later (in another task).
    public struct Ticket: Sendable {
        let key: Key
        let number: Int
    }

    /// Takes the next place in `key`'s queue. Every ticket must be used with `run(_ ticket:_:)`
    /// exactly once, or the lane stops.
    public func ticket(_ key: Key) -> Ticket {
        self.lanes.withLock { lanes -> Ticket in
            var lane = lanes[key] ?? Lane()
            let ticket = Ticket(key: key, number: lane.issued)
            lane.issued += 1
            lanes[key] = lane
            return ticket
        }
    }

    /// Runs `body` once every earlier ticket of the same key has been served.
    public func run<Value: Sendable>(_ ticket: Ticket, _ body: () async throws -> Value) async rethrows -> Value {
        await self.wait(ticket.key, ticket.number)
        defer { self.leave(ticket.key) }
        return try await body()
    }

    /// Runs `body` once every earlier call with the same key has finished, in the order of the calls.
    public func run<Value: Sendable>(_ key: Key, _ body: () async throws -> Value) async rethrows -> Value {
        try await self.run(self.ticket(key), body)
    }

    /// Whether `ticket`'s turn has come (every earlier ticket of its key served): its work may start at once, without
    /// ``run(_:_:)``, and must end its turn with ``leave(_:)``.
    public func isServing(_ ticket: Ticket) -> Bool {
        self.lanes.withLock { $0[ticket.key]?.serving == ticket.number }
    }

    /// Ends the turn of a ticket whose work started without ``run(_:_:)`` (``isServing(_:)``): the next ticket of its
    /// key runs.
    public func leave(_ ticket: Ticket) {
        self.leave(ticket.key)
    }

    /// Keys with work running or waiting (for tests and metrics).
    public var activeCount: Int { self.lanes.withLock { $0.count } }

    /// Calls for `key` running or waiting.
    public func pendingCount(_ key: Key) -> Int {
        self.lanes.withLock { lanes in lanes[key].map { $0.issued - $0.serving } ?? 0 }
    }

    private func wait(_ key: Key, _ ticket: Int) async {
        let ready = self.lanes.withLock { $0[key]?.serving == ticket }
        guard !ready else { return }
        await withCheckedContinuation { continuation in
            let resumeNow = self.lanes.withLock { lanes -> Bool in
                // The turn may have come between the check and now.
                if lanes[key]?.serving == ticket { return true }
                lanes[key]?.waiting[ticket] = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func leave(_ key: Key) {
        let next = self.lanes.withLock { lanes -> CheckedContinuation<Void, Never>? in
            guard var lane = lanes[key] else { return nil }
            lane.serving += 1
            if lane.serving == lane.issued {
                lanes[key] = nil
                return nil
            }
            let next = lane.waiting.removeValue(forKey: lane.serving)
            lanes[key] = lane
            return next
        }
        next?.resume()
    }
}
