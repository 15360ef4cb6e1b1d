import Synchronization
import WeiquanCore
import WeiquanStore

/// What the conversation service and the desk do with the outbox.
extension Outbox {
    /// Stores the text durably (returns once it is on disk) and wakes delivery.
    ///
    /// The message goes out after every message enqueued earlier for the same applicant.
    public func enqueue(_ content: String, to applicant: ApplicantID, author: OutboxAuthor) async throws {
        try await self.lanes.run(applicant) {
            let message = self.machine.withLock {
                $0.newMessage(content, to: applicant, author: author, at: self.clock())
            }
            try await self.store.put(message)
            self.perform(self.machine.withLock { $0.queued(message) })
        }
    }

    /// A message for the caller to write with its own changes; committing queues it for delivery after everything
    /// enqueued or committed before it for the applicant.
    public func prepare(
        _ content: String, to applicant: ApplicantID, author: OutboxAuthor
    ) async throws -> PreparedOutbound {
        let message = self.machine.withLock { $0.newMessage(content, to: applicant, author: author, at: self.clock()) }
        return PreparedOutbound(
            changes: [try .put(message)],
            commit: { self.perform(self.machine.withLock { $0.queued(message) }) }
        )
    }

    /// Sets the messages held for a closed window (and those queued behind them) aside for a passive reply; the
    /// caller writes the changes with its own and then commits, or rolls back when its write fails (they are held
    /// again).
    ///
    /// Hands over nothing when nothing is held (messages merely waiting for the API stay with the outbox). A
    /// message whose API call is in flight at this moment is not included; if it ends up held, the next message
    /// gets it. Messages of the bot or the queue whose author does not own the conversation (`owner`) any more are
    /// `withheld` in the same write instead of handed over.
    public func prepareHeld(for applicant: ApplicantID, owner: ConversationOwner) async throws -> HeldHandover {
        try await self.lanes.run(applicant) {
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
    /// there is no passive reply to carry them, see ``prepareHeld(for:owner:)``).
    public func releaseHeld(for applicant: ApplicantID) async throws {
        try await self.lanes.run(applicant) {
            let released = self.machine.withLock { $0.releasing(heldFor: applicant) }
            guard !released.isEmpty else { return }
            try await self.store.put(contentsOf: released)
            self.perform(self.machine.withLock { $0.released(released) })
        }
    }
}
