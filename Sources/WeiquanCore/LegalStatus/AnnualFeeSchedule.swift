/// The annual fees of one patent: the amount and due date of each patent year, and which fee the applicant
/// should hear about on a given day (legal-status.md §3).
///
/// The status data does not say which fees were paid: ``nextFee(on:grantedOn:)`` is the next one to fall due
/// and ``feeInGrace(on:grantedOn:)`` the one whose grace period is running, should it be unpaid (the events
/// say so: 等年费滞纳金).
public struct AnnualFeeSchedule: Sendable, Hashable {
    public let term: PatentTerm

    public init(term: PatentTerm) {
        self.term = term
    }

    /// The schedule of a patent of `kind` filed on `filingDate`.
    public init(kind: PatentApplicationNumber.Kind, filingDate: CalendarDay) {
        self.term = PatentTerm(kind: kind, filingDate: filingDate)
    }

    /// The full fee in yuan for patent year `year`, or nil outside the term (years 1 … ``PatentTerm/years``).
    ///
    /// Invention: 1–3 900, 4–6 1,200, 7–9 2,000, 10–12 4,000, 13–15 6,000, 16–20 8,000. Utility model: 1–3 600,
    /// 4–5 900, 6–8 1,200, 9–10 2,000. Design: as utility model, and 11–15 3,000.
    public func amount(year: Int) -> Int? {
        guard year >= 1, year <= self.term.years else { return nil }
        switch self.term.kind {
        case .invention, .pctInvention:
            switch year {
            case ...3: return 900
            case ...6: return 1_200
            case ...9: return 2_000
            case ...12: return 4_000
            case ...15: return 6_000
            default: return 8_000
            }
        case .utilityModel, .pctUtilityModel, .design:
            switch year {
            case ...3: return 600
            case ...5: return 900
            case ...8: return 1_200
            case ...10: return 2_000
            default: return 3_000
            }
        }
    }

    /// The due date of patent year `year`'s fee: filing date + (year − 1) years; nil outside the term.
    public func dueDate(year: Int) -> CalendarDay? {
        guard year >= 1, year <= self.term.years else { return nil }
        return self.term.filingDate.adding(years: year - 1)
    }

    /// Patent year `year`'s fee, or nil outside the term.
    public func fee(year: Int) -> AnnualFee? {
        guard let amount = self.amount(year: year), let due = self.dueDate(year: year) else { return nil }
        return AnnualFee(year: year, dueDate: due, amount: amount)
    }

    /// The patent year `day` falls in: the last year whose fee is due on or before it; 0 before the filing
    /// date. Not limited to the term.
    public func patentYear(on day: CalendarDay) -> Int {
        guard day >= self.term.filingDate else { return 0 }
        var year = day.year - self.term.filingDate.year + 1
        while self.term.filingDate.adding(years: year - 1) > day {
            year -= 1
        }
        return year
    }

    /// The next fee to fall due on or after `today` (a fee due today is still on time). Fees up to the
    /// patent year of the grant are paid with the registration (办理登记手续) and are skipped when `grant` is
    /// given. Nil when no fee remains in the term. Meaningful only for a granted patent.
    public func nextFee(on today: CalendarDay, grantedOn grant: CalendarDay? = nil) -> AnnualFee? {
        var year = self.patentYear(on: today)
        if year == 0 || self.term.filingDate.adding(years: year - 1) < today {
            year += 1
        }
        if let grant {
            year = max(year, self.patentYear(on: grant) + 1)
        }
        return self.fee(year: year)
    }

    /// The fee whose grace period contains `today` (due before it, grace not over), if unpaid; nil when there
    /// is none or it was paid with the registration (years up to the grant's patent year, when `grant` is given).
    /// With a `calendar`, a grace ending on a rest day runs to the next working day (Rule 5).
    public func feeInGrace(
        on today: CalendarDay, grantedOn grant: CalendarDay? = nil, in calendar: HolidayCalendar? = nil
    ) -> AnnualFee? {
        let year = self.patentYear(on: today)
        if let grant, year <= self.patentYear(on: grant) { return nil }
        guard let fee = self.fee(year: year) else { return nil }
        let inGrace = calendar.map { fee.isInGrace(on: today, in: $0) } ?? fee.isInGrace(on: today)
        return inGrace ? fee : nil
    }
}
