import Foundation
import Logging
import WeiquanCore
import WeiquanStore

/// What staff do with handoffs: list, read, claim, write, note, transfer, release and close, plus the
/// desk's timers (idle release, the offer after a long wait, the desk closing).
///
/// Every change runs in the applicant's lane (``ConversationService/edit(_:handoffID:_:)``), so it is
/// ordered with the applicant's messages: the claim that a message races either comes first (the bot
/// stays silent) or second (the bot answered while it still owned the conversation). Every change is
/// written with its audit event in one durable write.
public final class DeskService: Sendable {
    let service: ConversationService
    let tokens: TokenRegistry
    let logger: Logger

    /// Longest message staff may send (WeChat refuses long customer-service texts).
    public static let maxMessageLength = 1000

    public init(service: ConversationService, tokens: TokenRegistry, logger: Logger = Logger(label: "weiquan.desk")) {
        self.service = service
        self.tokens = tokens
        self.logger = logger
    }

    var machine: ConversationMachine { self.service.machine }
    var policy: DeskPolicy { self.machine.configuration.desk }
    var directory: OrgDirectory { self.machine.configuration.directory }

    // MARK: - Reading

    /// The open handoffs the caller may see, oldest request first.
    /// - Parameters:
    ///   - statuses: Only these (default: all open ones).
    ///   - unit: Only this unit's (a unit-bound token sees only its own unit).
    public func list(
        _ who: StaffIdentity, statuses: Set<HandoffRecord.Status>? = nil, unit: UnitID? = nil
    ) throws -> [HandoffView] {
        try Self.requireStaff(who)
        if let unit {
            guard self.directory.unit(id: unit) != nil else { throw DeskError.notFound("unit '\(unit)'") }
            try Self.requireUnit(who, unit)
        }
        let now = self.service.clock()
        return self.service.handoffs.list(statuses: statuses, unit: unit ?? who.unit).map { self.view($0, now: now) }
    }

    /// One handoff with its transcript (also an ended one).
    public func detail(_ who: StaffIdentity, _ id: HandoffID) async throws -> HandoffView {
        let record = try await self.find(who, id)
        return self.view(record, now: self.service.clock(), transcript: true)
    }

    func view(_ record: HandoffRecord, now: Date, transcript: Bool = false) -> HandoffView {
        HandoffView(
            record, unitName: self.machine.unitName(record.unit),
            position: self.service.handoffs.position(of: record.id),
            now: now, transcript: transcript
        )
    }

    /// The handoff, if the caller may work on it: from memory when this instance is alone on its store; else from
    /// the store, since memory may lag another instance's change by the moment word of it takes (a claim there
    /// would not show here yet).
    func find(_ who: StaffIdentity, _ id: HandoffID) async throws -> HandoffRecord {
        try Self.requireStaff(who)
        var found = self.service.coordination.isSingleInstance ? self.service.handoffs.record(id) : nil
        if found == nil { found = try await self.service.store.handoff(id) }
        guard let record = found else { throw DeskError.notFound("handoff '\(id)'") }
        try Self.requireUnit(who, record.unit)
        return record
    }

    // MARK: - Working a handoff

    /// Takes a waiting handoff: the caller owns the conversation from now on and the applicant is told.
    /// A second claim, however close, gets `409 already_claimed`.
    public func claim(_ who: StaffIdentity, _ id: HandoffID) async throws -> HandoffView {
        let found = try await self.find(who, id)
        let machine = self.machine
        let record = try await self.change(found, by: who, action: .handoffClaimed) { edit, handoff in
            let notice = try machine.claim(&handoff, conversation: &edit.conversation, by: who.name, now: edit.now)
            edit.messages.append((notice, .desk))
        }
        self.service.metrics.observe(
            .handoffWaitSeconds, seconds: (record.claimedAt ?? record.requestedAt).timeIntervalSince(record.requestedAt)
        )
        self.service.queueMoved(in: record.unit)
        return self.view(record, now: self.service.clock())
    }

    /// Sends a message to the applicant through the outbox. Only the staff member who owns the conversation
    /// may; a left question or call-back may be answered by anyone of its unit without taking it over.
    public func send(_ who: StaffIdentity, _ id: HandoffID, text: String) async throws -> HandoffView {
        let text = try Self.checkedText(text, limit: Self.maxMessageLength)
        let found = try await self.find(who, id)
        let record = try await self.change(found, by: who, action: .messageSent) { edit, handoff in
            try handoff.recordStaffMessage(text, by: who.actor, at: edit.now)
            edit.messages.append((text, .staff(who.name)))
        }
        return self.view(record, now: self.service.clock())
    }

    /// An internal note on the transcript; never sent.
    public func note(_ who: StaffIdentity, _ id: HandoffID, text: String) async throws -> HandoffView {
        let text = try Self.checkedText(text, limit: 4000)
        let found = try await self.find(who, id)
        let record = try await self.change(found, by: who, action: .noteAdded) { edit, handoff in
            try handoff.addNote(text, by: who.actor, at: edit.now)
        }
        return self.view(record, now: self.service.clock())
    }

    /// Hands a claimed conversation to another staff member, or puts a handoff in another unit's queue
    /// (keeping its place by the time of the request).
    public func transfer(
        _ who: StaffIdentity, _ id: HandoffID, toStaff: String?, toUnit: UnitID?
    ) async throws -> HandoffView {
        guard (toStaff == nil) != (toUnit == nil) else {
            throw DeskError.badRequest("give exactly one of 'to_staff' and 'to_unit'")
        }
        let found = try await self.find(who, id)
        let machine = self.machine
        if let toStaff {
            guard let target = await self.tokens.identity(named: toStaff), target.role != .volunteer else {
                throw DeskError.unprocessable("unknown_staff", "no staff token named '\(toStaff)'")
            }
            guard target.role == .admin || target.unit == nil || target.unit == found.unit else {
                throw DeskError.forbiddenUnit(found.unit)
            }
            let record = try await self.change(
                found, by: who, action: .handoffTransferred, detail: "to_staff=\(toStaff)"
            ) {
                edit, handoff in
                let notice = try machine.transfer(
                    &handoff, conversation: &edit.conversation, toStaff: target.name, by: who.actor, now: edit.now
                )
                edit.messages.append((notice, .desk))
            }
            return self.view(record, now: self.service.clock())
        }
        let unit = toUnit ?? ""
        guard self.directory.unit(id: unit) != nil else {
            throw DeskError.unprocessable("unknown_unit", "no unit '\(unit)' in the directory")
        }
        let index = self.service.handoffs
        let record = try await self.change(found, by: who, action: .handoffTransferred, detail: "to_unit=\(unit)") {
            edit, handoff in
            let notice = try machine.transfer(
                &handoff, conversation: &edit.conversation, toUnit: unit, by: who.actor, now: edit.now,
                position: index.position(for:)
            )
            edit.messages.append((notice, .desk))
        }
        self.service.queueMoved(in: found.unit)
        return self.view(record, now: self.service.clock())
    }

    /// Hands the conversation back to the bot: the form the applicant was filling in goes on where it was
    /// (`resume`), or the bot starts afresh.
    public func release(_ who: StaffIdentity, _ id: HandoffID, resume: Bool) async throws -> HandoffView {
        let found = try await self.find(who, id)
        let machine = self.machine
        let record = try await self.change(found, by: who, action: .handoffReleased, detail: "resume=\(resume)") {
            edit, handoff in
            try handoff.checkRelease(by: who.actor)
            let text = machine.handBack(
                &handoff, conversation: &edit.conversation, outcome: .released, resume: resume, by: who.name,
                now: edit.now
            )
            edit.messages.append((text, .desk))
        }
        if found.status == .waiting { self.service.queueMoved(in: found.unit) }
        return self.view(record, now: self.service.clock())
    }

    /// Closes a handoff: the matter is dealt with. A conversation it owned goes back to the bot at a clean
    /// state; a call-back or question is simply done.
    public func close(_ who: StaffIdentity, _ id: HandoffID, note: String?) async throws -> HandoffView {
        let note = try note.map { try Self.checkedText($0, limit: 4000) }
        let found = try await self.find(who, id)
        let machine = self.machine
        let record = try await self.change(found, by: who, action: .handoffClosed) { edit, handoff in
            try handoff.checkClose(by: who.actor)
            if let note { handoff.append(.note, note, author: who.name, at: edit.now) }
            if handoff.ownsConversation {
                let text = machine.handBack(
                    &handoff, conversation: &edit.conversation, outcome: .closed, resume: false, by: who.name,
                    now: edit.now
                )
                edit.messages.append((text, .desk))
            } else {
                handoff.finish(.closed, by: who.name, at: edit.now)
            }
        }
        if found.status == .waiting { self.service.queueMoved(in: found.unit) }
        return self.view(record, now: self.service.clock())
    }

    /// Takes over a conversation nobody asked to hand over: it is the caller's at once.
    public func takeOver(_ who: StaffIdentity, conversation applicant: ApplicantID) async throws -> HandoffView {
        try Self.requireStaff(who)
        if let owning = self.service.handoffs.owning(applicant) {
            if owning.status == .waiting { return try await self.claim(who, owning.id) }
            throw DeskError(
                HandoffError.conversationTaken(applicant: applicant, handoff: owning.id, assignee: owning.assignee))
        }
        guard try await self.service.store.conversation(of: applicant) != nil else {
            throw DeskError.notFound("conversation '\(applicant)'")
        }
        let service = self.service
        let machine = self.machine
        let record = try await Self.translatingHandoffErrors {
            try await service.edit(applicant, handoffID: nil) { edit -> HandoffRecord in
                // A takeover files no case: the context gets the day's sequence 0, an id no case is given.
                let context = ConversationContext(
                    now: edit.now, applicant: applicant, caseID: machine.caseID(filedAt: edit.now, sequence: 0),
                    handoffID: service.handoffs.nextID()
                )
                let (handoff, notice) = try machine.takeOver(
                    &edit.conversation, unit: who.unit, by: who.name, context: context
                )
                edit.messages.append((notice, .desk))
                edit.audits.append(AuditEntry(.handoffTakenOver, actor: who.name, handoffID: handoff.id))
                edit.handoff = handoff
                return handoff
            }
        }
        return self.view(record, now: self.service.clock())
    }

    // MARK: - Helpers

    /// Changes a handoff in its applicant's lane with the audit event of `action`; returns it as stored.
    func change(
        _ found: HandoffRecord, by who: StaffIdentity, action: AuditAction, detail: String? = nil,
        _ body: @escaping @Sendable (inout ConversationService.Edit, inout HandoffRecord) throws -> Void
    ) async throws -> HandoffRecord {
        try await Self.translatingHandoffErrors {
            try await self.service.edit(found.applicant, handoffID: found.id) { edit in
                guard var handoff = edit.handoff else { throw DeskError.notFound("handoff '\(found.id)'") }
                try body(&edit, &handoff)
                edit.handoff = handoff
                edit.audits.append(AuditEntry(action, actor: who.name, handoffID: handoff.id, detail: detail))
                return handoff
            }
        }
    }

    /// A change made by the desk's timers (actor `desk`); nothing is written when the body changes nothing.
    func timerChange(
        _ found: HandoffRecord, action: AuditAction,
        _ body: @escaping @Sendable (inout ConversationService.Edit, inout HandoffRecord) throws -> Void
    ) async throws {
        let service = self.service
        let wasWaiting = found.status == .waiting
        let after = try await service.edit(found.applicant, handoffID: found.id) { edit -> HandoffRecord? in
            guard var handoff = edit.handoff else { return nil }
            let before = handoff
            try body(&edit, &handoff)
            guard handoff != before else { return nil }
            edit.handoff = handoff
            edit.audits.append(AuditEntry(action, actor: AuditEntry.desk, handoffID: handoff.id))
            return handoff
        }
        if wasWaiting, let after, after.status != .waiting { service.queueMoved(in: after.unit) }
    }

    /// Runs `body`, turning the core's refusals into the desk's errors.
    static func translatingHandoffErrors<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as HandoffError {
            throw DeskError(error)
        }
    }

    static func requireStaff(_ who: StaffIdentity) throws {
        guard who.role == .admin || who.role == .staff else { throw DeskError.forbiddenRole(who.role.rawValue) }
    }

    static func requireUnit(_ who: StaffIdentity, _ unit: UnitID) throws {
        guard who.role == .admin || who.unit == nil || who.unit == unit else { throw DeskError.forbiddenUnit(unit) }
    }

    static func checkedText(_ text: String, limit: Int, field: String = "text") throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw DeskError.badRequest("'\(field)' is empty") }
        guard trimmed.count <= limit else {
            throw DeskError.badRequest(
                "'\(field)' has \(trimmed.count) characters; at most \(limit)", code: "text_too_long")
        }
        return trimmed
    }
}
