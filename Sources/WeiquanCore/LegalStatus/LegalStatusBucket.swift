/// The plain-language bucket an official legal status falls into (ip-domain.md §3.2, §3.3).
///
/// The official wording is always shown as well; the bucket only chooses the explanation.
public enum LegalStatusBucket: String, Codable, Sendable, CaseIterable {
    // Patents
    case pending
    case grantPending = "grant_pending"
    case inForce = "in_force"
    case inForceFeeDue = "in_force_fee_due"
    case restorable
    case rejected
    case deemedWithdrawn = "deemed_withdrawn"
    case withdrawn
    case lapsedUnpaidFees = "lapsed_unpaid_fees"
    case expired
    case invalidated
    case partiallyInvalidated = "partially_invalidated"
    // Trademarks
    case trademarkPending = "trademark_pending"
    case trademarkPreliminaryApproval = "trademark_preliminary_approval"
    case trademarkRegistered = "trademark_registered"
    case trademarkRenewalWindow = "trademark_renewal_window"
    case trademarkRefused = "trademark_refused"
    case trademarkChallenged = "trademark_challenged"
    case trademarkNotInForce = "trademark_not_in_force"

    /// The right does not stand (lapsed, expired, invalidated, withdrawn, rejected — restorable ones too): aid
    /// against an infringement needs a right in force.
    public var isNotInForce: Bool {
        switch self {
        case .restorable, .rejected, .deemedWithdrawn, .withdrawn, .lapsedUnpaidFees, .expired, .invalidated,
            .trademarkRefused, .trademarkNotInForce:
            true
        default: false
        }
    }

    /// Statuses where time matters: the applicant should talk to staff soon.
    public var isUrgent: Bool {
        switch self {
        case .inForceFeeDue, .restorable, .trademarkRenewalWindow, .trademarkChallenged: true
        default: false
        }
    }
}
