import Foundation

/// The life of a question as pure rules: each change checks the status it starts from (and, for a volunteer's
/// work, that the volunteer holds it under a running lease), changes the record, and appends who did it and when
/// to the timeline. A refusal is a ``QuestionError`` and changes nothing.
///
/// | change | by | from | to |
/// |---|---|---|---|
/// | claim (no conflict declared) | volunteer | queued | claimed |
/// | renew | its volunteer | claimed | claimed, lease from now |
/// | put back (reason) | its volunteer, or staff | claimed, awaiting applicant | queued |
/// | expire lease | the desk's timer | claimed, lease run out | queued |
/// | ask follow-up | its volunteer | claimed | awaiting applicant (the lease waits) |
/// | record reply | the applicant (the bot) | awaiting applicant | claimed, lease from now |
/// | lapse follow-up | the desk's timer | awaiting applicant, wait run out | claimed, lease from now |
/// | answer | its volunteer | claimed | answered |
/// | approve (maybe edited) | staff | answered | answered, approved |
/// | return for revision (comment) | staff | answered | claimed, lease from now |
/// | mark delivered | the service | answered (approved, unless no review is required) | delivered |
/// | rate (helpful or not) | the applicant (the bot) | delivered | closed |
/// | withdraw | the applicant (the bot) | queued, claimed, awaiting applicant, answered | withdrawn |
///
/// The bot applies ``recordReply(text:at:)``, ``rate(helpful:comment:at:)`` and ``withdraw(at:)`` inside the
/// write of the applicant's message, on the question read fresh under the applicant's lock, and clears or sets
/// ``Conversation/questionWait`` in the same write.
extension QuestionRecord {
    /// Who acts for the applicant on the timeline.
    public static let applicantActor = "applicant"
    /// Who acts for the timers on the timeline.
    public static let deskActor = "desk"

    /// `volunteer` takes the queued question for `lease` seconds, declaring no conflict of interest.
    public mutating func claim(
        by volunteer: String, at now: Date, lease: TimeInterval, conflictDeclared: Bool
    ) throws(QuestionError) {
        switch self.status {
        case .queued: break
        case .claimed, .awaitingApplicant, .answered:
            throw .alreadyClaimed(question: self.id, volunteer: self.claim?.volunteer ?? "someone")
        case .delivered, .withdrawn, .closed:
            throw .illegalTransition(question: self.id, action: "claim", status: self.status)
        }
        guard conflictDeclared else { throw .conflictNotDeclared(question: self.id) }
        let seconds = try self.leaseSeconds(lease)
        self.claim = QuestionClaim(
            volunteer: volunteer, claimedAt: now, leaseUntil: now.addingTimeInterval(TimeInterval(seconds)),
            leaseSeconds: seconds, conflictDeclared: true)
        self.status = .claimed
        self.record(.claimed, by: volunteer, at: now, volunteer: volunteer)
    }

    /// The volunteer holding it extends the lease to `lease` seconds from now.
    public mutating func renew(by volunteer: String, at now: Date, lease: TimeInterval) throws(QuestionError) {
        try self.requireHolder(volunteer, action: "renew", from: [.claimed], at: now)
        let seconds = try self.leaseSeconds(lease)
        self.claim?.leaseUntil = now.addingTimeInterval(TimeInterval(seconds))
        self.claim?.leaseSeconds = seconds
        self.record(.renewed, by: volunteer, at: now, volunteer: volunteer)
    }

    /// The question goes back to the queue, with why: given up by the volunteer holding it, or freed by staff
    /// (`asStaff`) from whoever holds it. Also while a follow-up waits; the reply, if it comes, is not routed.
    public mutating func putBack(
        by actor: String, reason: String, at now: Date, asStaff: Bool = false
    ) throws(QuestionError) {
        let holder: String
        if asStaff {
            guard QuestionStatus.holding.contains(self.status), let claim = self.claim else {
                throw self.refusal("put_back", volunteerWork: true)
            }
            holder = claim.volunteer
        } else {
            holder = try self.requireHolder(actor, action: "put_back", from: QuestionStatus.holding, at: nil).volunteer
        }
        let why = try self.required(reason, "a put-back needs a reason")
        if let last = self.followUps.indices.last, self.followUps[last].isOpen {
            self.followUps[last].lapsedAt = now
        }
        self.putBacks.append(QuestionPutBack(by: actor, at: now, reason: why))
        self.claim = nil
        self.status = .queued
        self.record(.putBack, by: actor, at: now, volunteer: holder, detail: why)
    }

    /// The timer's change: a claim whose lease ran out goes back to the queue.
    public mutating func expireLease(at now: Date) throws(QuestionError) {
        guard self.status == .claimed, let claim = self.claim else { throw self.refusal("expire_lease") }
        guard claim.leaseUntil <= now else {
            throw .notDue(question: self.id, action: "expire_lease", due: claim.leaseUntil)
        }
        self.claim = nil
        self.status = .queued
        self.record(.leaseExpired, by: Self.deskActor, at: now, volunteer: claim.volunteer)
    }

    /// The volunteer holding it asks the applicant something; the lease waits for the reply.
    public mutating func askFollowUp(text: String, by volunteer: String, at now: Date) throws(QuestionError) {
        try self.requireHolder(volunteer, action: "follow_up", from: [.claimed], at: now)
        let checked = try self.required(text, "a follow-up question needs a text")
        self.followUps.append(QuestionFollowUp(askedAt: now, by: volunteer, text: checked))
        self.status = .awaitingApplicant
        self.record(.followUpAsked, by: volunteer, at: now, volunteer: volunteer)
    }

    /// The applicant's reply to the open follow-up: the question is the volunteer's again, with a fresh lease.
    public mutating func recordReply(text: String, at now: Date) throws(QuestionError) {
        guard self.status == .awaitingApplicant, let last = self.followUps.indices.last, self.followUps[last].isOpen
        else { throw self.refusal("reply") }
        let checked = try self.required(text, "a reply needs a text")
        self.followUps[last].reply = checked
        self.followUps[last].repliedAt = now
        self.resumeClaim(at: now)
        self.record(.replied, by: Self.applicantActor, at: now, volunteer: self.claim?.volunteer)
    }

    /// The timer's change: no reply came within `limit` seconds of the follow-up; the volunteer answers with what
    /// they have (or puts it back), under a fresh lease.
    public mutating func lapseFollowUp(at now: Date, after limit: TimeInterval) throws(QuestionError) {
        guard self.status == .awaitingApplicant, let last = self.followUps.indices.last, self.followUps[last].isOpen
        else { throw self.refusal("lapse_follow_up") }
        let due = self.followUps[last].askedAt.addingTimeInterval(limit)
        guard due <= now else { throw .notDue(question: self.id, action: "lapse_follow_up", due: due) }
        self.followUps[last].lapsedAt = now
        self.resumeClaim(at: now)
        self.record(.followUpLapsed, by: Self.deskActor, at: now, volunteer: self.claim?.volunteer)
    }

    /// The volunteer holding it answers; the answer waits for review (or is delivered at once when none is
    /// required: ``markDelivered(at:reviewRequired:)``).
    public mutating func answer(text: String, by volunteer: String, at now: Date) throws(QuestionError) {
        try self.requireHolder(volunteer, action: "answer", from: [.claimed], at: now)
        let checked = try self.required(text, "an answer needs a text")
        self.answer = QuestionAnswer(text: checked, by: volunteer, at: now)
        self.review = nil
        self.status = .answered
        self.record(.answered, by: volunteer, at: now, volunteer: volunteer)
    }

    /// Staff approve the answer, perhaps with their own wording (`edited`), which is then what the applicant gets.
    public mutating func approve(by reviewer: String, at now: Date, edited: String? = nil) throws(QuestionError) {
        guard self.status == .answered, self.review?.decision != .approved else { throw self.refusal("approve") }
        var wording: String?
        if let edited { wording = try self.required(edited, "an edited answer needs a text") }
        self.review = QuestionReview(by: reviewer, at: now, decision: .approved, edited: wording)
        self.record(.approved, by: reviewer, at: now, volunteer: self.answer?.by)
    }

    /// Staff return the answer to the volunteer with what to change; they hold it again under a fresh lease.
    public mutating func returnForRevision(by reviewer: String, at now: Date, comment: String) throws(QuestionError) {
        guard self.status == .answered, self.review?.decision != .approved, self.claim != nil else {
            throw self.refusal("return")
        }
        let checked = try self.required(comment, "a returned answer needs a comment")
        self.review = QuestionReview(by: reviewer, at: now, decision: .returned, comment: checked)
        self.resumeClaim(at: now)
        self.record(.returned, by: reviewer, at: now, volunteer: self.answer?.by, detail: checked)
    }

    /// The answer went to the applicant. Needs staff's approval unless `reviewRequired` is false.
    public mutating func markDelivered(at now: Date, reviewRequired: Bool = true) throws(QuestionError) {
        guard self.status == .answered else { throw self.refusal("deliver") }
        if reviewRequired, self.review?.decision != .approved { throw .notApproved(question: self.id) }
        self.deliveredAt = now
        self.status = .delivered
        self.record(.delivered, by: Self.deskActor, at: now, volunteer: self.answer?.by)
    }

    /// The applicant's verdict on the delivered answer (once): the question is closed.
    public mutating func rate(helpful: Bool, comment: String?, at now: Date) throws(QuestionError) {
        guard self.status == .delivered, self.rating == nil else { throw self.refusal("rate") }
        let trimmed = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.rating = QuestionRating(helpful: helpful, comment: trimmed?.isEmpty == false ? trimmed : nil, at: now)
        self.status = .closed
        self.record(
            .rated, by: Self.applicantActor, at: now, volunteer: self.answer?.by,
            detail: helpful ? "helpful" : "not_helpful")
    }

    /// The applicant cancelled the question before an answer reached them.
    public mutating func withdraw(at now: Date) throws(QuestionError) {
        guard self.status.isOpen else { throw self.refusal("withdraw") }
        if let last = self.followUps.indices.last, self.followUps[last].isOpen {
            self.followUps[last].lapsedAt = now
        }
        self.status = .withdrawn
        self.record(.withdrawn, by: Self.applicantActor, at: now, volunteer: self.claim?.volunteer)
    }

    // MARK: - Checks

    /// The claim, if `volunteer` holds the question in one of `allowed` and (when `now` is given) its lease runs.
    @discardableResult
    private func requireHolder(
        _ volunteer: String, action: String, from allowed: Set<QuestionStatus>, at now: Date?
    ) throws(QuestionError) -> QuestionClaim {
        guard allowed.contains(self.status), let claim = self.claim else {
            throw self.refusal(action, volunteerWork: true)
        }
        guard claim.volunteer == volunteer else { throw .notYours(question: self.id, volunteer: claim.volunteer) }
        if let now, claim.leaseUntil <= now { throw .leaseExpired(question: self.id, at: claim.leaseUntil) }
        return claim
    }

    /// Why an action is not possible from the status: a volunteer's work on a queued question needs a claim first;
    /// anything else is an illegal transition.
    private func refusal(_ action: String, volunteerWork: Bool = false) -> QuestionError {
        volunteerWork && self.status == .queued
            ? .notClaimed(question: self.id)
            : .illegalTransition(question: self.id, action: action, status: self.status)
    }

    private func required(_ text: String, _ what: String) throws(QuestionError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .missing(question: self.id, what: what) }
        return trimmed
    }

    private func leaseSeconds(_ lease: TimeInterval) throws(QuestionError) -> Int {
        guard lease.isFinite, lease >= 1 else {
            throw .missing(question: self.id, what: "a lease must be at least one second")
        }
        return Int(lease.rounded())
    }

    /// The volunteer holds it again, with the lease they were granted, from `now`.
    private mutating func resumeClaim(at now: Date) {
        if let seconds = self.claim?.leaseSeconds {
            self.claim?.leaseUntil = now.addingTimeInterval(TimeInterval(seconds))
        }
        self.status = .claimed
    }

    private mutating func record(
        _ action: QuestionEvent.Action, by actor: String, at now: Date, volunteer: String? = nil, detail: String? = nil
    ) {
        self.timeline.append(QuestionEvent(at: now, actor: actor, action: action, volunteer: volunteer, detail: detail))
    }
}
