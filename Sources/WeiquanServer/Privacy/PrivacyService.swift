import Foundation
import Logging
import WeiquanCore
import WeiquanStore

/// The applicant's right to have their personal data deleted (PIPL Art 47), and the retention period they were
/// told of (ip-domain.md §6.1).
///
/// - **Erasure**: the bot files an ``ErasureRequest`` when the applicant confirms 删除我的信息; staff of the centre
///   confirm or decline it here. Confirming withdraws the applicant's open aid requests, anonymises their cases and
///   handoffs (``CaseRecord/anonymise(as:keeping:reason:at:)``: the counts survive for the reports), deletes their
///   conversation and the evidence jobs, tells them through the outbox, and audits it — in one durable write,
///   under the applicant's lane and lock, on fresh data. The evidence's bytes go after the write, unless another
///   case refers to the same bytes.
/// - **Retention**: ``sweepRetention()`` anonymises the cases that ended (concluded, closed, not accepted,
///   withdrawn, archived) more than `conversation.retention_years` ago and the handoffs ended that long ago.
///
/// Who decides: admins and staff of no unit (the centre's own staff); staff of a unit and volunteers get 403.
public struct PrivacyService: Sendable {
    let service: ConversationService
    let blobs: any BlobStore
    let logger: Logger

    var store: any DocumentStore { self.service.store }
    var configuration: CentreConfiguration { self.service.machine.configuration }
    /// The answers an anonymised case keeps.
    var kept: Set<String> { Set(self.configuration.conversation.anonymisedFieldsKept) }

    init(service: ConversationService, blobs: any BlobStore, logger: Logger) {
        self.service = service
        self.blobs = blobs
        self.logger = logger
    }

    // MARK: - Staff

    /// The erasure requests, oldest first; only those of `status` when given.
    public func requests(_ who: StaffIdentity, status: ErasureRequest.Status?) async throws -> [ErasureRequest] {
        try Self.requireCentre(who)
        return try await self.store.all(ErasureRequest.self)
            .filter { status == nil || $0.status == status }
            .sorted { ($0.requestedAt, $0.id) < ($1.requestedAt, $1.id) }
    }

    /// Carries out a pending request: the applicant's data anonymised or deleted, the applicant told.
    public func confirm(_ who: StaffIdentity, _ id: String) async throws -> ErasureRequest {
        try Self.requireCentre(who)
        let applicant = try await self.pending(id).applicant
        let service = self.service
        let (request, result) = try await service.lanes.run(applicant) {
            try await service.exclusively(applicant) {
                try await service.retryingConflicts { try await self.confirmOnce(who, id) }
            }
        }
        service.forget(applicant, anonymised: result.cases, handoffs: result.handoffs)
        await self.deleteUnreferenced(result.blobs)
        // The audit trail keeps what happened, under the pseudonym: its events would otherwise link the OpenID to
        // the anonymised cases. Events of a later conversation of the same OpenID are not touched.
        let decided = request.decidedAt ?? self.service.clock()
        await self.pseudonymiseAudit { event in
            event.conversation == applicant && event.at <= decided ? request.applicant : nil
        }
        self.logger.info(
            "personal data erased",
            metadata: ["erasure": "\(id)", "cases": "\(result.cases.count)", "handoffs": "\(result.handoffs.count)"])
        return request
    }

    /// Declines a pending request with the reason the applicant is told.
    public func decline(_ who: StaffIdentity, _ id: String, reason: String) async throws -> ErasureRequest {
        try Self.requireCentre(who)
        let checked = try DeskService.checkedText(reason, limit: 500, field: "reason")
        var request = try await self.pending(id)
        let now = self.service.clock()
        request.status = .declined
        request.decidedBy = who.name
        request.decidedAt = now
        request.reason = checked
        var changes: [DocumentChange] = [
            try .put(request),
            try .put(
                AuditEvent(
                    id: self.service.makeID(), at: now, actor: who.name, action: .erasureDeclined,
                    conversation: request.applicant, detail: "erasure=\(id)")),
        ]
        let notice = try await self.prepareNotice(
            self.service.machine.replies.render("erase.declined", ["reason": checked]), to: request.applicant)
        changes += notice?.changes ?? []
        do {
            try await self.store.write(changes)
        } catch {
            notice?.rollback()
            throw error
        }
        notice?.commit()
        return request
    }

    // MARK: - Retention

    /// Anonymises what was kept longer than `conversation.retention_years`: cases ended that long ago (one write
    /// each, under the applicant's lock, checked again on a fresh copy) and handoffs ended that long ago. Returns how
    /// many cases and handoffs it anonymised.
    @discardableResult
    public func sweepRetention() async throws -> (cases: Int, handoffs: Int) {
        let years = self.configuration.conversation.retentionYears
        let calendar = self.calendar
        let now = self.service.clock()
        let due = try await self.store.all(CaseRecord.self)
            .filter { $0.isPastRetention(years: years, at: now, calendar: calendar) }
        var anonymised: [CaseRecord] = []
        var blobs: Set<String> = []
        let service = self.service
        for found in due {
            let applicant = found.applicant
            let result = try await service.lanes.run(applicant) {
                try await service.exclusively(applicant) { try await self.expireOnce(found.id) }
            }
            guard let (record, shas) = result else { continue }
            anonymised.append(record)
            blobs.formUnion(shas)
        }
        if !anonymised.isEmpty { service.takeIn(anonymised) }
        let handoffs = try await self.expireHandoffs(years: years, now: now)
        try await self.expireQuestions(years: years, now: now)
        await self.deleteUnreferenced(blobs)
        let pseudonyms = Dictionary(uniqueKeysWithValues: anonymised.map { ($0.id, $0.applicant) })
        if !pseudonyms.isEmpty {
            await self.pseudonymiseAudit { event in
                guard let id = event.caseID, event.conversation?.isErased == false else { return nil }
                return pseudonyms[id]
            }
        }
        if !anonymised.isEmpty || handoffs > 0 {
            self.logger.info(
                "retention period over: personal data anonymised",
                metadata: ["cases": "\(anonymised.count)", "handoffs": "\(handoffs)"])
        }
        return (anonymised.count, handoffs)
    }

    /// The years the retention is counted in: the centre's calendar.
    var calendar: Calendar { self.service.machine.calendar }

    private func expireOnce(_ id: CaseID) async throws -> (CaseRecord, Set<String>)? {
        let now = self.service.clock()
        let years = self.configuration.conversation.retentionYears
        guard var record = try await self.store.get(CaseRecord.self, id: id.rawValue),
            record.isPastRetention(years: years, at: now, calendar: self.calendar)
        else { return nil }
        let shas = Set(record.evidence.compactMap(\.sha256))
        let jobs = record.mediaAttachments.map { EvidenceJob.id(record.id, $0.number) }
        record.anonymise(as: .erased(self.service.makeID()), keeping: self.kept, reason: .retention, at: now)
        var changes: [DocumentChange] = [try .put(record)]
        changes += jobs.map { DocumentChange.delete(collection: EvidenceJob.collection, id: $0) }
        changes.append(
            try .put(
                AuditEvent(
                    id: self.service.makeID(), at: now, actor: "retention", action: .caseAnonymised,
                    conversation: nil, caseID: record.id, detail: "retention_years=\(years)")))
        try await self.store.write(changes)
        return (record, shas)
    }

    private func expireHandoffs(years: Int, now: Date) async throws -> Int {
        let calendar = self.calendar
        let due = try await self.store.all(HandoffRecord.self).filter { handoff in
            guard !handoff.applicant.isErased, !handoff.isOpen, let ended = handoff.endedAt,
                let expiry = calendar.date(byAdding: .year, value: years, to: ended)
            else { return false }
            return expiry <= now
        }
        try await self.anonymiseInBatches(due, named: "handoffs", years: years, now: now) { handoff in
            handoff.anonymise(as: .erased(self.service.makeID()))
        } written: { batch in
            for handoff in batch { self.service.handoffs.update(handoff) }
        }
        return due.count
    }

    /// Anonymises the finished questions asked more than `years` ago.
    private func expireQuestions(years: Int, now: Date) async throws {
        let calendar = self.calendar
        let redactor = self.service.machine.redactor
        let due = try await self.store.all(QuestionRecord.self)
            .filter { $0.isPastRetention(years: years, at: now, calendar: calendar) }
        try await self.anonymiseInBatches(due, named: "questions", years: years, now: now) { question in
            question.anonymise(as: .erased(self.service.makeID())) { redactor.redact($0).text }
        }
    }

    /// Writes `due`, each changed by `anonymise`, 500 per write with one audit event each naming how many
    /// (`<name>=N`); `written` is told of each batch once it is durable.
    private func anonymiseInBatches<Document: StoredDocument>(
        _ due: [Document], named name: String, years: Int, now: Date, _ anonymise: (inout Document) -> Void,
        written: ([Document]) -> Void = { _ in }
    ) async throws {
        for start in stride(from: 0, to: due.count, by: 500) {
            let batch = due[start..<min(start + 500, due.count)].map { document in
                var document = document
                anonymise(&document)
                return document
            }
            var changes = try batch.map { try DocumentChange.put($0) }
            changes.append(
                try .put(
                    AuditEvent(
                        id: self.service.makeID(), at: now, actor: "retention", action: .caseAnonymised,
                        conversation: nil, detail: "\(name)=\(batch.count) retention_years=\(years)")))
            try await self.store.write(changes)
            written(batch)
        }
    }

    // MARK: - Carrying out an erasure

    /// What one erasure changed, for the memory and the blobs.
    struct Erased: Sendable {
        var cases: [CaseRecord] = []
        var handoffs: [HandoffRecord] = []
        var blobs: Set<String> = []
        var questions = 0
    }

    private func confirmOnce(_ who: StaffIdentity, _ id: String) async throws -> (ErasureRequest, Erased) {
        var request = try await self.pending(id)
        let applicant = request.applicant
        let pseudonym = request.pseudonym
        let now = self.service.clock()
        var erased = Erased()
        var changes: [DocumentChange] = []
        // Every case of the applicant, read from the store under their lock: not from memory, which may lag another
        // instance's filing by the moment word of it takes, and an erasure must miss nothing. A whole read (seconds
        // over 100,000 cases), for a rare decision of staff's.
        for var record in try await self.store.all(CaseRecord.self) where record.applicant == applicant {
            if !record.status.isFinished {
                // An open case cannot be worked without the applicant's details: it is withdrawn, as they were told
                // (a complaint already passed on stays with the authority; only its details go).
                try? record.apply(.withdraw, by: who.name, at: now, note: nil, policy: self.configuration.cases)
            }
            erased.blobs.formUnion(record.evidence.compactMap(\.sha256))
            changes += record.mediaAttachments.map {
                DocumentChange.delete(collection: EvidenceJob.collection, id: EvidenceJob.id(record.id, $0.number))
            }
            record.anonymise(as: pseudonym, keeping: self.kept, reason: .applicantRequest, at: now)
            changes.append(try .put(record))
            erased.cases.append(record)
        }
        for var handoff in try await self.store.all(HandoffRecord.self) where handoff.applicant == applicant {
            if handoff.isOpen { handoff.end(.deskClosed, at: now) }
            handoff.anonymise(as: pseudonym)
            changes.append(try .put(handoff))
            erased.handoffs.append(handoff)
        }
        // Questions for the volunteers: open ones are withdrawn (nobody could answer them), all keep only the
        // redacted words.
        let redactor = self.service.machine.redactor
        for var question in try await self.store.all(QuestionRecord.self) where question.applicant == applicant {
            if question.status.isOpen { try? question.withdraw(at: now) }
            question.anonymise(as: pseudonym) { redactor.redact($0).text }
            changes.append(try .put(question))
            erased.questions += 1
        }
        changes.append(.delete(collection: Conversation.collection, id: applicant.rawValue))
        // Reminders name the applicant and their rights: they go with the conversation.
        changes.append(.delete(collection: ReminderBook.collection, id: applicant.rawValue))
        request.status = .done
        request.applicant = pseudonym
        request.decidedBy = who.name
        request.decidedAt = now
        request.casesAnonymised = erased.cases.count
        request.handoffsAnonymised = erased.handoffs.count
        changes.append(try .put(request))
        changes.append(
            try .put(
                AuditEvent(
                    id: self.service.makeID(), at: now, actor: who.name, action: .erasureConfirmed,
                    conversation: pseudonym,
                    detail:
                        "erasure=\(id) cases=\(erased.cases.count) handoffs=\(erased.handoffs.count) "
                        + "questions=\(erased.questions)")))
        // The last message to the OpenID: that it is done (held for the next visit when the window is closed).
        let notice = try await self.prepareNotice(
            self.service.machine.replies.render("erase.done"), to: applicant)
        changes += notice?.changes ?? []
        do {
            try await self.store.write(changes)
        } catch {
            notice?.rollback()
            throw error
        }
        notice?.commit()
        return (request, erased)
    }

    /// The request, if it exists and waits for a decision.
    private func pending(_ id: String) async throws -> ErasureRequest {
        guard let request = try await self.store.get(ErasureRequest.self, id: id) else {
            throw DeskError.notFound("erasure request '\(id)'")
        }
        guard request.status == .pending else {
            throw DeskError.conflict("erasure_decided", "erasure request '\(id)' is \(request.status.rawValue) already")
        }
        return request
    }

    private func prepareNotice(_ text: String, to applicant: ApplicantID) async throws -> PreparedOutbound? {
        guard let outbound = self.service.outbound else { return nil }
        return try await outbound.prepare(text, to: applicant, author: .desk)
    }

    /// Rewrites the `conversation` of the audit events `pseudonym(for:)` names a pseudonym for, 500 per write. A
    /// failure is logged: the events keep the OpenID until the next erasure's or sweep's pass.
    func pseudonymiseAudit(_ pseudonym: (AuditEvent) -> ApplicantID?) async {
        do {
            var changed: [AuditEvent] = []
            for var event in try await self.store.all(AuditEvent.self) {
                guard let replacement = pseudonym(event) else { continue }
                event.conversation = replacement
                changed.append(event)
            }
            for start in stride(from: 0, to: changed.count, by: 500) {
                try await self.store.write(
                    changed[start..<min(start + 500, changed.count)].map { try DocumentChange.put($0) })
            }
        } catch {
            self.logger.error("audit events not pseudonymised", metadata: ["error": "\(error)"])
        }
    }

    /// Deletes the blobs among `candidates` that no case refers to any more. A failure leaves a blob nobody reads;
    /// it is logged.
    func deleteUnreferenced(_ candidates: Set<String>) async {
        guard !candidates.isEmpty else { return }
        do {
            var referenced: Set<String> = []
            for record in try await self.store.all(CaseRecord.self) {
                for evidence in record.evidence {
                    if let sha256 = evidence.sha256, candidates.contains(sha256) { referenced.insert(sha256) }
                }
            }
            for sha256 in candidates.subtracting(referenced) {
                try await self.blobs.delete(sha256: sha256)
            }
        } catch {
            self.logger.error("evidence of an anonymised case not deleted", metadata: ["error": "\(error)"])
        }
    }

    /// Admins and staff of no unit.
    static func requireCentre(_ who: StaffIdentity) throws {
        try DeskService.requireStaff(who)
        if who.role == .staff, let unit = who.unit {
            throw DeskError.forbiddenUnit(unit)
        }
    }
}
