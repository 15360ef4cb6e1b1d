import Foundation

/// When a case is due, from the `cases` policy and the office-hours calendar (`desk.office_hours`): pure
/// arithmetic on the case's filing time, status, flags and the applicant's legal deadline; no clock is read.
///
/// The deadlines, and where their default figures come from (`shared/reference`, whose markers say how sure
/// each source is):
/// - **acceptance** of an aid request (受理审查): the end (local midnight) of the
///   ``CasePolicy/acceptanceWorkingDays``-th working day after the filing day; 15 by default, the figure of a public
///   flow model citing the national guideline (ip-domain.md §4.6, [P]).
/// - **review** of a complaint (passed on or handled directly): the same count with
///   ``CasePolicy/complaintReviewWorkingDays``; 5 by default, a local rule's initial review (ip-domain.md §4.6, [C
///   local]).
/// - **conclusion** of an e-commerce dispute: ``CasePolicy/ecommerceHours`` clock hours after filing; 24 by
///   default, Guangxi's rule for e-commerce patent cases (policy-notes.md; its source document was not found,
///   ip-domain.md §4.6 and §7, [U]). Of an exhibition case, with ``CasePolicy/exhibitionSameDay``: the end of the
///   filing day. No source gives a same-day figure (the trade-fair guideline gives the respondent 24 h,
///   ip-domain.md §4.6); it is the centre's own service promise, as issue 11 states it.
/// - **legal**: the start (local midnight) of the day the applicant must act by (``CaseRecord/legalDeadline``),
///   when that is earlier than the service's own deadline.
///
/// Working days are the calendar's: ``OfficeHours/weekdays`` that are not ``OfficeHours/holidays``, and the
/// make-up ``OfficeHours/workdays`` (调休), in its time zone. The filing day itself never counts, whatever the hour
/// (a period starts the day after the event), so a request filed on Friday evening, on a Saturday or on a holiday
/// counts from the next working day alike.
///
/// Which one applies follows the status: while `submitted`, the acceptance (or review) deadline, or the
/// conclusion deadline when that is earlier; while `accepted` or `in_progress`, the conclusion deadline (e-commerce
/// and exhibition cases only); in either, the legal deadline when it is earlier still. A complaint passed on
/// (`transferred`, `receipt_returned`) waits for the authority, and a finished case is due for nothing. A referral
/// keeps the filing time: the applicant's wait does not start again at the new unit.
public struct CaseDeadlines: Sendable {
    /// The most working days counted: a year's worth. Beyond it (a configuration error) there is no deadline.
    public static let maximumWorkingDays = 250
    /// How many days in a row may be closed before the calendar is taken to have no working days at all.
    static let longestClosure = 370

    public var policy: CasePolicy
    public var calendar: OfficeHours

    public init(policy: CasePolicy, calendar: OfficeHours) {
        self.policy = policy
        self.calendar = calendar
    }

    /// The deadlines of a centre: its `cases` policy, counted on the desk's office-hours calendar.
    public init(_ configuration: CentreConfiguration) {
        self.init(policy: configuration.cases, calendar: configuration.desk.officeHours)
    }

    // MARK: - The deadline that applies

    /// The deadline of the case as it is now; nil when nothing is due.
    public func current(for record: CaseRecord) -> CaseDeadline? {
        self.current(
            kind: record.kind, status: record.status, filedAt: record.createdAt, flags: record.flags,
            legalDeadline: record.legalDeadline)
    }

    /// The deadline of a case known by its summary; the same as for its record.
    public func current(for summary: CaseSummary) -> CaseDeadline? {
        self.current(
            kind: summary.kind, status: summary.status, filedAt: summary.createdAt, flags: summary.flags,
            legalDeadline: summary.legalDeadline)
    }

    /// The earliest of the deadlines the status makes due; on a tie, the service's own.
    public func current(
        kind: CaseKind, status: CaseStatus, filedAt: Date, flags: CaseFlags, legalDeadline: String?
    ) -> CaseDeadline? {
        self.current(kind: kind, status: status, filedAt: filedAt, flags: flags, legalDeadline: legalDeadline) {
            self.endOfWorkingDays($0, after: filedAt)
        }
    }

    /// ``current(kind:status:filedAt:flags:legalDeadline:)`` with the end of the N-th working day after the filing
    /// from `workingDaysEnd` (N in, the end out), so that a caller working out many deadlines can remember them.
    func current(
        kind: CaseKind, status: CaseStatus, filedAt: Date, flags: CaseFlags, legalDeadline: String?,
        workingDaysEnd: (Int) -> Date?
    ) -> CaseDeadline? {
        // The earliest, the first of equals winning: a running minimum, as many are worked out at once.
        var due: CaseDeadline?
        func consider(_ kind: CaseDeadline.Kind, _ date: Date?) {
            guard let date, date < due?.dueAt ?? .distantFuture else { return }
            due = CaseDeadline(kind: kind, dueAt: date)
        }
        switch status {
        case .submitted:
            switch kind {
            case .aidRequest: consider(.acceptance, workingDaysEnd(self.policy.acceptanceWorkingDays))
            case .complaint: consider(.review, workingDaysEnd(self.policy.complaintReviewWorkingDays))
            }
        case .accepted, .inProgress:
            break
        case .transferred, .receiptReturned, .notAccepted, .concluded, .closed, .archived, .withdrawn:
            return nil
        }
        if !flags.isEmpty { consider(.conclusion, self.conclusion(filedAt: filedAt, flags: flags)) }
        if legalDeadline != nil { consider(.legal, self.legal(legalDeadline)) }
        return due
    }

    // MARK: - Each deadline

    /// The end (the next local midnight) of the `count`-th working day after the day of `date`; nil when `count`
    /// is outside 1…``maximumWorkingDays`` or the calendar has no working day for more than a year.
    public func endOfWorkingDays(_ count: Int, after date: Date) -> Date? {
        guard (1...Self.maximumWorkingDays).contains(count) else { return nil }
        let zone = self.calendar.zone
        var day = CivilDay.local(date, in: zone).day
        var counted = 0
        var closed = 0
        while counted < count {
            day += 1
            if self.calendar.isWorkingDay(day) {
                counted += 1
                closed = 0
            } else {
                closed += 1
                if closed > Self.longestClosure { return nil }
            }
        }
        return CivilDay.instant(day: day, second: 86_400, in: zone)
    }

    /// When an e-commerce or exhibition case must be concluded (the earlier, when both); nil for other cases.
    public func conclusion(filedAt: Date, flags: CaseFlags) -> Date? {
        var dates: [Date] = []
        if flags.contains(.ecommerce), self.policy.ecommerceHours >= 1 {
            dates.append(filedAt.addingTimeInterval(TimeInterval(self.policy.ecommerceHours) * 3_600))
        }
        if flags.contains(.exhibition), self.policy.exhibitionSameDay {
            let zone = self.calendar.zone
            dates.append(CivilDay.instant(day: CivilDay.local(filedAt, in: zone).day, second: 86_400, in: zone))
        }
        return dates.min()
    }

    /// The start of the applicant's legal deadline day (`yyyy-MM-dd`, local midnight); nil when none or malformed.
    public func legal(_ day: String?) -> Date? {
        guard let day, let number = CivilDay.parse(day) else { return nil }
        return CivilDay.instant(day: number, second: 0, in: self.calendar.zone)
    }
}
