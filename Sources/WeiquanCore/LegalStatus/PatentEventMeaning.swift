/// What one patent event means for the status (legal-status.md §2), as ``PatentEventClassifier`` reads it.
public struct PatentEventMeaning: Sendable, Equatable {
    /// What the event does.
    public enum Effect: Sendable, Equatable {
        /// Decisive: the right (or application) is now in this bucket.
        case status(PatentStatus.Bucket)
        /// 权利的恢复 (RR01): undoes the fee lapse or withdrawal before it.
        case restoration
        /// A bare `等恢复`: the status stays, and may still be restored.
        case restorable
        /// An overlay begins (a transfer, pledge, licence or preservation registered).
        case overlay(PatentStatus.Overlay)
        /// An overlay ends (a pledge, licence or preservation cancelled or released).
        case release(PatentStatus.Overlay)
        /// Changes nothing (著录事项变更, 更正, 公告送达 …).
        case informational
        /// Neither the code nor the wording is known: reported, never guessed.
        case unknown
    }

    /// What else the wording says, beside the effect.
    public enum Note: String, Sendable, CaseIterable {
        /// `…,等恢复`: the lapse or withdrawal may still be undone.
        case restorable
        /// 等待颁证公告, 等年登印费: granted, registration under way.
        case grantImminent = "grant_imminent"
        /// 等年费滞纳金: still in force, the annual fee's grace period is running.
        case feeGraceRunning = "fee_grace_running"
        /// 部分无效: in force with amended claims.
        case partialInvalidation = "partial_invalidation"
        /// 视为撤回 (deemed), as opposed to the applicant withdrawing.
        case deemedWithdrawal = "deemed_withdrawal"
        /// 专利权期限补偿: the end of term is extended.
        case termCompensation = "term_compensation"
    }

    /// How the meaning was found.
    public enum Basis: Sendable, Equatable {
        /// By the event code (normalised: `CF01`, `N`).
        case code(String)
        /// By a known wording (the normalised form that matched).
        case wording(String)
        /// Nothing matched.
        case none
    }

    public var effect: Effect
    public var notes: Set<Note>
    public var basis: Basis

    public init(_ effect: Effect, notes: Set<Note> = [], basis: Basis = .none) {
        self.effect = effect
        self.notes = notes
        self.basis = basis
    }

    /// Whether the event was understood; the importer refuses rows that were not.
    public var isKnown: Bool { self.effect != .unknown }
}
