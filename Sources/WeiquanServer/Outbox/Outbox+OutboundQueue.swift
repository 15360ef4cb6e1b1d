import Logging
import Synchronization
import WeiquanCore
import WeiquanStore

/// What the conversation service and the desk do with the outbox.
extension Outbox {
    /// Stores the text durably (returns once it is on disk) and wakes delivery.
    ///
    /// The message goes out after every message enqueued earlier for the same applicant. When another instance
    /// took the same id between this one's look and its write (`.conflict`), it is written again with a new id, up
    /// to ``idAttempts`` times in all.
    public func enqueue(_ content: String, to applicant: ApplicantID, author: OutboxAuthor) async throws {
        try await self.lanes.run(applicant) {
            var attempts = 0
            while true {
                attempts += 1
                let (message, changes) = try await self.newMessage(content, to: applicant, author: author)
                do {
                    try await self.store.write(changes)
                } catch let error as StoreError where error.code == .conflict && attempts < Self.idAttempts {
                    // The id is used up (the machine's sequence is past it): the next one is tried.
                    self.logger.info(
                        "outbox id taken by another instance; trying the next", metadata: ["id": "\(message.id)"])
                    continue
                }
                self.queue { $0.queued(message) }
                return
            }
        }
    }

    /// A message for the caller to write with its own changes; committing queues it for delivery after everything
    /// enqueued or committed before it for the applicant. The changes create the message (a `.conflict` if another
    /// instance wrote the same id first); a rollback leaves the id used up, so the caller's next attempt takes a new
    /// one.
    public func prepare(
        _ content: String, to applicant: ApplicantID, author: OutboxAuthor
    ) async throws -> PreparedOutbound {
        let (message, changes) = try await self.newMessage(content, to: applicant, author: author)
        return PreparedOutbound(changes: changes, commit: { self.queue { $0.queued(message) } })
    }

    /// Sets the messages held for a closed window (and those queued behind them) aside for a passive reply; the
    /// caller writes the changes with its own and then commits, or rolls back when its write fails (they are held
    /// again).
    ///
    /// Hands over nothing when nothing is held (messages merely waiting for the API stay with the outbox). A
    /// message whose API call is in flight at this moment is not included; if it ends up held, the next message
    /// gets it. Messages of the bot or the queue whose author does not own the conversation (`owner`) any more are
    /// `withheld` in the same write instead of handed over. With several instances, the applicant's messages are read
    /// again from the store first.
    public func prepareHeld(for applicant: ApplicantID, owner: ConversationOwner) async throws -> HeldHandover {
        try await self.lanes.run(applicant) {
            try await self.refresh(applicant)
            let now = self.clock()
            let aside = self.machine.withLock { $0.setAsideHeld(for: applicant, owner: owner, at: now) }
            guard !aside.taken.isEmpty else { return .empty }
            let delivered = aside.handed.filter { $0.state == .deliveredInReply }
            return HeldHandover(
                texts: delivered.map(\.content), changes: try aside.handed.map { try DocumentChange.put($0) },
                commit: {
                    self.machine.withLock { $0.handOverCommitted(for: applicant) }
                    self.metrics.increment(.outboxDeliveredInReply, by: delivered.count)
                    self.metrics.increment(.outboxWithheld, by: aside.handed.count - delivered.count)
                },
                rollback: { self.machine.withLock { $0.handOverRolledBack(aside.taken) } }
            )
        }
    }

    /// The applicant wrote again, so the window is open: held messages go back to the API, in order (for when
    /// there is no passive reply to carry them, see ``prepareHeld(for:owner:)``). With several instances, the
    /// applicant's messages are read again from the store first.
    public func releaseHeld(for applicant: ApplicantID) async throws {
        try await self.lanes.run(applicant) {
            try await self.refresh(applicant)
            let released = self.machine.withLock { $0.releasing(heldFor: applicant) }
            guard !released.isEmpty else { return }
            try await self.store.put(contentsOf: released)
            self.queue { $0.released(released) }
        }
    }

    /// A new message and the changes that store it: created (`.create`) under an id no message in the store has as
    /// far as this instance can tell, above the applicant's newest id. Alone on the store, the machine's sequence is
    /// exact and nothing is read.
    func newMessage(
        _ content: String, to applicant: ApplicantID, author: OutboxAuthor
    ) async throws -> (OutboxMessage, [DocumentChange]) {
        let now = self.clock()
        guard !self.coordination.isSingleInstance else {
            let message = self.machine.withLock { $0.newMessage(content, to: applicant, author: author, at: now) }
            return (message, [try .create(message)])
        }
        let tail = try await self.store.get(OutboxTail.self, id: applicant.rawValue)?.lastID
        for _ in 0..<Self.idAttempts {
            let message = self.machine.withLock {
                $0.newMessage(content, to: applicant, author: author, at: now, after: tail)
            }
            // Taken: the sequence is past it already; the follow task takes the other message in.
            guard try await self.store.document(collection: OutboxMessage.collection, id: message.id) == nil else {
                continue
            }
            return (message, [try .create(message), try .put(OutboxTail(applicant: applicant, lastID: message.id))])
        }
        throw StoreError(
            code: .conflict, message: "no free outbox id after \(Self.idAttempts) tries: other instances' ids ran ahead"
        )
    }
}
