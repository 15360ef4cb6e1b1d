import Foundation
import WeiquanCore

/// The outbox's queues as a pure state machine, in the manner of AsyncHTTPClient's connection-pool state machines:
/// the ``Outbox`` feeds it events (a message stored, a worker asking what next, an attempt's step ended) and performs
/// the action each event returns (start a worker, wait, check the owner, fetch a token, write, call the API).
///
/// It does no I/O, reads no clock and starts no task: the time comes in with the events. Every rule of ordering,
/// back-off, holding and withholding is therefore tested without a server, a store or a clock.
///
/// **Order.** An applicant's messages sit in one queue, oldest first; only the head is ever handed out, and a worker
/// serves one applicant at a time (``ApplicantQueue/working``), so message N+1 goes out only after N was delivered,
/// held, withheld or failed.
package struct OutboxStateMachine {
    /// One applicant's unfinished messages, oldest first, and whether a worker is serving them.
    package struct ApplicantQueue: Equatable {
        package var messages: [OutboxMessage] = []
        package var working = false
    }

    /// What the outbox does after a message joined or rejoined a queue.
    package enum QueueAction: Equatable {
        /// Start a worker for this applicant (none is serving it).
        case startWorker(ApplicantID)
        /// Nothing: a worker is on it already, or its head is held.
        case none
    }

    /// What an applicant's worker does next.
    package enum DeliveryAction: Equatable {
        /// Stop: the queue is empty, its head is held, or delivery is being cancelled.
        case stop
        /// Wait this long (the head's back-off), then ask again.
        case wait(Duration)
        /// Make an attempt at this message (``OutboxStateMachine/attemptStarted(_:checksOwnership:)``).
        case send(OutboxMessage)
    }

    /// The held messages of an applicant taken out of the queue for a passive reply.
    package struct HeldSetAside: Equatable {
        /// As they were in the queue (they go back when the caller's write fails).
        package var taken: [OutboxMessage]
        /// Marked `deliveredInReply`, or `withheld` when their author may not speak to the owner now.
        package var handed: [OutboxMessage]
    }

    package let policy: OutboxRetryPolicy
    package internal(set) var queues: [ApplicantID: ApplicantQueue] = [:]
    /// The sequence number of the next message's id.
    package internal(set) var nextSequence: Int
    /// Consecutive failures of the token endpoint, for the back-off of every queue.
    package internal(set) var tokenFailures = 0
    package internal(set) var running = false

    /// Queues the unfinished messages found in the store, in id order; ids go on after the highest stored one.
    package init(stored: [OutboxMessage], policy: OutboxRetryPolicy) {
        self.policy = policy
        self.nextSequence = (stored.compactMap(\.sequence).max() ?? 0) + 1
        for message in stored.sorted(by: { $0.id < $1.id }) where !message.state.isFinished {
            self.queues[message.applicant, default: ApplicantQueue()].messages.append(message)
        }
    }

    /// Unfinished messages (pending, sending, held) across all applicants.
    package var queuedCount: Int {
        self.queues.values.reduce(0) { $0 + $1.messages.count }
    }

    // MARK: - Queueing

    /// A new message with the next id; it joins its queue once stored (``queued(_:)``).
    package mutating func newMessage(
        _ content: String, to applicant: ApplicantID, author: OutboxAuthor, at now: Date
    ) -> OutboxMessage {
        let id = Outbox.id(self.nextSequence)
        self.nextSequence += 1
        return OutboxMessage(id: id, applicant: applicant, content: content, createdAt: now, author: author)
    }

    /// A message is stored: it joins the end of its applicant's queue.
    package mutating func queued(_ message: OutboxMessage) -> QueueAction {
        self.queues[message.applicant, default: ApplicantQueue()].messages.append(message)
        return self.claim(message.applicant)
    }

    /// The applicant's held messages as they are once released (`pending`, no back-off); nothing changes until
    /// they are stored and ``released(_:)`` is called.
    package func releasing(heldFor applicant: ApplicantID) -> [OutboxMessage] {
        (self.queues[applicant]?.messages ?? []).filter(\.state.isHeld).map { message in
            var message = message
            message.state = .pending
            message.nextAttemptAt = nil
            return message
        }
    }

    /// Released messages are stored: they take their places again and the applicant's worker starts.
    package mutating func released(_ messages: [OutboxMessage]) -> QueueAction {
        for message in messages { self.replace(message) }
        guard let applicant = messages.first?.applicant else { return .none }
        return self.claim(applicant)
    }

    /// Takes the applicant's held messages out of the queue, with every message behind them, for a passive reply:
    /// those whose author may speak while `owner` owns the conversation as `deliveredInReply` at `now`, the others
    /// (a queue notice once the queue is over) as `withheld`. Nothing is taken while nothing is held.
    package mutating func setAsideHeld(
        for applicant: ApplicantID, owner: ConversationOwner, at now: Date
    ) -> HeldSetAside {
        guard let queue = self.queues[applicant], let first = queue.messages.firstIndex(where: \.state.isHeld) else {
            return HeldSetAside(taken: [], handed: [])
        }
        let taken = Array(queue.messages[first...])
        self.queues[applicant]?.messages.removeSubrange(first...)
        let handed = taken.map { message in
            var message = message
            if message.author.maySpeak(whileOwnedBy: owner) {
                message.state = .deliveredInReply
                message.deliveredAt = now
            } else {
                message.state = .withheld
            }
            message.nextAttemptAt = nil
            return message
        }
        return HeldSetAside(taken: taken, handed: handed)
    }

    /// The messages set aside are durable as handed over: an emptied, idle queue goes.
    package mutating func handOverCommitted(for applicant: ApplicantID) {
        if let queue = self.queues[applicant], queue.messages.isEmpty, !queue.working {
            self.queues[applicant] = nil
        }
    }

    /// Writing the hand-over failed: the messages set aside are queued again, held as before.
    package mutating func handOverRolledBack(_ taken: [OutboxMessage]) {
        for message in taken {
            self.queues[message.applicant, default: ApplicantQueue()].messages.append(message)
        }
    }

    /// Delivery starts: the applicants whose workers start now, in order.
    package mutating func start() -> [ApplicantID] {
        precondition(!self.running, "Outbox.run() is called once")
        self.running = true
        return self.queues.keys.sorted().filter { self.claim($0) == .startWorker($0) }
    }

    // MARK: - Helpers

    /// Marks the applicant's queue as served when it needs a worker and none serves it.
    private mutating func claim(_ applicant: ApplicantID) -> QueueAction {
        guard let queue = self.queues[applicant], !queue.working, let head = queue.messages.first, !head.state.isHeld
        else {
            return .none
        }
        self.queues[applicant]?.working = true
        return .startWorker(applicant)
    }

    /// Puts a changed message in its place in its queue (nothing if it left the queue).
    mutating func replace(_ message: OutboxMessage) {
        guard let index = self.queues[message.applicant]?.messages.firstIndex(where: { $0.id == message.id }) else {
            return
        }
        self.queues[message.applicant]?.messages[index] = message
    }
}

extension OutboxMessage.State {
    /// Waiting for the applicant's next message.
    package var isHeld: Bool {
        if case .held = self { return true }
        return false
    }
}
