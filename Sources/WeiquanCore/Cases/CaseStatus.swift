/// Where a case is in its life (ip-domain.md §4.2): filed, reviewed, handled, closed.
public enum CaseStatus: String, Codable, Sendable, CaseIterable {
    /// Filed by the applicant, not yet looked at.
    case submitted
    /// Staff asked for more material (补正).
    case awaitingMaterials = "awaiting_materials"
    /// Accepted (受理) and being handled.
    case accepted
    /// Not accepted (不予受理), with a reason.
    case rejected
    /// Passed on to an enforcement body (举报投诉转交).
    case transferred
    /// Concluded (结案).
    case closed
    /// Withdrawn by the applicant.
    case withdrawn
}
