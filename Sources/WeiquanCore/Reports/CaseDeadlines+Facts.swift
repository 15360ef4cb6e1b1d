import Foundation

/// Overdue, now and ever, from a case's ``CaseFacts``: the deadline that applied to each stage of the case, as
/// ``CaseDeadlines/current(kind:status:filedAt:flags:legalDeadline:)`` derives it from the status, the flags and
/// the legal deadline in force then.
extension CaseDeadlines {
    /// The deadline of the case as it is now; the same as for its record.
    public func current(for facts: CaseFacts) -> CaseDeadline? {
        self.current(
            kind: facts.kind, status: facts.status, filedAt: facts.createdAt, flags: facts.flags,
            legalDeadline: facts.legalDeadline)
    }

    /// Whether the case is open and past its deadline at `now` (the list's `overdue=true`).
    public func isOverdue(_ facts: CaseFacts, at now: Date) -> Bool {
        var ends = WorkingDayEnds()
        return self.isOverdue(facts, at: now, ends: &ends)
    }

    /// Whether the case was past a deadline at some time before `horizon`: a stage (``CaseFacts/Stage``) that
    /// ended at or after the deadline that applied to it — an acceptance, a transfer, a conclusion decided late —
    /// or the stage it is in at `horizon` past its deadline then. A stage ended by the applicant's withdrawal is
    /// not judged: the case was not decided late, it was not decided at all. Stages starting at or after `horizon`
    /// do not count, so a report on a past period (`horizon` its end) reads the same whenever it is made.
    public func wasOverdue(_ facts: CaseFacts, before horizon: Date) -> Bool {
        var ends = WorkingDayEnds()
        return self.wasOverdue(facts, before: horizon, ends: &ends)
    }

    /// ``isOverdue(_:at:)``, remembering the working-day ends worked out in `ends`.
    func isOverdue(_ facts: CaseFacts, at now: Date, ends: inout WorkingDayEnds) -> Bool {
        let deadline = self.current(
            kind: facts.kind, status: facts.status, filedAt: facts.createdAt, flags: facts.flags,
            legalDeadline: facts.legalDeadline
        ) { ends.end($0, after: facts.createdAt, self) }
        return deadline?.isOverdue(at: now) ?? false
    }

    /// ``wasOverdue(_:before:)``, remembering the working-day ends worked out in `ends`.
    func wasOverdue(_ facts: CaseFacts, before horizon: Date, ends: inout WorkingDayEnds) -> Bool {
        let stages = facts.stages
        for index in stages.indices where stages[index].at < horizon {
            let stage = stages[index]
            var end = horizon
            if index + 1 < stages.count, stages[index + 1].at < horizon {
                if stages[index + 1].status == .withdrawn { continue }
                end = stages[index + 1].at
            }
            let deadline = self.current(
                kind: facts.kind, status: stage.status, filedAt: facts.createdAt, flags: facts.flags,
                legalDeadline: stage.legalDeadline
            ) { ends.end($0, after: facts.createdAt, self) }
            if let deadline, deadline.isOverdue(at: end) { return true }
        }
        return false
    }
}
