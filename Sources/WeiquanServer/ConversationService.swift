import Foundation
import Logging
import Synchronization
import WeiquanCore
import WeiquanStore

/// Carries out conversations: one message at a time per applicant, the machine's effects made durable
/// before the reply leaves, and WeChat's retries answered without running anything twice.
public final class ConversationService: Sendable {
    /// What to answer an inbound message with.
    public enum Outcome: Sendable, Equatable {
        /// A text reply, first given at `at` (retries get the same time, so the same bytes).
        case reply(String, at: Date)
        /// Nothing to say: answer `success`.
        case noReply
    }

    public let machine: ConversationMachine
    let store: any DocumentStore
    let clock: @Sendable () -> Date
    /// What the reply budget and the retry ledger's waits run on.
    let timerClock: any Clock<Duration>
    /// Ends the waits for answers at the reply budget, one timer for all of them.
    let replyDeadlines: ReplyDeadlines
    let makeID: @Sendable () -> String
    let metrics: Metrics
    let logger: Logger
    let dedupeWindow: TimeInterval
    /// One writer per conversation on this instance: the applicant's messages, and staff's and timers' changes
    /// to it, in arrival order. ``coordination`` makes it one writer across instances.
    let lanes = SerialLanes<ApplicantID>()
    /// How this instance agrees with the others on the same store (alone: ``InProcessCoordination``).
    let coordination: any Coordination
    let ledger: RetryLedger
    let outbound: (any OutboundQueue)?
    let numbering: CaseNumbering
    /// The highest question sequence number known (`Q000042` → 42): the next question gets the one after it,
    /// written create-only, so two instances never give one number twice.
    let questionNumbers: Mutex<Int>
    /// The recently active conversations as last written here; used only when this instance is alone on its
    /// store (otherwise each piece of work reads its conversation fresh while holding the applicant's lock).
    let conversations: Mutex<RecentConversations>
    let handoffs: HandoffIndex
    /// Messages' handling and the notices a change starts, owned so that shutdown and tests can wait for them.
    let background = BackgroundWork()
    /// The applicants' cases, for progress questions: written here, or taken in from other instances' changes.
    let casesByApplicant: Mutex<[ApplicantID: [CaseSummary]]>
    /// Every case as the staff's list and the reports read it, kept as ``casesByApplicant`` is.
    package let caseIndex: CaseIndex
    /// Told of each question the bot filed, once it is durable (the queue's gauges, so that they need not wait for
    /// their next refresh).
    let questionFiled = Mutex<(@Sendable (QuestionRecord) -> Void)?>(nil)
    /// Told of the evidence jobs each filing wrote (the evidence worker, so that it need not wait to hear of them).
    let evidenceCreated = Mutex<(@Sendable ([EvidenceJob]) -> Void)?>(nil)
    /// The knowledge base's answer to a question, asked before a question is queued (nil: none).
    let knowledge: (@Sendable (String) -> KnowledgeAnswer?)?
    /// How many times a piece of work runs again after a create-only write met an id taken meanwhile.
    static let conflictAttempts = 20
    /// How long an answer is kept for WeChat's retries when nothing else is configured
    /// (`server.dedupe_window_seconds` ships with the same value).
    ///
    /// WeChat waits 5 seconds for an answer and retries a message three times, so its last retry comes about 15
    /// seconds after the first delivery. A minute covers that four times over, network delays and a quick restart
    /// included (the answers are stored and loaded at start). Each answer kept repeats the whole reply (a few
    /// hundred bytes) in the store and in memory: the 300 seconds kept before held five times as many of them at
    /// any moment under steady load, and put them all into the snapshot of a compaction.
    public static let defaultDedupeWindow: TimeInterval = 60
    /// How many recently active conversations a lone instance keeps decoded (`server.conversation_cache`):
    /// about 1 KB each; the rest, and those idle longer than the dedupe window, are read from the store when their
    /// applicant writes again.
    public static let defaultConversationCache = 10_000
    /// How many expired retry answers one write deletes.
    static let sweepBatch = 1_000

    /// Loads what the service keeps in memory (the applicants' cases, recent answers) from the store.
    /// - Parameters:
    ///   - clock: The time now; injected so tests control it.
    ///   - makeID: Fresh ids for audit events.
    public init(
        machine: ConversationMachine, store: any DocumentStore, outbound: (any OutboundQueue)? = nil,
        coordination: any Coordination = InProcessCoordination(),
        knowledge: (@Sendable (String) -> KnowledgeAnswer?)? = nil,
        dedupeWindow: TimeInterval = ConversationService.defaultDedupeWindow,
        conversationCache: Int = ConversationService.defaultConversationCache,
        clock: @escaping @Sendable () -> Date = { Date() },
        timerClock: any Clock<Duration> = ContinuousClock(),
        makeID: @escaping @Sendable () -> String = { UUID().uuidString }, metrics: Metrics = Metrics(),
        logger: Logger = Logger(label: "weiquan.conversations")
    ) async throws {
        self.machine = machine
        self.store = store
        self.outbound = outbound
        self.coordination = coordination
        self.knowledge = knowledge
        self.clock = clock
        self.timerClock = timerClock
        self.replyDeadlines = ReplyDeadlines(clock: timerClock)
        self.makeID = makeID
        self.metrics = metrics
        self.logger = logger
        self.dedupeWindow = dedupeWindow
        self.conversations = Mutex(RecentConversations(capacity: conversationCache))
        let cases = try await store.all(CaseRecord.self)
        self.numbering = CaseNumbering(existing: cases.map(\.id.rawValue))
        self.casesByApplicant = Mutex(Self.summaries(of: cases))
        self.caseIndex = CaseIndex(records: cases, deadlines: CaseDeadlines(machine.configuration))
        let cutoff = clock().addingTimeInterval(-dedupeWindow)
        let retries = try await store.all(RetryRecord.self)
        self.ledger = RetryLedger(records: retries.filter { $0.handledAt >= cutoff }, clock: timerClock)
        // Answers past the window that no sweep deleted: this process's before a crash, or another instance's
        // that stopped (each instance sweeps the answers it gave). Deleted now, a batch per write.
        let expired = retries.filter { $0.handledAt < cutoff }.map(\.id)
        for start in stride(from: 0, to: expired.count, by: Self.sweepBatch) {
            let batch = expired[start..<min(start + Self.sweepBatch, expired.count)]
            try await store.write(batch.map { DocumentChange.delete(collection: RetryRecord.collection, id: $0) })
        }
        let questions = try await store.all(QuestionRecord.self)
        self.questionNumbers = Mutex(questions.compactMap(\.id.sequence).max() ?? 0)
        self.handoffs = HandoffIndex(records: try await store.all(HandoffRecord.self))
    }

    /// Handles one message of an applicant.
    /// - Parameters:
    ///   - event: What the applicant did.
    ///   - applicant: Their channel identity (OpenID).
    ///   - key: The message's retry key; a second delivery with the same key gets the first one's answer (its text read
    ///     back from the message's retry record), and nothing runs twice.
    ///   - budget: How long the caller may wait for the answer (WeChat's 5-second rule). When it runs out
    ///     the outcome is ``Outcome/noReply`` (answer `success`); the handling goes on, and its answer
    ///     goes out through the outbox unless a retry took it. nil waits as long as it takes.
    public func handle(
        _ event: ConversationEvent, applicant: ApplicantID, key: String, budget: Duration? = nil
    ) async -> Outcome {
        switch await self.ledger.claim(key, waitingAtMost: budget) {
        case .answered(let reply, let at):
            self.metrics.increment(.dedupeHits)
            return reply.map { .reply($0, at: at) } ?? .noReply
        case .answeredInStore:
            self.metrics.increment(.dedupeHits)
            return await self.storedAnswer(key)
        case .stillWorking:
            self.metrics.increment(.dedupeHits)
            return .noReply
        case .fresh:
            break
        }
        // The applicant's place in line is taken now, in arrival order; the work runs on its own, so that it
        // finishes (and is stored) even when the caller stops waiting.
        let ticket = self.lanes.ticket(applicant)
        guard let budget else {
            return await self.background.run { await self.run(event, ticket: ticket, key: key) }.value
        }
        if self.runsInCallersTask, self.lanes.isServing(ticket) {
            return await self.handleInCallersTask(event, ticket: ticket, key: key, budget: budget)
        }
        // The work hands its outcome over itself: one task a message, none to wait on the work's task.
        let handover = ValueHandover<Outcome>()
        self.background.start { handover.fill(await self.run(event, ticket: ticket, key: key)) }
        if let outcome = await self.replyDeadlines.value(of: handover, within: budget) { return outcome }
        return await self.answerAfterBudget(key)
    }

    /// Whether a message whose lane is free runs in the caller's task: when this instance is alone on a store that
    /// reads from memory, only the durable write can keep the answer waiting, and only that wait races the budget.
    var runsInCallersTask: Bool { self.coordination.isSingleInstance && self.store.readsAreImmediate }

    /// A message handled in the caller's task up to its durable write, which alone races the budget: in time (nearly
    /// always), the rest runs here too, with no task of its own; too late, the caller answers `success` and the rest
    /// runs in the background once the write is done, as on the other path. The applicant's lane is free (the
    /// caller checked) and held until the rest is done.
    private func handleInCallersTask(
        _ event: ConversationEvent, ticket: SerialLanes<ApplicantID>.Ticket, key: String, budget: Duration
    ) async -> Outcome {
        let message: PreparedMessage
        do {
            switch try await self.prepare(event, applicant: ticket.key, key: key) {
            case .answered(let outcome):
                self.lanes.leave(ticket)
                return outcome
            case .write(let prepared):
                message = prepared
            }
        } catch {
            self.lanes.leave(ticket)
            return self.notHandled(key, error: error)
        }
        // Durable first, as on the other path: the reply leaves once the write is done.
        let written = ValueHandover<Result<Void, any Error>>()
        self.store.startWrite(message.changes) { result in
            guard !written.fill(result) else { return }
            // The caller stopped waiting: the rest of the work goes on without it.
            self.background.start { _ = await self.complete(message, written: result, event: event, ticket: ticket) }
        }
        guard let result = await self.replyDeadlines.value(of: written, within: budget) else {
            return await self.answerAfterBudget(key)
        }
        return await self.complete(message, written: result, event: event, ticket: ticket)
    }

    /// The rest of a message's work once its write is done, then its lane left. A create-only write that met an id
    /// another conversation took first runs the whole work again, as ``run(_:ticket:key:)`` does.
    private func complete(
        _ message: PreparedMessage, written: Result<Void, any Error>, event: ConversationEvent,
        ticket: SerialLanes<ApplicantID>.Ticket
    ) async -> Outcome {
        defer { self.lanes.leave(ticket) }
        do {
            do {
                return try await self.finish(message, written: written)
            } catch let error as StoreError where error.code == .conflict {
                self.metrics.increment(.storeConflicts)
                return try await self.retryingConflicts {
                    try await self.process(event, applicant: ticket.key, key: message.key)
                }
            }
        } catch {
            return self.notHandled(message.key, error: error)
        }
    }

    /// The answer once the budget ran out: `success`, or the answer after all when the work finished between the
    /// deadline and now. The work's answer otherwise goes out through the outbox.
    private func answerAfterBudget(_ key: String) async -> Outcome {
        self.metrics.increment(.lateReplies)
        switch self.ledger.firstDeliveryGaveUp(key) {
        case .answered(let reply, let at):
            return reply.map { .reply($0, at: at) } ?? .noReply
        case .answeredInStore:
            return await self.storedAnswer(key)
        case .fresh, .stillWorking, nil:
            return .noReply
        }
    }

    /// The answer of a message answered earlier, read from its retry record (the ledger keeps only that there is
    /// one). A record swept meanwhile, or one that cannot be read, answers `success`: WeChat shows nothing and the
    /// applicant may write again, and nothing is handled twice.
    private func storedAnswer(_ key: String) async -> Outcome {
        do {
            if let record = try await self.store.get(RetryRecord.self, id: key), let reply = record.reply {
                return .reply(reply, at: record.handledAt)
            }
        } catch {
            self.logger.error(
                "a retry's earlier answer could not be read; answered success", metadata: ["error": "\(error)"])
        }
        return .noReply
    }

    private func run(
        _ event: ConversationEvent, ticket: SerialLanes<ApplicantID>.Ticket, key: String
    ) async -> Outcome {
        do {
            return try await self.lanes.run(ticket) {
                try await self.exclusively(ticket.key) {
                    try await self.retryingConflicts {
                        try await self.process(event, applicant: ticket.key, key: key)
                    }
                }
            }
        } catch {
            return self.notHandled(key, error: error)
        }
    }

    /// A message whose work failed (nothing of it stored): its key is free for a retry, the applicant is told the
    /// service is busy.
    private func notHandled(_ key: String, error: any Error) -> Outcome {
        let now = self.clock()
        self.ledger.abandon(key, at: now)
        self.logger.error("message not handled; nothing stored", metadata: ["error": "\(error)"])
        self.metrics.increment(.replies, label: "error")
        return .reply(self.machine.replies.render("system.busy"), at: now)
    }

    private func process(_ event: ConversationEvent, applicant: ApplicantID, key: String) async throws -> Outcome {
        switch try await self.prepare(event, applicant: applicant, key: key) {
        case .answered(let outcome):
            return outcome
        case .write(let message):
            // Durable first: the reply that confirms a case leaves only once the case is on disk.
            let written: Result<Void, any Error>
            do {
                try await self.store.write(message.changes)
                written = .success(())
            } catch {
                written = .failure(error)
            }
            return try await self.finish(message, written: written)
        }
    }

    /// A message's work up to its durable write: the conversation read, the machine's step, and what to write with
    /// the reply (the conversation, the retry record, what the step filed or changed, answers held for the
    /// applicant's window). Nothing is stored; the answers held for the window that it takes along are given back by
    /// ``finish(_:written:)`` if the write fails.
    private func prepare(_ event: ConversationEvent, applicant: ApplicantID, key: String) async throws -> Preparation {
        let now = self.clock()
        let stored: Conversation
        // The applicant's reminders, when read with the conversation (nil: not read yet).
        var reminders: ReminderBook??
        if self.coordination.isSingleInstance {
            stored = try await self.conversation(applicant, now: now)
        } else {
            // Fresh under the applicant's lock, in one read: the conversation, and the message's retry record.
            let keys = [
                DocumentKey(collection: RetryRecord.collection, id: key),
                DocumentKey(collection: Conversation.collection, id: applicant.rawValue),
                DocumentKey(collection: ReminderBook.collection, id: applicant.rawValue),
            ]
            let found = try await self.store.documents(keys)
            if let json = found[keys[0]] {
                // A retry that reached this instance while another one handled the first delivery: answer as it did.
                let done = try StoreCoding.decode(RetryRecord.self, key: keys[0], from: json)
                self.ledger.finish(key, reply: done.reply, at: done.handledAt)
                return .answered(done.reply.map { .reply($0, at: done.handledAt) } ?? .noReply)
            }
            stored =
                try found[keys[1]].map { try StoreCoding.decode(Conversation.self, key: keys[1], from: $0) }
                ?? Conversation(applicant: applicant, updatedAt: now)
            reminders = .some(
                try found[keys[2]].map { try StoreCoding.decode(ReminderBook.self, key: keys[2], from: $0) })
        }
        let handoff = try await self.owningHandoff(of: stored)
        let cases = self.casesByApplicant.withLock { $0[applicant] ?? [] }
        let day = CaseNumbering.day(self.machine.caseID(filedAt: now, sequence: 1))
        let waiting = self.handoffs.waitingCounts()
        let position = handoff.flatMap { self.handoffs.position(of: $0.id) }
        var conversation = stored
        let context = ConversationContext(
            now: now, applicant: applicant,
            caseID: self.machine.caseID(filedAt: now, sequence: self.numbering.peek(day: day)),
            cases: cases.reversed(), waiting: waiting, handoffID: self.handoffs.nextID(), queuePosition: position,
            knowledge: self.knowledge, questionID: QuestionID(sequence: self.questionNumbers.withLock { $0 } + 1)
        )
        // The machine is pure: when another conversation took the case or handoff id first, the create-only
        // write below fails, and the work runs again with the next ids (``retryingConflicts(_:)``).
        let step = self.machine.step(event, conversation: &conversation, handoff: handoff, context: context)
        if step.reclaimedFromStaleHandoff {
            self.logger.error("conversation owned by a handoff that is not open; the bot takes it back")
        }
        var changes: [DocumentChange] = try step.filed.map { try .create($0) }
        // The media evidence of each case is fetched by a durable job created in the same write: none lost, none twice.
        changes += try EvidenceJob.creations(for: step.filed)
        var reply = step.reply
        var audits = step.audits
        if step.erasureRequested {
            // One request at a time: a second while the first waits is answered with where it stands.
            let waiting = try await self.store.all(ErasureRequest.self)
                .contains { $0.applicant == applicant && $0.status == .pending }
            if waiting {
                reply = self.machine.replies.render("erase.pending")
                audits.removeAll { $0.action == .erasureRequested }
            } else {
                changes.append(try .create(ErasureRequest(id: self.makeID(), applicant: applicant, requestedAt: now)))
            }
        }
        changes += try audits.map { try .put(self.audit($0, applicant: applicant, at: now)) }
        let withdrawn = try await self.withdraw(step.withdrawn, of: applicant, at: now)
        for record in withdrawn.records {
            changes.append(try .put(record))
            changes.append(
                try .put(
                    AuditEvent(
                        id: self.makeID(), at: now, actor: "applicant", action: .caseChanged, conversation: applicant,
                        caseID: record.id, detail: CaseChange.withdraw.name)))
        }
        var rated: [CaseRecord] = []
        for given in step.ratings {
            guard var record = try await self.store.get(CaseRecord.self, id: given.caseID.rawValue),
                record.applicant == applicant
            else { continue }
            do {
                try record.rate(score: given.score, comment: given.comment, at: now)
                changes.append(try .put(record))
                rated.append(record)
            } catch {
                self.logger.warning("rating not recorded", metadata: ["case": "\(given.caseID)", "error": "\(error)"])
            }
        }
        if let refused = withdrawn.refused {
            // The case moved on since the applicant was offered the withdrawal (staff concluded it, say).
            reply = self.machine.replies.render("withdraw.failed", ["case_id": refused.rawValue])
        }
        // Reminders set or cancelled, and those held for a closed window given with this reply.
        changes += try await self.reminderChanges(
            step.effects, applicant: applicant, stored: reminders, reply: &reply, now: now)
        // The visit, for the reports: a new one after a pause, marked once a person is brought in.
        let visit = ConversationSession.session(
            continuing: stored.session, lastEventAt: stored.updatedAt, now: now, newID: self.makeID)
        var (session, changed) = (visit.session, visit.isNew)
        if step.opened != nil, !session.handedOff {
            session.handedOff = true
            changed = true
        }
        conversation.session = session
        if changed { changes.append(try .put(session)) }
        if let question = step.question { changes.append(try .create(question)) }
        changes += try await self.questionChanges(step, applicant: applicant, now: now)
        if let opened = step.opened { changes.append(try .create(opened)) }
        if let changed = step.handoff { changes.append(try .put(changed)) }
        // Answers held for a closed 48-hour window ride along with the reply; they are marked delivered in the same
        // write, or not at all.
        var held = HeldHandover.empty
        if reply != nil, let outbound = self.outbound {
            held = try await outbound.prepareHeld(for: applicant, owner: conversation.owner)
            if !held.texts.isEmpty, let text = reply {
                let earlier = self.machine.replies.render(
                    "outbox.held", ["messages": held.texts.joined(separator: "\n\n")])
                reply = earlier + "\n\n" + text
                changes += held.changes
            }
        }
        conversation.updatedAt = now
        do {
            changes.append(try .put(conversation))
            changes.append(try .put(RetryRecord(id: key, reply: reply, handledAt: now)))
        } catch {
            held.rollback()
            throw error
        }
        return .write(
            PreparedMessage(
                applicant: applicant, key: key, now: now, conversation: conversation, changes: changes, reply: reply,
                step: step, changedCases: withdrawn.records + rated, held: held))
    }

    /// The rest of a message's work once its durable write is done (`written`): the reply delivered (passively, or
    /// through the outbox when every request for it gave up waiting) and what this instance keeps in memory brought
    /// up to date. A failed write throws its error, after taking note of the ids it met taken (a conflict).
    private func finish(_ message: PreparedMessage, written: Result<Void, any Error>) async throws -> Outcome {
        let (applicant, key, now, step, reply) = (
            message.applicant, message.key, message.now, message.step, message.reply
        )
        do {
            try written.get()
        } catch {
            message.held.rollback()
            if let error = error as? StoreError, error.code == .conflict {
                try await self.learnTaken(cases: step.filed.map(\.id), handoff: step.opened?.id)
                if let question = step.question,
                    try await self.store.document(collection: QuestionRecord.collection, id: question.id.rawValue)
                        != nil
                {
                    self.observe(question.id)
                }
            }
            throw error
        }
        message.held.commit()
        let record = message.conversation
        if self.coordination.isSingleInstance { self.conversations.withLock { $0.remember(record) } }
        if reply == nil, let outbound = self.outbound {
            // No passive reply to carry what waited for the applicant's window (staff's answers, say): the
            // applicant just wrote, so the window is open and the API can deliver them.
            do {
                try await outbound.releaseHeld(for: applicant)
            } catch {
                self.logger.warning("held messages not released", metadata: ["error": "\(error)"])
            }
        }
        if self.ledger.finish(key, reply: reply, at: now) == .outbox, let reply {
            // Every request gave up waiting (the 5-second rule): the customer-service API delivers it.
            do {
                try await self.sendLate(
                    reply, to: applicant, author: record.owner == .queue ? .queue : .bot, key: key, now: now)
            } catch {
                self.logger.error("late answer could not be queued", metadata: ["error": "\(error)"])
            }
        }
        let outcome: Outcome = reply.map { .reply($0, at: now) } ?? .noReply
        if outcome == .noReply, !record.closed { await self.sendHeldReminders(of: applicant) }
        if let question = step.question {
            self.observe(question.id)
            self.questionFiled.withLock { $0 }?(question)
        }
        for changed in [step.opened, step.handoff].compactMap({ $0 }) { self.handoffs.update(changed) }
        if let opened = step.opened { self.metrics.increment(.handoffs, label: opened.status.rawValue) }
        if let unit = step.leftQueue { self.queueMoved(in: unit) }
        if !message.changedCases.isEmpty { self.takeIn(message.changedCases) }
        if !step.filed.isEmpty {
            self.takeIn(step.filed)
            self.evidenceCreated.withLock { $0 }?(step.filed.flatMap(EvidenceJob.jobs(for:)))
            for record in step.filed { self.metrics.increment(.casesFiled, label: record.kind.rawValue) }
        }
        return outcome
    }

    /// Queues a late answer for the customer-service API and, in the same write, marks the message's retry
    /// record as answered through the outbox, so that a retry arriving after a restart gets `success` rather
    /// than the same answer a second time.
    func sendLate(
        _ reply: String, to applicant: ApplicantID, author: OutboxAuthor, key: String, now: Date
    ) async throws {
        guard let outbound = self.outbound else { return }
        let outgoing = try await outbound.prepare(reply, to: applicant, author: author)
        do {
            try await self.store.write(outgoing.changes + [try .put(RetryRecord(id: key, reply: nil, handledAt: now))])
        } catch {
            outgoing.rollback()
            throw error
        }
        outgoing.commit()
    }

    /// The applicant's conversation: from memory (when this instance is alone on its store), else from the
    /// store, else a new one. Called while holding the applicant's lock, so the store's copy is the latest.
    func conversation(_ applicant: ApplicantID, now: Date) async throws -> Conversation {
        if self.coordination.isSingleInstance,
            let cached = self.conversations.withLock({ $0.conversation(of: applicant) })
        {
            return cached
        }
        if let stored = try await self.store.conversation(of: applicant) { return stored }
        return Conversation(applicant: applicant, updatedAt: now)
    }

    /// Takes note of a conversation written outside a message (a case's change asking for a rating): the memory of
    /// a lone instance must not keep the older copy.
    func remember(_ conversation: Conversation) {
        if self.coordination.isSingleInstance {
            self.conversations.withLock { $0.remember(conversation) }
        }
    }

    /// The handoff that owns `conversation`, if any: from the index when this instance is alone, else read fresh
    /// from the store (another instance may have claimed or closed it) and taken into the index.
    func owningHandoff(of conversation: Conversation) async throws -> HandoffRecord? {
        guard conversation.owner != .bot else { return nil }
        if self.coordination.isSingleInstance { return self.handoffs.owning(conversation.applicant) }
        guard let id = conversation.handoffID, let record = try await self.store.handoff(id) else {
            return self.handoffs.owning(conversation.applicant)
        }
        self.handoffs.update(record)
        return record
    }

    /// Runs `body` while no other instance works on the applicant's conversation (a no-op when alone).
    func exclusively<T: Sendable>(_ applicant: ApplicantID, _ body: @Sendable () async throws -> T) async throws -> T {
        try await self.coordination.exclusively("applicant:" + applicant.rawValue, body)
    }

    /// Runs `body` again when its create-only write met a case number, handoff id or outbox id that another
    /// conversation took first (``StoreError/Code/conflict``); the ids taken were observed before the error.
    func retryingConflicts<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let error as StoreError where error.code == .conflict && attempt < Self.conflictAttempts {
                attempt += 1
                self.metrics.increment(.storeConflicts)
            }
        }
    }

    /// After a create-only write failed: takes note of those of the ids that exist now, so the next attempt
    /// gets the next ones (and never skips one that is still free).
    func learnTaken(cases: [CaseID], handoff: HandoffID?) async throws {
        for id in cases where try await self.store.document(collection: CaseRecord.collection, id: id.rawValue) != nil {
            self.numbering.observe(id)
        }
        if let handoff, try await self.store.handoff(handoff) != nil { self.handoffs.observe(handoff) }
    }

    /// Takes note of a question id that exists (written here or by another instance).
    func observe(_ question: QuestionID) {
        guard let sequence = question.sequence else { return }
        self.questionNumbers.withLock { $0 = max($0, sequence) }
    }

    /// The applicant's answers to volunteers' follow-ups and their ratings of answers, applied to the questions read
    /// fresh (the applicant's lock is held). One that no longer fits (the question was put back, the wait ran out)
    /// is logged and left out: the message is not refused for it.
    func questionChanges(_ step: ConversationStep, applicant: ApplicantID, now: Date) async throws -> [DocumentChange] {
        var changes: [DocumentChange] = []
        let ids = step.questionReplies.map(\.question) + step.answerRatings.map(\.question)
        for id in ids {
            guard var record = try await self.store.get(QuestionRecord.self, id: id.rawValue),
                record.applicant == applicant
            else { continue }
            do {
                if let reply = step.questionReplies.first(where: { $0.question == id }) {
                    try record.recordReply(text: reply.text, at: now)
                }
                if let rating = step.answerRatings.first(where: { $0.question == id }) {
                    try record.rate(helpful: rating.helpful, comment: rating.comment, at: now)
                }
                changes.append(try .put(record))
            } catch {
                self.logger.warning("question not updated", metadata: ["question": "\(id)", "error": "\(error)"])
            }
        }
        return changes
    }

    /// The applicant's cases `ids` as withdrawn by them (read fresh: the applicant's lock is held), and the first
    /// one that could not be (not theirs any more, or its status moved on).
    func withdraw(_ ids: [CaseID], of applicant: ApplicantID, at now: Date) async throws -> (
        records: [CaseRecord], refused: CaseID?
    ) {
        var records: [CaseRecord] = []
        for id in ids {
            guard var record = try await self.store.get(CaseRecord.self, id: id.rawValue),
                record.applicant == applicant,
                (try? record.apply(.withdraw, by: "applicant", at: now)) != nil
            else { return ([], id) }
            records.append(record)
        }
        return (records, nil)
    }

    /// Takes in cases as stored (filed here, or by another instance): progress answers, the numbering and the
    /// case index. An anonymised case belongs to nobody any more: it leaves its applicant's list.
    func takeIn(_ records: [CaseRecord]) {
        self.caseIndex.update(records)
        self.casesByApplicant.withLock { byApplicant in
            for record in records {
                guard !record.applicant.isErased else {
                    // Rare (an erasure, the retention sweep): found by looking through the lists.
                    if let owner = byApplicant.first(where: { $0.value.contains { $0.id == record.id } })?.key {
                        byApplicant[owner]?.removeAll { $0.id == record.id }
                        if byApplicant[owner]?.isEmpty == true { byApplicant[owner] = nil }
                    }
                    continue
                }
                var list = byApplicant[record.applicant] ?? []
                if let index = list.firstIndex(where: { $0.id == record.id }) {
                    list[index] = record.summary
                } else {
                    list.append(record.summary)
                }
                byApplicant[record.applicant] = list
            }
        }
        for record in records { self.numbering.observe(record.id) }
    }

    /// The cases by applicant, oldest first.
    static func summaries(of cases: [CaseRecord]) -> [ApplicantID: [CaseSummary]] {
        var byApplicant: [ApplicantID: [CaseSummary]] = [:]
        for record in cases.sorted(by: { $0.createdAt < $1.createdAt }) where !record.applicant.isErased {
            byApplicant[record.applicant, default: []].append(record.summary)
        }
        return byApplicant
    }

    /// Forgets what this instance holds of an applicant whose data was erased: their cases (taken in as
    /// anonymised), their conversation, their handoffs (taken in as anonymised).
    func forget(_ applicant: ApplicantID, anonymised cases: [CaseRecord], handoffs: [HandoffRecord]) {
        self.takeIn(cases)
        self.casesByApplicant.withLock { _ = $0.removeValue(forKey: applicant) }
        self.conversations.withLock { $0.forget(applicant) }
        for handoff in handoffs { self.handoffs.update(handoff) }
    }

    /// `entry` as a stored audit event about the applicant's conversation, with a fresh id.
    func audit(_ entry: AuditEntry, applicant: ApplicantID, at now: Date) -> AuditEvent {
        AuditEvent(id: self.makeID(), at: now, conversation: applicant, entry)
    }

    /// The applicant did something that reopens their 48-hour window but gives the conversation nothing to
    /// do (a QR scan, a menu click that starts nothing): what the outbox held for the closed window goes out
    /// through the customer-service API now.
    public func applicantReturned(_ applicant: ApplicantID) async {
        do {
            try await self.outbound?.releaseHeld(for: applicant)
        } catch {
            self.logger.warning("held messages not released", metadata: ["error": "\(error)"])
        }
    }

    /// How many answers the retry ledger holds (for benchmarks and tests).
    package var retryAnswersHeld: Int { self.ledger.count }

    /// How many conversations are kept decoded in memory (for tests and benchmarks).
    package var conversationsHeld: Int { self.conversations.withLock { $0.count } }

    /// How many waits for an answer still hold their deadline (an answer's entry is dropped when its budget lapses).
    package var pendingReplyDeadlines: Int { self.replyDeadlines.pending }

    /// Forgets answers older than the dedupe window, in memory and in the store; and drops from memory the
    /// conversations not written since (at rest: their applicants had their answers and have not written since).
    public func sweepRetries() async throws {
        let cutoff = self.clock().addingTimeInterval(-self.dedupeWindow)
        self.conversations.withLock { $0.forget(idleBefore: cutoff) }
        let expired = self.ledger.expire(before: cutoff)
        guard !expired.isEmpty else { return }
        try await self.store.write(expired.map { DocumentChange.delete(collection: RetryRecord.collection, id: $0) })
    }
}
