/// The term of a registered Chinese trademark and its renewal (legal-status.md §3; Trademark Law Art. 39, 40,
/// Trademark Regulations Art. 12, 33).
///
/// Ten years from the registration date, ending the day before the corresponding day (registered 2019-10-28
/// → in force to 2029-10-27). Renewal may be filed in the 12 months before expiry and in 6 months' grace
/// after it; each renewal adds 10 years from the day after the previous expiry. Not renewed, the mark is
/// cancelled (注销). Madrid marks (G numbers) renew through WIPO.
public struct TrademarkTerm: Sendable, Hashable {
    /// Years added by the registration and by each renewal.
    public static let termYears = 10
    /// Months before expiry in which renewal may be filed.
    public static let renewalWindowMonths = 12
    /// Months of grace after expiry.
    public static let graceMonths = 6
    /// Months for an opposition after the preliminary announcement.
    public static let oppositionMonths = 3
    /// Days for requesting re-examination of a rejection after receiving it.
    public static let rejectionReviewDays = 15

    /// The registration date (注册公告日).
    public let registrationDate: CalendarDay
    /// Completed renewals (商标续展 rows concluded).
    public let renewals: Int

    public init(registrationDate: CalendarDay, renewals: Int = 0) {
        self.registrationDate = registrationDate
        self.renewals = max(0, renewals)
    }

    /// The term after one more renewal.
    public func renewed() -> TrademarkTerm {
        TrademarkTerm(registrationDate: self.registrationDate, renewals: self.renewals + 1)
    }

    /// The last day of the current term. The first term ends the day before the corresponding day ten years
    /// on; each renewal runs ten years from the day after the previous expiry and ends the day before its
    /// corresponding day. Registered on 29 February: in a common year the corresponding day is 28 February
    /// (the month's last day), so the term ends on 27 February (as ``PatentTerm/statutoryLastDay``).
    public var expiry: CalendarDay {
        var expiry = self.registrationDate.adding(years: Self.termYears).adding(days: -1)
        for _ in 0..<self.renewals {
            expiry = expiry.adding(days: 1).adding(years: Self.termYears).adding(days: -1)
        }
        return expiry
    }

    /// The first day renewal may be filed: the corresponding day 12 months before the day after ``expiry``
    /// (expiry 2029-10-27 → 2028-10-28).
    public var renewalWindowOpens: CalendarDay {
        self.expiry.adding(days: 1).adding(months: -Self.renewalWindowMonths)
    }

    /// The last day of the grace period: the corresponding day 6 months after ``expiry`` (or that month's last
    /// day), not moved for rest days: ``graceEnd(in:)`` applies that shift (Art. 12). ``expiry`` itself, the
    /// term's last day, never moves.
    public var graceEnd: CalendarDay {
        self.expiry.adding(months: Self.graceMonths)
    }

    /// ``graceEnd`` moved to the next working day when it falls on a rest day of `calendar` (Art. 12).
    public func graceEnd(in calendar: HolidayCalendar) -> CalendarDay {
        calendar.deadline(self.graceEnd)
    }

    /// Where the current term stands on `today` (a day before registration counts as in force).
    public func phase(on today: CalendarDay) -> TrademarkTermPhase {
        self.phase(on: today, graceEnd: self.graceEnd)
    }

    /// Where the current term stands on `today`, the grace period's end moved by `calendar`.
    public func phase(on today: CalendarDay, in calendar: HolidayCalendar) -> TrademarkTermPhase {
        self.phase(on: today, graceEnd: self.graceEnd(in: calendar))
    }

    private func phase(on today: CalendarDay, graceEnd: CalendarDay) -> TrademarkTermPhase {
        if today > graceEnd { return .expired }
        if today > self.expiry { return .inGrace }
        if today >= self.renewalWindowOpens { return .renewalWindowOpen }
        return .inForce
    }

    /// The last day to oppose a mark preliminarily approved on `announcement` (初审公告): the corresponding
    /// day 3 months later, or that month's last day.
    public static func oppositionEnd(announcedOn announcement: CalendarDay) -> CalendarDay {
        announcement.adding(months: Self.oppositionMonths)
    }

    /// ``oppositionEnd(announcedOn:)`` moved to the next working day when it falls on a rest day of `calendar`.
    public static func oppositionEnd(announcedOn announcement: CalendarDay, in calendar: HolidayCalendar)
        -> CalendarDay
    {
        calendar.deadline(Self.oppositionEnd(announcedOn: announcement))
    }

    /// The last day to request re-examination (驳回复审) of a rejection received on `receipt`: 15 days later,
    /// the day of receipt not counted.
    public static func rejectionReviewEnd(receivedOn receipt: CalendarDay) -> CalendarDay {
        receipt.adding(days: Self.rejectionReviewDays)
    }

    /// ``rejectionReviewEnd(receivedOn:)`` moved to the next working day when it falls on a rest day of `calendar`.
    public static func rejectionReviewEnd(receivedOn receipt: CalendarDay, in calendar: HolidayCalendar)
        -> CalendarDay
    {
        calendar.deadline(Self.rejectionReviewEnd(receivedOn: receipt))
    }
}
