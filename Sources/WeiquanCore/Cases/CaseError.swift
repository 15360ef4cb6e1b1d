/// Why a change to a case is refused. The HTTP edge decides the status each is answered with.
public enum CaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The action is not allowed from the case's status (or for its kind).
    case illegalTransition(case: CaseID, action: String, status: CaseStatus, kind: CaseKind)
    /// The reason is not in the configured list of reasons for not accepting.
    case unknownReason(case: CaseID, reason: String, allowed: [String])
    /// Something the action needs is missing or malformed.
    case missing(case: CaseID, what: String)
    /// The case is archived: it does not change any more.
    case archived(case: CaseID)

    /// Stable and machine-readable: clients branch on it.
    public var code: String {
        switch self {
        case .illegalTransition: "illegal_transition"
        case .unknownReason: "unknown_reason"
        case .missing: "missing_field"
        case .archived: "archived"
        }
    }

    /// For people: what went wrong.
    public var message: String {
        switch self {
        case .illegalTransition(let id, let action, let status, let kind):
            "case \(id) (\(kind.rawValue)) is \(status.rawValue): \(action) is not possible now"
        case .unknownReason(let id, let reason, let allowed):
            "case \(id): '\(reason)' is not a configured reason; use one of \(allowed.joined(separator: ", "))"
        case .missing(let id, let what):
            "case \(id): \(what)"
        case .archived(let id):
            "case \(id) is archived and does not change any more"
        }
    }

    public var description: String { "\(self.code): \(self.message)" }
}
