/// A change of a case's status, as staff (or the applicant, for a withdrawal) ask for it.
public enum CaseChange: Sendable, Equatable {
    /// Accept the aid request (受理).
    case accept
    /// Do not accept it, for one of the configured reasons.
    case notAccept(reason: String)
    /// Start handling: an accepted aid request, or a complaint handled directly.
    case start
    /// Conclude an aid request with its outcome.
    case conclude(CaseOutcome)
    /// Pass a complaint on to the competent authority.
    case transfer(CaseTransfer)
    /// The authority's signed receipt came back on `date` (`yyyy-MM-dd`).
    case receiptReturned(date: String)
    /// Close a complaint (after the receipt, or when handled directly), with an outcome if there is one.
    case close(CaseOutcome?)
    /// File a finished case away.
    case archive
    /// Withdraw the case (the applicant's wish).
    case withdraw
    /// Refer the case to another unit, which then decides on it.
    case refer(to: UnitID)

    /// The action's name in the API and in error messages.
    public var name: String {
        switch self {
        case .accept: "accept"
        case .notAccept: "not_accept"
        case .start: "start"
        case .conclude: "conclude"
        case .transfer: "transfer"
        case .receiptReturned: "receipt_returned"
        case .close: "close"
        case .archive: "archive"
        case .withdraw: "withdraw"
        case .refer: "refer"
        }
    }
}
