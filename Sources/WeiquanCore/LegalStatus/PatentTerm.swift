/// The term of a Chinese patent: how long it can stay in force, counted from the actual filing date
/// (legal-status.md §3; Patent Law Art. 42, Implementing Regulations Rules 12, 119).
///
/// The term is a fixed date: it is never restored, and its last day does not move for a holiday. Whether the
/// patent is in force before then depends on its events (fees, invalidation, surrender), not on this type.
public struct PatentTerm: Sendable, Hashable {
    /// The first filing day for which a design gets 15 years (Patent Law 2020 in force); designs filed on or
    /// before 2021-05-31 keep 10.
    public static let designCutover = CalendarDay(dayNumber: CivilDay.number(year: 2021, month: 6, day: 1))

    /// The kind of application; PCT kinds follow their base kinds.
    public let kind: PatentApplicationNumber.Kind
    /// The actual Chinese filing date (the international filing date for PCT), not a priority date.
    public let filingDate: CalendarDay
    /// Days of term compensation (专利权期限补偿) from a registered compensation event; nil when none is
    /// registered (which does not prove there is none: see ``compensationMayApply(grantedOn:examinationRequestedOn:)``).
    public let compensationDays: Int?

    public init(kind: PatentApplicationNumber.Kind, filingDate: CalendarDay, compensationDays: Int? = nil) {
        self.kind = kind
        self.filingDate = filingDate
        self.compensationDays = compensationDays
    }

    /// Years of protection: invention 20, utility model 10, design 15 (10 when filed before ``designCutover``).
    public var years: Int {
        Self.years(kind: self.kind, filingDate: self.filingDate)
    }

    /// Years of protection for a kind filed on a day.
    public static func years(kind: PatentApplicationNumber.Kind, filingDate: CalendarDay) -> Int {
        switch kind {
        case .invention, .pctInvention: 20
        case .utilityModel, .pctUtilityModel: 10
        case .design: filingDate < Self.designCutover ? 10 : 15
        }
    }

    /// The last day of the statutory term: filing date + ``years`` years − 1 day (filed 2013-06-29 as an
    /// invention → 2033-06-28).
    ///
    /// Filed on 29 February: in a year without 29 February the corresponding day is 28 February (Rule 5: the
    /// month's last day), and the term ends the day before, 27 February (utility model filed 2008-02-29 →
    /// 2018-02-27). A reading that ends it on 28 February exists; confirm with the official register when it
    /// matters.
    public var statutoryLastDay: CalendarDay {
        self.filingDate.adding(years: self.years).adding(days: -1)
    }

    /// The last day in force at the latest: ``statutoryLastDay`` plus the registered compensation, if any.
    public var lastDay: CalendarDay {
        self.statutoryLastDay.adding(days: self.compensationDays ?? 0)
    }

    /// Whether the term has run out on `today` (the day after ``lastDay`` or later).
    public func hasExpired(on today: CalendarDay) -> Bool {
        today > self.lastDay
    }

    /// Whether term compensation could have been granted although none is registered here: an invention
    /// granted more than 4 years after filing and (when the day is known) more than 3 years after the
    /// request for substantive examination (Patent Law Art. 42(2)). The answer then says to check the official
    /// register; only a registered compensation changes ``lastDay``.
    public func compensationMayApply(grantedOn grant: CalendarDay, examinationRequestedOn request: CalendarDay?) -> Bool
    {
        guard self.compensationDays == nil, self.kind == .invention || self.kind == .pctInvention else { return false }
        guard grant > self.filingDate.adding(years: 4) else { return false }
        guard let request else { return true }
        return grant > request.adding(years: 3)
    }
}
