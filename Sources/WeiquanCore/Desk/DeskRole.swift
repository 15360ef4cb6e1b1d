/// What a bearer token of the staff desk API (`/api/v1`) may do.
///
/// - `admin`: everything, in every unit.
/// - `staff`: the handoffs of their unit, or of all units when the token is not bound to one.
/// - `volunteer`: the volunteer queue only (a later issue).
public enum DeskRole: String, Codable, Sendable, CaseIterable {
    /// Everything, in every unit.
    case admin
    /// The handoffs of their unit, or of all units when not bound to one.
    case staff
    /// The volunteer queue only.
    case volunteer
}
