import Synchronization
import WeiquanStore

/// The streams that ``PostgresCoordination/changes()`` handed out, each fed every event that arrives.
///
/// A subscriber that stops iterating (its task is cancelled, or it drops the stream) is removed. A subscriber
/// that falls more than ``bufferLimit`` events behind loses the oldest ones, and a `.resync` is put after the
/// newest, so it reloads instead of missing word.
final class ChangeSubscribers: Sendable {
    /// How many events a subscriber may fall behind before it gets `.resync` in place of the oldest.
    static let bufferLimit = 256

    private struct State {
        var nextID = 0
        var continuations: [Int: AsyncStream<CoordinationEvent>.Continuation] = [:]
        /// Set once the coordination stopped: later streams finish at once.
        var isFinished = false
    }

    private let state = Mutex(State())

    /// How many subscribers there are now.
    var count: Int { self.state.withLock { $0.continuations.count } }

    /// A new stream that gets every event sent from now on.
    func subscribe() -> AsyncStream<CoordinationEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: CoordinationEvent.self, bufferingPolicy: .bufferingNewest(Self.bufferLimit))
        let id = self.state.withLock { state -> Int? in
            guard !state.isFinished else { return nil }
            state.nextID += 1
            state.continuations[state.nextID] = continuation
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// Gives `event` to every subscriber.
    func send(_ event: CoordinationEvent) {
        // Yielded outside the lock: a stream that terminates meanwhile runs its onTermination, which takes it.
        let continuations = self.state.withLock { Array($0.continuations.values) }
        for continuation in continuations {
            if case .dropped = continuation.yield(event), event != .resync {
                continuation.yield(.resync)
            }
        }
    }

    /// Ends every stream, and those asked for later.
    func finish() {
        let continuations = self.state.withLock { state in
            state.isFinished = true
            defer { state.continuations = [:] }
            return Array(state.continuations.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
