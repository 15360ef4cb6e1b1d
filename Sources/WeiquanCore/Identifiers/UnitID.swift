/// The stable id of a unit of the aid network (an ``OrgUnit``), as the configuration's directory names it
/// (`centre`, `nanning`): cases, handoffs, queues and desk tokens refer to units by it.
public struct UnitID: StringIdentifier {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
}
