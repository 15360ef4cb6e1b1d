import Foundation
import Logging
import Synchronization
import WeiquanCore
import WeiquanStore

/// The changes staff and timers make to conversations, outside the applicant's messages.
extension ConversationService {
    /// A change to one conversation made outside an applicant's message: what the body may change.
    struct Edit {
        /// The time of the change.
        let now: Date
        var conversation: Conversation
        /// The handoff the change is about, as it is now (nil when there is none, e.g. before a takeover).
        var handoff: HandoffRecord?
        var audits: [AuditEntry] = []
        /// Texts for the applicant, sent through the outbox in this order once the change is durable.
        var messages: [(text: String, author: OutboxAuthor)] = []
    }

    /// Runs `body` in the applicant's lane, after any message of theirs being handled, and writes what it
    /// changed in one durable write together with the messages it sends.
    /// - Parameters:
    ///   - applicant: Whose conversation.
    ///   - handoffID: The handoff to load into ``Edit/handoff``.
    /// - Returns: What the body returns. Nothing is written when it throws or changes nothing.
    func edit<Result: Sendable>(
        _ applicant: ApplicantID, handoffID: HandoffID?, _ body: @Sendable (inout Edit) throws -> Result
    ) async throws -> Result {
        try await self.lanes.run(applicant) {
            try await self.exclusively(applicant) {
                try await self.retryingConflicts {
                    try await self.editOnce(applicant, handoffID: handoffID, body)
                }
            }
        }
    }

    /// One attempt of ``edit(_:handoffID:_:)``, in the applicant's lane and lock. A handoff the body creates
    /// (a takeover) is written create-only: if its id was taken meanwhile, the write fails with `.conflict`,
    /// the id is observed as taken and the caller runs the body again.
    private func editOnce<Result: Sendable>(
        _ applicant: ApplicantID, handoffID: HandoffID?, _ body: @Sendable (inout Edit) throws -> Result
    ) async throws -> Result {
        let now = self.clock()
        let conversation = try await self.conversation(applicant, now: now)
        var handoff: HandoffRecord?
        if let handoffID {
            if self.coordination.isSingleInstance { handoff = self.handoffs.record(handoffID) }
            if handoff == nil { handoff = try await self.store.handoff(handoffID) }
        }
        var edit = Edit(now: now, conversation: conversation, handoff: handoff)
        let result = try body(&edit)
        guard
            edit.conversation != conversation || edit.handoff != handoff || !edit.audits.isEmpty
                || !edit.messages.isEmpty
        else {
            return result
        }
        let created = handoff == nil ? edit.handoff : nil
        var changes: [DocumentChange] = []
        if created != nil, var session = edit.conversation.session, !session.handedOff {
            // Staff took the conversation over: a person was brought into the visit.
            session.handedOff = true
            edit.conversation.session = session
            changes.append(try .put(session))
        }
        changes.append(try .put(edit.conversation))
        if let changed = edit.handoff { changes.append(try created == nil ? .put(changed) : .create(changed)) }
        changes += try edit.audits.map { try .put(self.audit($0, applicant: applicant, at: now)) }
        var prepared: [PreparedOutbound] = []
        if !edit.messages.isEmpty {
            guard let outbound = self.outbound else { throw DeskError.unavailable("no outbox to send messages") }
            for message in edit.messages {
                let outgoing = try await outbound.prepare(message.text, to: applicant, author: message.author)
                prepared.append(outgoing)
                changes += outgoing.changes
            }
        }
        do {
            try await self.store.write(changes)
        } catch {
            for outgoing in prepared { outgoing.rollback() }
            if let created, (error as? StoreError)?.code == .conflict {
                try await self.learnTaken(cases: [], handoff: created.id)
            }
            throw error
        }
        for outgoing in prepared { outgoing.commit() }
        if self.coordination.isSingleInstance { self.conversations.withLock { $0.remember(edit.conversation) } }
        if let changed = edit.handoff { self.handoffs.update(changed) }
        return result
    }

    /// Who owns the applicant's conversation now (the outbox asks before each send).
    func owner(of applicant: ApplicantID) async -> ConversationOwner {
        if self.coordination.isSingleInstance,
            let cached = self.conversations.withLock({ $0.conversation(of: applicant) })
        {
            return cached.owner
        }
        let stored = try? await self.store.conversation(of: applicant)
        return stored?.owner ?? .bot
    }

    // MARK: - The queue moving

    /// Someone left the unit's queue: tell those whose place improved enough to mention.
    func queueMoved(in unit: UnitID) {
        for handoff in self.handoffs.waiting(in: unit) {
            self.background.start {
                do {
                    try await self.tellPosition(handoff.id, applicant: handoff.applicant)
                } catch {
                    self.logger.warning(
                        "queue position not sent", metadata: ["handoff": "\(handoff.id)", "error": "\(error)"])
                }
            }
        }
    }

    /// Returns once the work this service started in the background (late answers, position notices) is done.
    public func settled() async {
        await self.background.idle()
    }

    func tellPosition(_ id: HandoffID, applicant: ApplicantID) async throws {
        let handoffs = self.handoffs
        let machine = self.machine
        try await self.edit(applicant, handoffID: id) { edit in
            guard var handoff = edit.handoff, let position = handoffs.position(of: id),
                let text = machine.tellPosition(&handoff, position: position, now: edit.now)
            else { return }
            edit.handoff = handoff
            edit.messages.append((text, .queue))
        }
    }
}
