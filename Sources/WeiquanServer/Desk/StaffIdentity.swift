import WeiquanCore
import WeiquanStore

/// Who is calling the staff desk API: the name, role and unit of the bearer token presented.
public struct StaffIdentity: Sendable, Equatable {
    /// The token's name (`desk-1`), which identifies the staff member or desk.
    public var name: String
    /// What the caller may do.
    public var role: DeskRole
    /// The unit (an `OrgUnit` id) the caller works for; nil means all units.
    public var unit: UnitID?
    /// A volunteer's fields (``IPType`` raw values): they see questions of these types and those of none; empty: all.
    public var specialties: [String]
    /// The units whose questions a volunteer sees (each with the units below it); empty: all.
    public var regions: [UnitID]

    /// An identity from its parts.
    public init(name: String, role: DeskRole, unit: UnitID?, specialties: [String] = [], regions: [UnitID] = []) {
        self.name = name
        self.role = role
        self.unit = unit
        self.specialties = specialties
        self.regions = regions
    }

    /// The identity a stored token grants.
    init(_ token: StoredToken) {
        self.init(
            name: token.name, role: token.role, unit: token.unit, specialties: token.specialties, regions: token.regions
        )
    }
}
