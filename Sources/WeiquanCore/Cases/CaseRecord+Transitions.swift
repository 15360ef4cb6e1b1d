import Foundation

/// The lifecycle of a case as pure rules: each change checks the status (and kind) it starts from, changes the
/// record, and appends who did it, when and why to the timeline. A refusal is a ``CaseError`` and changes nothing.
///
/// | kind | change | from | to |
/// |---|---|---|---|
/// | aid request | accept | submitted | accepted |
/// | aid request | not accept (configured reason) | submitted | not accepted |
/// | aid request | start | accepted | in progress |
/// | aid request | conclude (outcome) | accepted, in progress | concluded |
/// | complaint | transfer (authority, date, letter) | submitted, in progress | transferred |
/// | complaint | receipt returned (date) | transferred | receipt returned |
/// | complaint | start (handled directly) | submitted | in progress |
/// | complaint | close (outcome optional) | receipt returned, in progress | closed |
/// | both | withdraw | any open status | withdrawn |
/// | both | refer (another unit) | submitted, accepted, in progress | submitted, at the new unit |
/// | both | archive | not accepted, concluded, closed, withdrawn | archived |
extension CaseRecord {
    /// Applies `change` made by `actor` at `now`, with `note` as the why when the change carries none of its own.
    public mutating func apply(
        _ change: CaseChange, by actor: String, at now: Date, note: String? = nil, policy: CasePolicy = CasePolicy()
    ) throws(CaseError) {
        guard self.status != .archived else { throw .archived(case: self.id) }
        let from = self.status
        let to: CaseStatus
        var detail = note
        switch (change, self.kind) {
        case (.accept, .aidRequest):
            to = try self.require(change, from: [.submitted], becomes: .accepted)
        case (.notAccept(let reason), .aidRequest):
            to = try self.require(change, from: [.submitted], becomes: .notAccepted)
            guard policy.notAcceptedReasons.contains(reason) else {
                throw .unknownReason(case: self.id, reason: reason, allowed: policy.notAcceptedReasons)
            }
            self.notAcceptedReason = reason
            detail = Self.joined(reason, note)
        case (.start, .aidRequest):
            to = try self.require(change, from: [.accepted], becomes: .inProgress)
        case (.start, .complaint):
            to = try self.require(change, from: [.submitted], becomes: .inProgress)
        case (.conclude(let outcome), .aidRequest):
            to = try self.require(change, from: [.accepted, .inProgress], becomes: .concluded)
            if let problem = outcome.problem { throw .missing(case: self.id, what: problem) }
            self.outcome = outcome
            detail = Self.joined(outcome.kind.rawValue, note)
        case (.transfer(let transfer), .complaint):
            to = try self.require(change, from: [.submitted, .inProgress], becomes: .transferred)
            guard !transfer.authority.isEmpty, !transfer.letterNumber.isEmpty else {
                throw .missing(case: self.id, what: "a transfer needs the authority and the letter's number")
            }
            guard Self.isDay(transfer.date) else {
                throw .missing(case: self.id, what: "the transfer date must be yyyy-MM-dd, not '\(transfer.date)'")
            }
            self.transfer = CaseTransfer(
                authority: transfer.authority, date: transfer.date, letterNumber: transfer.letterNumber)
            detail = Self.joined("\(transfer.authority) \(transfer.letterNumber)", note)
        case (.receiptReturned(let date), .complaint):
            to = try self.require(change, from: [.transferred], becomes: .receiptReturned)
            guard Self.isDay(date) else {
                throw .missing(case: self.id, what: "the receipt date must be yyyy-MM-dd, not '\(date)'")
            }
            self.transfer?.receiptDate = date
            detail = Self.joined(date, note)
        case (.close(let outcome), .complaint):
            to = try self.require(change, from: [.receiptReturned, .inProgress], becomes: .closed)
            if let problem = outcome?.problem { throw .missing(case: self.id, what: problem) }
            self.outcome = outcome
            detail = Self.joined(outcome?.kind.rawValue, note)
        case (.withdraw, _):
            to = try self.require(
                change, from: [.submitted, .accepted, .inProgress, .transferred, .receiptReturned], becomes: .withdrawn)
        case (.refer(let unit), _):
            to = try self.require(change, from: [.submitted, .accepted, .inProgress], becomes: .submitted)
            guard unit != self.unit else {
                throw .missing(case: self.id, what: "the case is at \(unit) already: refer it to another unit")
            }
            detail = Self.joined("\(self.unit?.rawValue ?? "-") → \(unit)", note)
            self.unit = unit
            self.assignee = nil
        case (.archive, _):
            to = try self.require(change, from: [.notAccepted, .concluded, .closed, .withdrawn], becomes: .archived)
        default:
            throw .illegalTransition(case: self.id, action: change.name, status: self.status, kind: self.kind)
        }
        self.status = to
        self.timeline.append(
            CaseEvent(at: now, actor: actor, action: Self.action(of: change), from: from, to: to, detail: detail))
    }

    /// Assigns the case to a staff member (nil: nobody) and the experts consulted, who must be in the directory.
    public mutating func assign(
        to assignee: String?, experts: [String], by actor: String, at now: Date, policy: CasePolicy = CasePolicy()
    ) throws(CaseError) {
        guard self.status != .archived else { throw .archived(case: self.id) }
        let known = Set(policy.experts.map(\.name))
        if let unknown = experts.first(where: { !known.contains($0) }) {
            throw .missing(case: self.id, what: "'\(unknown)' is not in the expert directory")
        }
        self.assignee = assignee
        self.experts = experts
        let who = ([assignee ?? "-"] + experts).joined(separator: ", ")
        self.timeline.append(
            CaseEvent(at: now, actor: actor, action: .assigned, from: self.status, to: self.status, detail: who))
    }

    /// Records the applicant's rating of a finished case (1–5), once.
    public mutating func rate(score: Int, comment: String?, at now: Date) throws(CaseError) {
        guard [.concluded, .closed, .archived].contains(self.status) else {
            throw .illegalTransition(case: self.id, action: "rate", status: self.status, kind: self.kind)
        }
        guard (1...5).contains(score) else { throw .missing(case: self.id, what: "a rating is 1 to 5, not \(score)") }
        guard self.rating == nil else { throw .missing(case: self.id, what: "the case was rated already") }
        self.rating = CaseRating(score: score, comment: comment, at: now)
    }

    /// Adds a staff note to the timeline (also on an archived case: notes explain, they do not change it).
    public mutating func addNote(_ text: String, by actor: String, at now: Date) throws(CaseError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .missing(case: self.id, what: "a note needs a text") }
        self.timeline.append(
            CaseEvent(at: now, actor: actor, action: .noted, from: self.status, to: self.status, detail: trimmed))
    }

    /// Records the applicant's legal deadline (`yyyy-MM-dd`), or clears it with nil; also after the case ended it
    /// is refused only once archived.
    public mutating func recordLegalDeadline(
        _ day: String?, by actor: String, at now: Date, note: String? = nil
    ) throws(CaseError) {
        guard self.status != .archived else { throw .archived(case: self.id) }
        if let day, CivilDay.parse(day) == nil {
            throw .missing(case: self.id, what: "the legal deadline must be a date yyyy-MM-dd, not '\(day)'")
        }
        self.legalDeadline = day
        self.timeline.append(
            CaseEvent(
                at: now, actor: actor, action: .legalDeadlineRecorded, from: self.status, to: self.status,
                detail: Self.joined(day ?? "-", note)))
    }

    private func require(
        _ change: CaseChange, from allowed: Set<CaseStatus>, becomes next: CaseStatus
    ) throws(CaseError) -> CaseStatus {
        guard allowed.contains(self.status) else {
            throw .illegalTransition(case: self.id, action: change.name, status: self.status, kind: self.kind)
        }
        return next
    }

    private static func action(of change: CaseChange) -> CaseEvent.Action {
        switch change {
        case .accept: .accepted
        case .notAccept: .notAccepted
        case .start: .started
        case .conclude: .concluded
        case .transfer: .transferred
        case .receiptReturned: .receiptReturned
        case .close: .closed
        case .archive: .archived
        case .withdraw: .withdrawn
        case .refer: .referred
        }
    }

    private static func joined(_ first: String?, _ second: String?) -> String? {
        let parts = [first, second].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: "；")
    }

    /// `yyyy-MM-dd` with a plausible month and day.
    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let month = Int(parts[1]), let day = Int(parts[2])
        else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }
}
