import Foundation
import WeiquanCore
import WeiquanStore

/// The volunteers' work and staff's review. Each change checks the caller's role and that they may see the
/// question (404 otherwise), then runs the core's transition on a fresh copy in the applicant's lane and lock:
/// a race is answered by the core (two volunteers claiming at once: one gets `409 already_claimed`).
extension QuestionService {
    /// A change to one question made on a fresh copy: what the body may change.
    struct Change {
        /// The time of the change.
        let now: Date
        var question: QuestionRecord
        /// The applicant's conversation, for its ``Conversation/questionWait``.
        var conversation: Conversation
        /// Texts for the applicant, sent through the outbox in this order once the change is durable.
        var messages: [String] = []
    }

    /// Longest answer (WeChat refuses long customer-service texts; the wording around it adds a few lines).
    public static let maxAnswerLength = 1_000
    /// Longest follow-up question, put-back reason or review comment.
    public static let maxNoteLength = 500

    // MARK: - The volunteer's work

    /// A volunteer takes a queued question under a lease of ``VolunteerPolicy/leaseMinutes``, declaring that they
    /// have no conflict of interest; refused past ``VolunteerPolicy/maxClaims`` questions held at once.
    ///
    /// A question of the volunteer's scope that someone else took is `409 already_claimed` (whether they raced or
    /// came late, as at the handoff desk), not a 404: they saw it queued. It shows nothing of the question.
    public func claim(_ who: StaffIdentity, _ id: QuestionID, conflictDeclared: Bool) async throws -> QuestionView {
        try Self.requireVolunteer(who)
        guard let found = try await self.store.get(QuestionRecord.self, id: id.rawValue),
            self.maySee(who, found) || self.inScope(who, found)
        else { throw DeskError.notFound("question '\(id)'") }
        let (policy, name) = (self.policy, who.name)
        let record = try await self.volunteerLanes.run(name) {
            try await self.service.coordination.exclusively("volunteer:" + name) {
                // Under the volunteer's lock their holdings can only shrink meanwhile (answers, put-backs, leases
                // running out), so the count is an upper bound. A return by review may take them past the limit.
                let holding = try await self.store.all(QuestionRecord.self)
                    .filter { $0.holder == name && $0.id != id }.count
                guard holding < policy.maxClaims else {
                    throw DeskError(QuestionError.tooManyClaims(volunteer: name, limit: policy.maxClaims))
                }
                return try await self.edit(found, by: who, action: .questionClaimed) { change in
                    try change.question.claim(
                        by: name, at: change.now, lease: policy.leaseSeconds, conflictDeclared: conflictDeclared)
                }
            }
        }
        return self.view(record, for: who, now: self.now, withTimeline: true)
    }

    /// The volunteer holding the question extends its lease to ``VolunteerPolicy/leaseMinutes`` from now.
    public func renew(_ who: StaffIdentity, _ id: QuestionID) async throws -> QuestionView {
        try Self.requireVolunteer(who)
        let found = try await self.visibleQuestion(who, id)
        let (lease, name) = (self.policy.leaseSeconds, who.name)
        let record = try await self.edit(found, by: who, action: .questionRenewed) { change in
            try change.question.renew(by: name, at: change.now, lease: lease)
        }
        return self.view(record, for: who, now: self.now, withTimeline: true)
    }

    /// The question goes back to the queue: given up by the volunteer holding it, or freed by staff. A follow-up
    /// still awaited is no longer: the conversation stops waiting for its reply.
    public func putBack(_ who: StaffIdentity, _ id: QuestionID, reason: String) async throws -> QuestionView {
        let checked = try DeskService.checkedText(reason, limit: Self.maxNoteLength, field: "reason")
        let found = try await self.visibleQuestion(who, id)
        let asStaff = who.role != .volunteer
        let name = who.name
        let record = try await self.edit(found, by: who, action: .questionPutBack, detail: asStaff ? "by=staff" : nil) {
            change in
            try change.question.putBack(by: name, reason: checked, at: change.now, asStaff: asStaff)
            Self.endWait(for: change.question.id, in: &change.conversation)
        }
        return self.view(record, for: who, now: self.now, withTimeline: true)
    }

    /// The volunteer holding the question asks the applicant something: sent through the outbox, and the bot waits
    /// ``VolunteerPolicy/followUpHours`` for the reply (``QuestionWait/Kind/reply(until:)``) in the same write.
    public func followUp(_ who: StaffIdentity, _ id: QuestionID, text: String) async throws -> QuestionView {
        try Self.requireVolunteer(who)
        let checked = try DeskService.checkedText(text, limit: Self.maxNoteLength)
        let found = try await self.visibleQuestion(who, id)
        let (policy, replies, name) = (self.policy, self.service.machine.replies, who.name)
        let record = try await self.edit(found, by: who, action: .questionFollowUp) { change in
            try change.question.askFollowUp(text: checked, by: name, at: change.now)
            let until = change.now.addingTimeInterval(policy.followUpSeconds)
            change.conversation.questionWait = QuestionWait(question: change.question.id, kind: .reply(until: until))
            change.messages.append(
                replies.render(
                    QuestionReplies.followUp,
                    ["question_id": change.question.id.rawValue, "text": checked, "hours": "\(policy.followUpHours)"]))
        }
        return self.view(record, for: who, now: self.now, withTimeline: true)
    }

    /// The volunteer holding the question answers: it waits for staff's review, or — when
    /// ``VolunteerPolicy/reviewRequired`` is off — goes to the applicant at once.
    public func answer(_ who: StaffIdentity, _ id: QuestionID, text: String) async throws -> QuestionView {
        try Self.requireVolunteer(who)
        let checked = try DeskService.checkedText(text, limit: Self.maxAnswerLength)
        let found = try await self.visibleQuestion(who, id)
        let (policy, name) = (self.policy, who.name)
        let detail = policy.reviewRequired ? nil : "delivered"
        let record = try await self.edit(found, by: who, action: .questionAnswered, detail: detail) { change in
            try change.question.answer(text: checked, by: name, at: change.now)
            if !policy.reviewRequired {
                try change.question.markDelivered(at: change.now, reviewRequired: false)
                self.deliver(&change)
            }
        }
        return self.view(record, for: who, now: self.now, withTimeline: true)
    }

    // MARK: - Review

    /// What a reviewer decides about an answer.
    public enum Review: Sendable, Equatable {
        /// Approved, perhaps in the reviewer's own words: it goes to the applicant once, in the same write.
        case approve(edited: String?)
        /// Back to the volunteer with what to change.
        case `return`(comment: String)
    }

    /// Staff approve an answer (delivered to the applicant in the same write, once: approving again is a 409) or
    /// return it to its volunteer.
    public func review(_ who: StaffIdentity, _ id: QuestionID, _ decision: Review) async throws -> QuestionView {
        try DeskService.requireStaff(who)
        let found = try await self.visibleQuestion(who, id)
        let name = who.name
        let record: QuestionRecord
        switch decision {
        case .approve(let edited):
            let wording = try edited.map { try DeskService.checkedText($0, limit: Self.maxAnswerLength) }
            let detail = wording == nil ? "delivered" : "edited delivered"
            record = try await self.edit(found, by: who, action: .questionApproved, detail: detail) { change in
                try change.question.approve(by: name, at: change.now, edited: wording)
                try change.question.markDelivered(at: change.now)
                self.deliver(&change)
            }
        case .return(let comment):
            let checked = try DeskService.checkedText(comment, limit: Self.maxNoteLength, field: "comment")
            record = try await self.edit(found, by: who, action: .questionReturned) { change in
                try change.question.returnForRevision(by: name, at: change.now, comment: checked)
            }
        }
        return self.view(record, for: who, now: self.now, withTimeline: true)
    }

    /// The answer goes to the applicant (with the note that it is for reference only, and the team's signature),
    /// and the bot waits for their verdict — unless it waits for their reply to a follow-up on another question:
    /// that reply matters more than a rating, so the wait for it stays and this answer goes unrated.
    func deliver(_ change: inout Change) {
        guard let text = change.question.deliverableText else { return }
        let replies = self.service.machine.replies
        change.messages.append(
            replies.render(
                QuestionReplies.answer,
                ["question_id": change.question.id.rawValue, "text": text, "team": self.policy.teamName]))
        if let current = change.conversation.questionWait, current.question != change.question.id,
            case .reply = current.kind, current.isAwaited(at: self.now)
        {
            return
        }
        change.conversation.questionWait = QuestionWait(question: change.question.id, kind: .rating)
    }

    /// The conversation no longer waits for a reply about `question`.
    static func endWait(for question: QuestionID, in conversation: inout Conversation) {
        if let wait = conversation.questionWait, wait.question == question, case .reply = wait.kind {
            conversation.questionWait = nil
        }
    }

    // MARK: - Writing

    /// Runs `body` on a fresh copy of `found` in its applicant's lane and lock, and writes what it changed in one
    /// durable write: the question, the audit event (by `who`, or the desk's timers when nil), the conversation
    /// if it changed, and the messages for the applicant. Nothing is written when the body changes nothing.
    @discardableResult
    func edit(
        _ found: QuestionRecord, by who: StaffIdentity?, action: AuditAction, detail: String? = nil,
        _ body: @escaping @Sendable (inout Change) throws -> Void
    ) async throws -> QuestionRecord {
        let (applicant, id, service) = (found.applicant, found.id, self.service)
        return try await service.lanes.run(applicant) {
            try await service.exclusively(applicant) {
                try await service.retryingConflicts {
                    try await self.editOnce(id, by: who, action: action, detail: detail, body)
                }
            }
        }
    }

    private func editOnce(
        _ id: QuestionID, by who: StaffIdentity?, action: AuditAction, detail: String?,
        _ body: @Sendable (inout Change) throws -> Void
    ) async throws -> QuestionRecord {
        guard let before = try await self.store.get(QuestionRecord.self, id: id.rawValue) else {
            throw DeskError.notFound("question '\(id)'")
        }
        let now = self.now
        let conversation = try await self.service.conversation(before.applicant, now: now)
        var change = Change(now: now, question: before, conversation: conversation)
        do {
            try body(&change)
        } catch let error as QuestionError {
            throw DeskError(error)
        }
        guard change.question != before || change.conversation != conversation || !change.messages.isEmpty else {
            return before
        }
        var changes: [DocumentChange] = [try .put(change.question)]
        changes.append(
            try .put(
                AuditEvent(
                    id: self.service.makeID(), at: now, actor: who?.name ?? QuestionRecord.deskActor, action: action,
                    conversation: before.applicant, detail: Self.detail(id, detail))))
        if change.conversation != conversation { changes.append(try .put(change.conversation)) }
        var prepared: [PreparedOutbound] = []
        if !change.messages.isEmpty {
            guard let outbound = self.service.outbound else {
                throw DeskError.unavailable("no outbox to send messages")
            }
            for text in change.messages {
                let outgoing = try await outbound.prepare(text, to: before.applicant, author: .desk)
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
        if change.conversation != conversation { self.service.remember(change.conversation) }
        self.board.update(change.question)
        self.observe(before: before, after: change.question)
        return change.question
    }

    /// The time to a first answer and the review time, as they happen.
    private func observe(before: QuestionRecord, after: QuestionRecord) {
        let metrics = self.service.metrics
        if before.firstAnsweredAt == nil, let first = after.firstAnsweredAt {
            metrics.observe(.questionFirstAnswerSeconds, seconds: max(0, first.timeIntervalSince(after.askedAt)))
        }
        if let review = after.review, review != before.review, let answer = after.answer {
            metrics.observe(
                .questionReviewSeconds, labels: [review.decision.rawValue],
                seconds: max(0, review.at.timeIntervalSince(answer.at)))
        }
    }

    // MARK: - Roles

    static func requireVolunteer(_ who: StaffIdentity) throws {
        guard who.role == .volunteer else {
            throw DeskError.forbiddenRole(who.role.rawValue)
        }
    }
}
