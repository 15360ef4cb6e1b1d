import Foundation
import WeiquanCore

/// The outbox's queues as a pure state machine, in the manner of AsyncHTTPClient's connection-pool state machines:
/// the ``Outbox`` feeds it events (a message stored, a worker asking what next, an attempt's step ended) and performs
/// the action each event returns (start a worker, wait, check the owner, fetch a token, write, call the API).
///
/// It does no I/O, reads no clock and starts no task: the time comes in with the events. Every rule of ordering,
/// back-off, holding and withholding is therefore tested without a server, a store or a clock.
///
/// **Order.** An applicant's messages sit in one queue, in id order (oldest first); only the head is ever handed out,
/// and a worker serves one applicant at a time (``ApplicantQueue/working``), so message N+1 goes out only after N was
/// delivered, held, withheld or failed.
///
/// **Several instances.** Every instance keeps the queues (a mirror of the `outbox` collection); only the one that
/// delivers (between ``start()`` and ``stop()``, while it holds the outbox's role) starts workers. Copies of messages
/// written by other instances come in through ``ingest(_:)``: the copy with the higher ``OutboxMessage/revision``
/// wins, and ids go on past every id seen.
package struct OutboxStateMachine {
    /// One applicant's unfinished messages, oldest first, and whether a worker is serving them.
    package struct ApplicantQueue: Equatable {
        package var messages: [OutboxMessage] = []
        package var working = false
        /// The id of a message of the applicant known to be finished (the last one seen leaving the queue).
        package var finishedID: String?
        /// The head whose ``OutboxMessage/previousID`` was looked up already.
        package var checkedID: String?
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
        /// Read the head's previous message (``OutboxMessage/previousID``, made on another instance) from the store,
        /// take it in (``ingest(_:)``), then ``previousChecked(_:)``: if it is unfinished, it goes first.
        case checkPrevious(OutboxMessage)
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
    /// True while this instance delivers (between ``start()`` and ``stop()``): only then do queues get workers.
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

    /// A new message with the next id, above `previous` (the id of the applicant's newest message in the store, see
    /// ``OutboxTail``), which it names as its ``OutboxMessage/previousID``; it joins its queue once stored
    /// (``queued(_:)``). The id is used up either way.
    package mutating func newMessage(
        _ content: String, to applicant: ApplicantID, author: OutboxAuthor, at now: Date, after previous: String? = nil
    ) -> OutboxMessage {
        if let sequence = previous.flatMap({ Int($0) }) { self.sequenceTaken(sequence) }
        let id = Outbox.id(self.nextSequence)
        self.nextSequence += 1
        var message = OutboxMessage(id: id, applicant: applicant, content: content, createdAt: now, author: author)
        message.previousID = previous
        return message
    }

    /// Another instance has a message with this sequence number (seen in the store, or met by a write as a
    /// `.conflict`): ids go on after it.
    package mutating func sequenceTaken(_ sequence: Int) {
        self.nextSequence = max(self.nextSequence, sequence + 1)
    }

    /// A message is stored: it joins its applicant's queue (at the end, since its id is the newest).
    package mutating func queued(_ message: OutboxMessage) -> QueueAction {
        self.insert(message)
        return self.claim(message.applicant)
    }

    // MARK: - Other instances' copies

    /// A stored version of a message, written by another instance (or read again from the store):
    /// - ids go on past its id;
    /// - a message this instance knows is replaced only by a newer copy (a higher revision): an older or equal copy,
    ///   such as the `pending` one read while this instance is sending it, changes nothing;
    /// - a newer finished copy (delivered by the previous sender, handed into another instance's passive reply)
    ///   takes the message out of its queue; an unfinished one takes its place (released by another instance);
    /// - an unknown unfinished message joins its queue in id order (created by another instance); an unknown
    ///   finished one changes nothing (this instance may have finished and dropped it already).
    ///
    /// Returns whether the applicant's queue now needs a worker (only while delivering).
    package mutating func ingest(_ stored: OutboxMessage) -> QueueAction {
        if let sequence = stored.sequence { self.sequenceTaken(sequence) }
        guard self.isNews(stored) else { return .none }
        let applicant = stored.applicant
        if stored.state.isFinished {
            self.queues[applicant]?.messages.removeAll { $0.id == stored.id }
            self.queues[applicant]?.finishedID = stored.id
            if let queue = self.queues[applicant], queue.messages.isEmpty, !queue.working {
                self.queues[applicant] = nil
            }
        } else if self.queues[applicant]?.messages.contains(where: { $0.id == stored.id }) == true {
            self.replace(stored)
        } else {
            self.insert(stored)
        }
        return self.claim(applicant)
    }

    /// The stored copies that ``ingest(_:)`` would take in (for a reload: only those are read again); ids go on past
    /// all of them.
    package mutating func news(in stored: [OutboxMessage]) -> [OutboxMessage] {
        for sequence in stored.compactMap(\.sequence) { self.sequenceTaken(sequence) }
        return stored.filter { self.isNews($0) }
    }

    /// Whether ingesting this copy would change anything: it is newer than the message known, or an unknown
    /// unfinished one.
    private func isNews(_ stored: OutboxMessage) -> Bool {
        if let known = self.queues[stored.applicant]?.messages.first(where: { $0.id == stored.id }) {
            return stored.revision > known.revision
        }
        return !stored.state.isFinished
    }

    /// The applicant's messages as this instance knows them, oldest first.
    package func messages(of applicant: ApplicantID) -> [OutboxMessage] {
        self.queues[applicant]?.messages ?? []
    }

    /// The applicant's held messages as they are once released (`pending`, no back-off); nothing changes until
    /// they are stored and ``released(_:)`` is called.
    package func releasing(heldFor applicant: ApplicantID) -> [OutboxMessage] {
        (self.queues[applicant]?.messages ?? []).filter(\.state.isHeld).map { message in
            var message = message
            message.state = .pending
            message.nextAttemptAt = nil
            message.revision += 1
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
            message.revision += 1
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

    /// Writing the hand-over failed (a `.conflict` included): the messages set aside are queued again, held as
    /// before, in id order among any that joined meanwhile.
    package mutating func handOverRolledBack(_ taken: [OutboxMessage]) {
        for message in taken
        where self.queues[message.applicant]?.messages.contains(where: { $0.id == message.id }) != true {
            self.insert(message)
        }
    }

    /// Delivery starts (this instance took the outbox's role): the applicants whose workers start now, in order.
    package mutating func start() -> [ApplicantID] {
        precondition(!self.running, "delivery is started once per term")
        self.running = true
        return self.queues.keys.sorted().filter { self.claim($0) == .startWorker($0) }
    }

    /// Delivery stopped (the role was lost, or the outbox is shutting down) and every worker has ended: the queues
    /// stay as a mirror, with no worker, until ``start()``.
    package mutating func stop() {
        self.running = false
        self.tokenFailures = 0
        for applicant in self.queues.keys {
            self.queues[applicant]?.working = false
            if self.queues[applicant]?.messages.isEmpty == true { self.queues[applicant] = nil }
        }
    }

    // MARK: - Helpers

    /// Marks the applicant's queue as served when it needs a worker, none serves it and this instance delivers.
    private mutating func claim(_ applicant: ApplicantID) -> QueueAction {
        guard self.running, let queue = self.queues[applicant], !queue.working, let head = queue.messages.first,
            !head.state.isHeld
        else {
            return .none
        }
        self.queues[applicant]?.working = true
        return .startWorker(applicant)
    }

    /// Puts a message into its applicant's queue in id order.
    private mutating func insert(_ message: OutboxMessage) {
        var queue = self.queues[message.applicant] ?? ApplicantQueue()
        let index = queue.messages.firstIndex { $0.id > message.id } ?? queue.messages.endIndex
        queue.messages.insert(message, at: index)
        self.queues[message.applicant] = queue
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
