/// One patent year's annual fee (年费): when it is due, how much it is, and what paying late costs
/// (legal-status.md §3; Implementing Regulations Rules 5, 115).
///
/// Amounts are the full official fees in yuan; fee reductions (费减) are not in the status data, so a reduced
/// amount is never quoted.
public struct AnnualFee: Sendable, Hashable {
    /// The patent year the fee pays for (year 1 starts on the filing date).
    public let year: Int
    /// The day the fee is due: filing date + (year − 1) years (29 February → 28 February in common years).
    public let dueDate: CalendarDay
    /// The full fee for the year, in yuan.
    public let amount: Int

    public init(year: Int, dueDate: CalendarDay, amount: Int) {
        self.year = year
        self.dueDate = dueDate
        self.amount = amount
    }

    /// Months of grace after the due date.
    public static let graceMonths = 6
    /// Surcharge percentage per started month after the first, and its cap.
    public static let surchargeStepPercent = 5
    public static let surchargeCapPercent = 25

    /// The last day the fee can still be paid, with surcharge: the corresponding day 6 months after the due
    /// date, or that month's last day (due 08-31 → 02-28, or 02-29 in a leap year). A period ending on a
    /// rest day moves to the next working day (Rule 5): ``graceEnd(in:)`` applies that shift.
    public var graceEnd: CalendarDay {
        self.dueDate.adding(months: Self.graceMonths)
    }

    /// ``graceEnd`` moved to the next working day when it falls on a rest day of `calendar` (Rule 5).
    public func graceEnd(in calendar: HolidayCalendar) -> CalendarDay {
        calendar.deadline(self.graceEnd)
    }

    /// Whether `today` is after the due date and at most the grace period's end.
    public func isInGrace(on today: CalendarDay) -> Bool {
        today > self.dueDate && today <= self.graceEnd
    }

    /// Whether `today` is after the due date and at most the grace period's end moved by `calendar`.
    public func isInGrace(on today: CalendarDay, in calendar: HolidayCalendar) -> Bool {
        today > self.dueDate && today <= self.graceEnd(in: calendar)
    }

    /// The surcharge (滞纳金) for paying on `today`, as a percentage of ``amount``: 0 up to and including the
    /// corresponding day one month after the due date; then 5 % for each further month begun (CNIPA: more than
    /// 1 month and up to 2 full months late → 5 %, … more than 5 up to 6 months → 25 %); never more than 25 %.
    /// After the grace period it stays at 25 %, the figure owed with a restoration.
    public func surchargePercent(on today: CalendarDay) -> Int {
        var months = 0
        while months < Self.surchargeCapPercent / Self.surchargeStepPercent,
            today > self.dueDate.adding(months: months + 1)
        {
            months += 1
        }
        return months * Self.surchargeStepPercent
    }

    /// The surcharge in yuan for paying on `today`.
    public func surcharge(on today: CalendarDay) -> Int {
        self.amount * self.surchargePercent(on: today) / 100
    }

    /// The fee plus the surcharge for paying on `today`.
    public func totalDue(on today: CalendarDay) -> Int {
        self.amount + self.surcharge(on: today)
    }
}
