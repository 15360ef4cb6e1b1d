/// A trademark's status derived from its flow rows (legal-status.md §2, §3): the bucket, the overlays beside it,
/// the term and the periods that matter. Made by ``TrademarkStatusDerivation``.
public struct TrademarkStatus: Sendable, Equatable {
    /// Why a mark is no longer in force. Aggregators call all of these 商标无效; the flow rows tell them apart.
    public enum EndReason: String, Sendable, CaseIterable {
        /// Not renewed: past the term and its 6 months' grace (期满未续展), ended at the term's last day.
        case expired
        /// Cancelled at the holder's request (商标注销).
        case surrendered
        /// Revoked (撤销, for example after three years' non-use): ended from the revocation's announcement.
        case revoked
        /// Declared invalid (宣告无效): void from the start.
        case invalidated
    }

    /// A procedure against the mark that may end it.
    public enum Challenge: String, Sendable, CaseIterable {
        /// 商标异议, during or after the preliminary announcement's three months.
        case opposition
        /// 无效宣告 (formerly 争议).
        case invalidation
        /// 撤销 (连续三年不使用, 成为通用名称 …).
        case revocation
    }

    /// Nil when no row decides a status (only informational or unknown rows); otherwise one of the trademark
    /// buckets.
    public var bucket: LegalStatusBucket?
    /// The row that decided the bucket: its business and step are the official wording shown. For a challenged
    /// mark, the latest row of a challenge under way; for a renewed mark, the renewal.
    public var decidedBy: TrademarkFlowRow?
    /// Registered on the mark now: a transfer, a pledge, a licence or a preservation not released.
    public var overlays: Set<LegalStatusOverlay> = []
    /// The registration date (the 注册公告 row's date, or the date the caller passed).
    public var registered: CalendarDay?
    /// Completed renewals (each adds ten years to the term).
    public var renewals = 0
    /// Refused, and re-examination (驳回复审, 不予注册复审) can still be requested.
    public var isAppealable = false
    /// For a refusal notified by a dated row: the last day to request re-examination, 15 days counted from that
    /// row's date (the notice's dispatch). The law counts from receipt, which comes later, so this is the earliest
    /// the period can end — a cautious figure; moved past rest days when the derivation has a calendar.
    public var appealEnds: CalendarDay?
    /// Refused, and a re-examination is under way (驳回复审中): not final, not appealable again.
    public var isReviewUnderWay = false
    /// Preliminarily approved: the last day of the three months' opposition from the 初审公告 row's date.
    public var oppositionEnds: CalendarDay?
    /// Procedures against the mark still under way.
    public var challenges: Set<Challenge> = []
    /// Why the mark is not in force, when it is not (``LegalStatusBucket/trademarkNotInForce``).
    public var endReason: EndReason?
    /// Rows neither business nor step explains; they changed nothing.
    public var unknownRows: [TrademarkFlowRow] = []

    public init() {}

    /// The current term, when the registration date is known.
    public var term: TrademarkTerm? {
        self.registered.map { TrademarkTerm(registrationDate: $0, renewals: self.renewals) }
    }
}
