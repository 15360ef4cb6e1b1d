/// A patent's status derived from its events (legal-status.md §2): the bucket, the overlays beside it, the flags
/// and the dates that explain them. Made by ``PatentStatusDerivation``.
public struct PatentStatus: Sendable, Equatable {
    /// The plain-language status; exactly one applies once a decisive event is known.
    public enum Bucket: String, Sendable, CaseIterable {
        case inForce = "IN_FORCE"
        case pending = "PENDING"
        case lapsedFees = "LAPSED_FEES"
        case surrendered = "SURRENDERED"
        case expired = "EXPIRED"
        case invalidated = "INVALIDATED"
        case withdrawn = "WITHDRAWN"
        case rejected = "REJECTED"
    }

    /// What is registered on the right beside its bucket.
    public enum Overlay: String, Sendable, CaseIterable {
        case transferred = "TRANSFERRED"
        case pledged = "PLEDGED"
        case licensed = "LICENSED"
        case preserved = "PRESERVED"
    }

    /// A termination for unpaid annual fees (CF01): announced months after it takes effect.
    public struct FeeLapse: Sendable, Equatable {
        /// The announcement day: not the day the right ended.
        public var announced: CalendarDay
        /// The unpaid fee's due date, from which the right ended, when the caller knows it (the annual-fee rules
        /// compute it from the filing date); nil otherwise: then say the right ended "from the fee's due date".
        public var endsFrom: CalendarDay?

        public init(announced: CalendarDay, endsFrom: CalendarDay? = nil) {
            self.announced = announced
            self.endsFrom = endsFrom
        }
    }

    /// The latest registered transfer (TR01, C41).
    public struct Transfer: Sendable, Equatable {
        /// The announcement day.
        public var announced: CalendarDay
        /// 登记生效日: the day the transfer took effect, when the export gives it.
        public var effective: CalendarDay?

        public init(announced: CalendarDay, effective: CalendarDay? = nil) {
            self.announced = announced
            self.effective = effective
        }
    }

    /// Nil when no event decides a status (only informational or unknown events).
    public var bucket: Bucket?
    /// The event that decided the bucket (for a restored right, the restoration).
    public var decidedBy: PatentEvent?
    /// Registered now: a transfer counts from its effective date; released pledges, licences and
    /// preservations are gone.
    public var overlays: Set<Overlay> = []
    /// The lapse or withdrawal may still be undone (`…,等恢复`).
    public var isRestorable = false
    /// Rejected, and the three months to request re-examination have not passed.
    public var isAppealable = false
    /// For a rejection: the last day to request re-examination, counted from the announcement (the period ends on
    /// the corresponding day of the third month, moved past rest days when the derivation has a calendar).
    public var appealEnds: CalendarDay?
    /// Pending, granted, registration under way (等待颁证公告, 等年登印费).
    public var isGrantImminent = false
    /// In force, an annual fee's grace period running (等年费滞纳金): at risk.
    public var isFeeGraceRunning = false
    /// In force after a partial invalidation: the claims were amended.
    public var isPartiallyInvalidated = false
    /// Withdrawn by the office (视为撤回) rather than by the applicant.
    public var isDeemedWithdrawn = false
    /// A term compensation is registered: the end of term is later than the plain term.
    public var hasTermCompensation = false
    /// For a fee lapse: when it was announced and when it took effect.
    public var feeLapse: FeeLapse?
    /// The latest transfer, registered even if its effective date is still to come.
    public var transfer: Transfer?
    /// Events neither code nor wording explains; they changed nothing.
    public var unknownEvents: [PatentEvent] = []

    public init() {}

    /// The bucket the bot's replies explain (``LegalStatusBucket``), or nil without a decisive event.
    ///
    /// A surrender reads as 撤回/放弃; a restorable lapse or withdrawal as restorable.
    public var legalStatusBucket: LegalStatusBucket? {
        guard let bucket else { return nil }
        switch bucket {
        case .pending: return self.isGrantImminent ? .grantPending : .pending
        case .inForce:
            if self.isFeeGraceRunning { return .inForceFeeDue }
            return self.isPartiallyInvalidated ? .partiallyInvalidated : .inForce
        case .lapsedFees: return self.isRestorable ? .restorable : .lapsedUnpaidFees
        case .withdrawn:
            if self.isRestorable { return .restorable }
            return self.isDeemedWithdrawn ? .deemedWithdrawn : .withdrawn
        case .surrendered: return .withdrawn
        case .expired: return .expired
        case .invalidated: return .invalidated
        case .rejected: return .rejected
        }
    }
}
