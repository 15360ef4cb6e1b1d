/// Restoring a patent that ended for an unpaid annual fee (权利的恢复; legal-status.md §3, Implementing
/// Regulations Rule 6): within 2 months of receiving the termination notice, paying the unpaid fee, the
/// surcharge and a 1,000-yuan restoration fee.
///
/// The right ends from the fee's due date, and the notice is announced months later: the window runs from
/// the notice's receipt, which the registry does not hold. The caller passes it (the day the applicant says
/// the notice arrived, or ``presumedReceipt(sentOn:)`` of the dispatch date).
public struct AnnualFeeRestoration: Sendable, Hashable {
    /// The restoration request fee (恢复权利请求费), in yuan.
    public static let requestFee = 1_000
    /// Days after dispatch at which a posted notice is presumed received (Implementing Regulations Rule 4).
    public static let presumedDeliveryDays = 15
    /// Months for the request after receipt.
    public static let windowMonths = 2

    /// The unpaid fee that ended the right.
    public let fee: AnnualFee
    /// The day the termination notice was received.
    public let noticeReceived: CalendarDay

    public init(fee: AnnualFee, noticeReceived: CalendarDay) {
        self.fee = fee
        self.noticeReceived = noticeReceived
    }

    /// The day a notice sent on `sent` is presumed received: 15 days later.
    public static func presumedReceipt(sentOn sent: CalendarDay) -> CalendarDay {
        sent.adding(days: Self.presumedDeliveryDays)
    }

    /// The last day to request restoration: the corresponding day 2 months after receipt (or that month's
    /// last day), not moved for rest days: ``deadline(in:)`` applies that shift (Rule 5).
    public var deadline: CalendarDay {
        self.noticeReceived.adding(months: Self.windowMonths)
    }

    /// ``deadline`` moved to the next working day when it falls on a rest day of `calendar` (Rule 5).
    public func deadline(in calendar: HolidayCalendar) -> CalendarDay {
        calendar.deadline(self.deadline)
    }

    /// Whether restoration can still be requested on `today`.
    public func isOpen(on today: CalendarDay) -> Bool {
        today <= self.deadline
    }

    /// Whether restoration can still be requested on `today`, the deadline moved by `calendar`.
    public func isOpen(on today: CalendarDay, in calendar: HolidayCalendar) -> Bool {
        today <= self.deadline(in: calendar)
    }

    /// The surcharge owed with the fee: the grace period is over, so the full 25 %.
    public var surcharge: Int {
        self.fee.amount * AnnualFee.surchargeCapPercent / 100
    }

    /// Everything to pay: the fee, its surcharge and the restoration request fee.
    public var total: Int {
        self.fee.amount + self.surcharge + Self.requestFee
    }
}
