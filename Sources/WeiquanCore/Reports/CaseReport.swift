import Foundation

/// The figures the yearly evaluation and the regular reporting ask for (policy-notes.md), grouped by unit ×
/// month of filing × kind × IP type, with a totals row. Pure: the cases and handoffs come in, the report comes out.
///
/// - Cases: those **filed** in the period (``ReportPeriod``, `[from, to)`, months in Asia/Shanghai) at a unit
///   within the unit asked for (the unit or below it, ``OrgDirectory/unit(_:isWithin:)``); grouped by the unit
///   the case is at now, the month it was filed, its kind and its `ip_type` answer. What happened to them counts
///   when it happened before `to` (see ``ReportFigures`` for each figure's definition).
/// - Handoffs: those **requested** in the period at a unit within the unit asked for; grouped by their unit now,
///   the month requested, and the kind and `ip_type` of the form open when the applicant asked (none: null).
/// - Without a unit filter, cases at no unit are counted (unit null); with one, they are not.
/// - Overdue: ``ReportFigures/overdueNow`` is as of the time the report is made, ``ReportFigures/overdueEver`` up
///   to the earlier of that time and the period's end (``CaseDeadlines/wasOverdue(_:before:)``).
public struct CaseReport: Sendable, Equatable {
    /// What a row groups; nil parts print as `null` in JSON and empty in CSV.
    public struct Key: Hashable, Sendable, Comparable {
        public var unit: UnitID?
        /// `2026-03`.
        public var month: String
        public var kind: CaseKind?
        public var ipType: String?

        public init(unit: UnitID?, month: String, kind: CaseKind?, ipType: String?) {
            self.unit = unit
            self.month = month
            self.kind = kind
            self.ipType = ipType
        }

        public static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.unit?.rawValue ?? "", lhs.month, lhs.kind?.rawValue ?? "", lhs.ipType ?? "")
                < (rhs.unit?.rawValue ?? "", rhs.month, rhs.kind?.rawValue ?? "", rhs.ipType ?? "")
        }
    }

    /// One group and its figures.
    public struct Row: Sendable, Equatable {
        public var key: Key
        public var figures: ReportFigures
    }

    public var period: ReportPeriod
    /// The unit asked for (with the units below it); nil: every unit.
    public var unit: UnitID?
    /// The groups that have anything, ordered by unit, month, kind and IP type.
    public var rows: [Row]
    /// Every case and handoff counted, as one group (spreads over all of them, not averaged from the rows).
    public var totals: ReportFigures

    /// Builds the report from the cases' records: their ``CaseFacts``, then
    /// ``init(facts:handoffs:period:unit:directory:deadlines:now:)``.
    ///
    /// - Parameters:
    ///   - deadlines: The centre's deadlines, for the overdue figures; by default the default policy on the
    ///     default calendar.
    ///   - now: The time the report is made, for ``ReportFigures/overdueNow``; nil: the period's end.
    public init(
        cases: [CaseRecord], handoffs: [HandoffRecord], period: ReportPeriod, unit: UnitID?, directory: OrgDirectory,
        deadlines: CaseDeadlines = CaseDeadlines(policy: CasePolicy(), calendar: OfficeHours()), now: Date? = nil,
        sessions: [ConversationSession] = []
    ) throws(ReportError) {
        try self.init(
            facts: cases.map(CaseFacts.init), handoffs: handoffs.map(HandoffFacts.init), period: period, unit: unit,
            directory: directory, deadlines: deadlines, now: now ?? period.to, sessions: sessions)
    }

    /// Builds the report.
    ///
    /// - Parameters:
    ///   - facts: Every case (those outside the period or the unit are skipped; earlier cases of the same
    ///     applicant tell where a conversation began, for ``ReportFigures/filedWithoutPerson``).
    ///   - handoffs: Every handoff's facts.
    ///   - unit: The unit to report on, with the units below it; nil for all.
    ///   - directory: The org directory, for the units below `unit`.
    ///   - sessions: The visits to the account, for ``ReportFigures/conversations`` (a report on all units only).
    ///   - deadlines: The centre's deadlines, for ``ReportFigures/overdueNow`` and ``ReportFigures/overdueEver``.
    ///   - now: The time the report is made: open cases are overdue now when past their deadline then, and
    ///     overdue ever is judged up to the earlier of `now` and the period's end.
    public init(
        facts: [CaseFacts], handoffs: [HandoffFacts], period: ReportPeriod, unit: UnitID?, directory: OrgDirectory,
        deadlines: CaseDeadlines, now: Date, sessions: [ConversationSession] = []
    ) throws(ReportError) {
        if let unit, directory.unit(id: unit) == nil { throw .unknownUnit(unit) }
        var covered: [UnitID: Bool] = [:]
        func counts(_ owner: UnitID?) -> Bool {
            guard let unit else { return true }
            guard let owner else { return false }
            if let known = covered[owner] { return known }
            let within = directory.unit(owner, isWithin: unit)
            covered[owner] = within
            return within
        }
        let history = ApplicantHistory(cases: facts, handoffs: handoffs)
        var groups: [Key: ReportAccumulator] = [:]
        var totals = ReportAccumulator()
        let end = period.to
        let horizon = min(now, end)
        var ends = WorkingDayEnds()
        // By index: each case's facts are read where they lie, not copied (a copy retains every string in them).
        for index in facts.indices {
            guard let month = period.month(of: facts[index].createdAt), counts(facts[index].unit) else { continue }
            let key = Key(
                unit: facts[index].unit, month: month, kind: facts[index].kind, ipType: facts[index].ipType)
            let alone = history.filedWithoutPerson(facts[index].applicant, filedAt: facts[index].createdAt)
            let overdueNow = deadlines.isOverdue(facts[index], at: now, ends: &ends)
            let overdueEver = deadlines.wasOverdue(facts[index], before: horizon, ends: &ends)
            groups[key, default: ReportAccumulator()].add(
                facts[index], end: end, withoutPerson: alone, overdueNow: overdueNow, overdueEver: overdueEver)
            totals.add(
                facts[index], end: end, withoutPerson: alone, overdueNow: overdueNow, overdueEver: overdueEver)
        }
        for handoff in handoffs {
            guard let month = period.month(of: handoff.requestedAt), counts(handoff.unit) else { continue }
            let key = Key(unit: handoff.unit, month: month, kind: handoff.kind, ipType: handoff.ipType)
            groups[key, default: ReportAccumulator()].add(handoff, end: end)
            totals.add(handoff, end: end)
        }
        self.period = period
        self.unit = unit
        self.rows = groups.sorted { $0.key < $1.key }.map { Row(key: $0.key, figures: $0.value.finished()) }
        self.totals = totals.finished()
        if unit == nil {
            let visits = sessions.filter { period.month(of: $0.startedAt) != nil }
            self.totals.conversations = visits.count
            self.totals.conversationsWithoutPerson = visits.filter { !$0.handedOff }.count
        }
    }

    /// The not-accepted reasons that occur in the report, sorted: the CSV's reason columns.
    public var reasons: [String] {
        Set(self.totals.notAcceptedByReason.keys).sorted()
    }
}
