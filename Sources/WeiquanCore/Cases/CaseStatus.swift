/// Where a case is in its lifecycle (ip-domain.md §4, policy-notes.md).
///
/// Aid requests: `submitted → accepted | notAccepted → inProgress → concluded → archived`; complaints:
/// `submitted → transferred → receiptReturned → closed → archived`, or handled directly
/// (`submitted → inProgress → closed`). Either may be `withdrawn`. A referral to another unit keeps the case
/// `submitted` there (the new unit decides) and is recorded in the timeline. The rules are in
/// ``CaseRecord`` `+Transitions`.
public enum CaseStatus: String, Codable, Sendable, CaseIterable {
    /// Filed by the applicant, not yet decided on (受理审查).
    case submitted
    /// Accepted (受理).
    case accepted
    /// Not accepted (不予受理), with a reason from the configured list.
    case notAccepted = "not_accepted"
    /// Being handled: experts, opinions, mediation.
    case inProgress = "in_progress"
    /// Concluded (结案) with an outcome.
    case concluded
    /// A complaint passed on to the competent authority with a transfer letter (转交).
    case transferred
    /// The authority's signed receipt came back (回执).
    case receiptReturned = "receipt_returned"
    /// A complaint finished (办结).
    case closed
    /// Filed away (归档); nothing changes any more.
    case archived
    /// Withdrawn by the applicant, or by staff on their behalf.
    case withdrawn

    /// Statuses written by earlier versions, read as today's.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch text {
        case "rejected": self = .notAccepted
        case "awaiting_materials": self = .submitted
        default:
            guard let status = CaseStatus(rawValue: text) else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(
                        codingPath: decoder.codingPath, debugDescription: "unknown case status \(text)")
                )
            }
            self = status
        }
    }

    /// Whether nothing more is to be done on the case (staff cannot move it on, only archive it).
    public var isFinished: Bool {
        switch self {
        case .notAccepted, .concluded, .closed, .archived, .withdrawn: true
        case .submitted, .accepted, .inProgress, .transferred, .receiptReturned: false
        }
    }
}
