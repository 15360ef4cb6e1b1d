import Foundation
import Logging
import Synchronization
import WeiquanCore
import WeiquanStore

/// Conversations owned by the queue or by staff, and the changes staff and timers make to conversations.
extension ConversationService {
    // MARK: - Messages during a handoff

    /// A message while the queue or a person owns the conversation. It joins the handoff's transcript. While
    /// waiting, the queue may answer (the place in line, leaving the queue); while staff own it, nothing
    /// answers but 结束人工, which hands the conversation back to the bot.
    func processDuringHandoff(
        _ event: ConversationEvent, record: ConversationRecord, handoff: HandoffRecord, key: String, now: Date
    ) async throws -> Outcome {
        var record = record
        var handoff = handoff
        var changes: [DocumentChange] = []
        var reply: String?
        let applicant = record.id
        let waitingIn = handoff.status == .waiting ? handoff.unit : nil
        handoff.append(.applicant, self.machine.transcriptText(of: event), at: now)
        switch record.owner {
        case .staff(let name):
            handoff.lastActivityAt = now
            if event == .unsubscribed {
                handoff.end(.unsubscribed, at: now)
                record.state = ConversationState()
                record.closed = true
                self.giveBack(&record)
                changes.append(try .put(self.audit("conversation_closed", applicant: applicant, handoffID: handoff.id, at: now)))
            } else if case .text(let text) = event, self.machine.endsStaffChat(text) {
                handoff.end(.released, at: now)
                var state = record.state
                let text = self.machine.handBack(&state, key: "handoff.released", resume: true, now: now)
                record.state = state
                handoff.append(.bot, text, at: now)
                reply = text
                self.giveBack(&record)
                changes.append(
                    try .put(
                        self.audit(
                            "handoff_released", actor: "applicant", applicant: applicant, handoffID: handoff.id, at: now,
                            detail: "assignee=\(name)"
                        )
                    )
                )
            }
        case .bot, .queue:
            let standing = QueueStanding(
                position: self.handoffs.position(of: handoff.id) ?? 1, toldPosition: handoff.toldPosition,
                toldAt: handoff.toldAt
            )
            var state = record.state
            let context = ConversationContext(now: now, applicant: applicant, caseID: "")
            for effect in self.machine.handleQueued(event, state: &state, standing: standing, context: context) {
                switch effect {
                case .reply(let text):
                    reply = text
                    handoff.append(.bot, text, at: now)
                    handoff.toldPosition = standing.position
                    handoff.toldAt = now
                case .leaveQueue:
                    handoff.end(.leftQueue, at: now)
                    self.giveBack(&record)
                    changes.append(try .put(self.audit("queue_left", applicant: applicant, handoffID: handoff.id, at: now)))
                case .closeConversation:
                    record.closed = true
                default:
                    break
                }
            }
            record.state = state
        }
        changes.append(try .put(handoff))
        let outcome = try await self.conclude(record, changes: changes, reply: reply, key: key, now: now)
        self.handoffs.update(handoff)
        if let unit = waitingIn, handoff.status != .waiting { self.queueMoved(in: unit) }
        return outcome
    }

    /// The bot owns the conversation again.
    func giveBack(_ record: inout ConversationRecord) {
        record.owner = .bot
        record.handoffID = nil
    }

    /// A handoff for the conversation as it is now: its unit, the form, the recent messages and what they meant.
    func newHandoff(
        _ request: HandoffRequest, status: HandoffRecord.Status, record: ConversationRecord, now: Date
    ) -> HandoffRecord {
        let year = self.machine.year(of: now)
        var intents: [String] = []
        for message in record.recent {
            let match = self.machine.understander.understand(message.text, currentYear: year).match
            if case .matched(let intent) = match.decision, intents.last != intent.rawValue { intents.append(intent.rawValue) }
        }
        return HandoffRecord(
            id: self.handoffs.makeID(), conversation: record.id,
            unit: request.unit.isEmpty ? self.machine.handoffUnit(for: request.form) : request.unit,
            reason: request.reason, urgent: request.urgent, status: status, requestedAt: now, form: request.form,
            intents: intents, messages: record.recent
        )
    }

    // MARK: - Changes by staff and timers

    /// A change to one conversation made outside an applicant's message: what the body may change.
    struct Edit {
        /// The time of the change.
        let now: Date
        var record: ConversationRecord
        /// The handoff the change is about, as it is now (nil when there is none, e.g. before a takeover).
        var handoff: HandoffRecord?
        var audits: [AuditEvent] = []
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
        _ applicant: String, handoffID: String?, _ body: @Sendable (inout Edit) throws -> Result
    ) async throws -> Result {
        try await self.lanes.run(applicant) {
            let now = self.clock()
            let record = try await self.conversation(applicant, now: now)
            var handoff: HandoffRecord?
            if let handoffID {
                handoff = self.handoffs.record(handoffID)
                if handoff == nil { handoff = try await self.store.get(HandoffRecord.self, id: handoffID) }
            }
            var edit = Edit(now: now, record: record, handoff: handoff)
            let result = try body(&edit)
            guard edit.record != record || edit.handoff != handoff || !edit.audits.isEmpty || !edit.messages.isEmpty else {
                return result
            }
            var changes: [DocumentChange] = [try .put(edit.record)]
            if let changed = edit.handoff { changes.append(try .put(changed)) }
            changes += try edit.audits.map { try .put($0) }
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
                throw error
            }
            for outgoing in prepared { outgoing.commit() }
            self.conversations.withLock { $0[applicant] = edit.record }
            if let changed = edit.handoff { self.handoffs.update(changed) }
            return result
        }
    }

    /// Who owns the applicant's conversation now (the outbox asks before each send).
    func owner(of applicant: String) async -> ConversationOwner {
        if let cached = self.conversations.withLock({ $0[applicant] }) { return cached.owner }
        let stored = try? await self.store.get(ConversationRecord.self, id: applicant)
        return stored?.owner ?? .bot
    }

    // MARK: - The queue moving

    /// Someone left the unit's queue: tell those whose place improved enough to mention.
    func queueMoved(in unit: String) {
        for handoff in self.handoffs.waiting(in: unit) {
            Task {
                do {
                    try await self.tellPosition(handoff.id, applicant: handoff.conversation)
                } catch {
                    self.logger.warning("queue position not sent", metadata: ["handoff": "\(handoff.id)", "error": "\(error)"])
                }
            }
        }
    }

    func tellPosition(_ id: String, applicant: String) async throws {
        let handoffs = self.handoffs
        let machine = self.machine
        try await self.edit(applicant, handoffID: id) { edit in
            guard var handoff = edit.handoff, handoff.status == .waiting, let position = handoffs.position(of: id),
                let text = machine.positionNotice(told: handoff.toldPosition, now: position)
            else { return }
            handoff.toldPosition = position
            handoff.toldAt = edit.now
            handoff.append(.bot, text, at: edit.now)
            edit.handoff = handoff
            edit.messages.append((text, .queue))
        }
    }
}
