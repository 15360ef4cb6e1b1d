import Synchronization
import WeiquanCore

/// Tells every live listener (the desk pages' `GET /api/v1/events` streams) what changed in the open handoffs, as
/// ``HandoffIndex`` takes the changes in: this instance's writes and, through the ``ChangeFollower``, the other
/// instances' writes, so a page sees a handoff another instance queued.
///
/// Each subscriber has a buffer of ``bufferLimit`` messages. A subscriber that falls that far behind (a client that
/// stopped reading) is dropped: its stream ends, and the client reconnects and fetches the list afresh. The memory a
/// listener holds is bounded whatever it does.
final class HandoffBroadcaster: Sendable {
    /// What a subscriber receives.
    enum Message: Sendable, Equatable {
        /// A handoff changed.
        case handoff(HandoffEvent)
        /// Changes may have been missed (the index was reloaded): fetch the list again.
        case resync
        /// Nothing happened for a while: a comment line that shows the connection is alive (and finds dead ones).
        case heartbeat
    }

    /// One listener: its messages, until it is dropped, finishes or the broadcaster shuts down.
    struct Subscription: Sendable {
        let id: Int
        let messages: AsyncStream<Message>
        fileprivate let continuation: AsyncStream<Message>.Continuation
        fileprivate let broadcaster: HandoffBroadcaster

        /// Queues a heartbeat after the changes already waiting (a full buffer drops the subscriber).
        func heartbeat() {
            self.broadcaster.deliver(.heartbeat, to: self.id, self.continuation)
        }

        /// Ends the messages (the client went away, or the server shuts down).
        func finish() {
            self.continuation.finish()
        }
    }

    private struct Subscriber {
        let sees: @Sendable (HandoffEvent) -> Bool
        let continuation: AsyncStream<Message>.Continuation
    }

    private struct State {
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 0
        var dropped = 0
    }

    /// Messages a subscriber may have waiting before it is dropped.
    let bufferLimit: Int
    private let state = Mutex(State())
    /// The number of subscribers, read without the lock on every change to the index.
    private let listeners = Atomic<Int>(0)

    init(bufferLimit: Int = 256) {
        precondition(bufferLimit > 0)
        self.bufferLimit = bufferLimit
    }

    /// Whether anyone listens: when nobody does, the index does not work out what to tell.
    var isListened: Bool { self.listeners.load(ordering: .relaxed) > 0 }

    /// How many listen now.
    var subscriberCount: Int { self.state.withLock { $0.subscribers.count } }

    /// How many subscribers were dropped for falling behind, since the start.
    var droppedCount: Int { self.state.withLock { $0.dropped } }

    /// A new listener that receives the changes `sees` lets through (and every resync and its own heartbeats).
    func subscribe(sees: @escaping @Sendable (HandoffEvent) -> Bool) -> Subscription {
        let (messages, continuation) = AsyncStream.makeStream(
            of: Message.self, bufferingPolicy: .bufferingOldest(self.bufferLimit))
        let id = self.state.withLock { state -> Int in
            state.nextID += 1
            state.subscribers[state.nextID] = Subscriber(sees: sees, continuation: continuation)
            return state.nextID
        }
        self.listeners.add(1, ordering: .relaxed)
        continuation.onTermination = { [weak self] _ in self?.forget(id) }
        return Subscription(id: id, messages: messages, continuation: continuation, broadcaster: self)
    }

    /// Tells every subscriber that may see them about these changes, in order.
    func publish(_ events: [HandoffEvent]) {
        guard !events.isEmpty, self.isListened else { return }
        let subscribers = self.state.withLock { $0.subscribers }
        for (id, subscriber) in subscribers {
            for event in events where subscriber.sees(event) {
                guard self.deliver(.handoff(event), to: id, subscriber.continuation) else { break }
            }
        }
    }

    /// Tells every subscriber to fetch the list again.
    func resync() {
        guard self.isListened else { return }
        for (id, subscriber) in self.state.withLock({ $0.subscribers }) {
            self.deliver(.resync, to: id, subscriber.continuation)
        }
    }

    /// Ends every subscription (the server shuts down).
    func finishAll() {
        for subscriber in self.state.withLock({ $0.subscribers.values }) { subscriber.continuation.finish() }
    }

    /// Yields `message`; a full buffer drops the subscriber. Returns whether it is still subscribed.
    @discardableResult
    fileprivate func deliver(_ message: Message, to id: Int, _ continuation: AsyncStream<Message>.Continuation) -> Bool
    {
        switch continuation.yield(message) {
        case .enqueued:
            return true
        case .dropped:
            self.state.withLock { $0.dropped += 1 }
            // Finished outside any lock: the termination handler takes it.
            continuation.finish()
            return false
        case .terminated:
            return false
        @unknown default:
            return false
        }
    }

    private func forget(_ id: Int) {
        let removed = self.state.withLock { $0.subscribers.removeValue(forKey: id) != nil }
        if removed { self.listeners.subtract(1, ordering: .relaxed) }
    }
}
