/// One unit of the aid network: the centre, a sub-centre or a workstation.
public struct OrgUnit: Codable, Sendable, Equatable, Identifiable {
    /// The level of a unit in the network (中心, 分中心, 工作站).
    public enum Level: String, Codable, Sendable {
        case centre
        case subCentre = "sub_centre"
        case workstation
    }

    /// Stable id, used in cases and tokens (for example `nanning`).
    public var id: UnitID
    /// Display name (for example `南宁市知识产权维权援助分中心`).
    public var name: String
    public var level: Level
    /// Canonical region names this unit serves; empty for the centre, which serves everything not claimed.
    public var regions: [String]
    /// The IP types this unit handles; empty means all.
    public var ipTypes: [IPType]
    /// The id of the unit cases go up to; nil for the centre.
    public var parent: UnitID?

    public init(
        id: UnitID, name: String, level: Level, regions: [String] = [], ipTypes: [IPType] = [], parent: UnitID? = nil
    ) {
        self.id = id
        self.name = name
        self.level = level
        self.regions = regions
        self.ipTypes = ipTypes
        self.parent = parent
    }

    enum CodingKeys: String, CodingKey {
        case id, name, level, regions, parent
        case ipTypes = "ip_types"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(UnitID.self, forKey: .id)
        self.name = try container.decode(String.self, forKey: .name)
        self.level = try container.decode(Level.self, forKey: .level)
        self.regions = try container.decodeIfPresent([String].self, forKey: .regions) ?? []
        self.ipTypes = try container.decodeIfPresent([IPType].self, forKey: .ipTypes) ?? []
        self.parent = try container.decodeIfPresent(UnitID.self, forKey: .parent)
    }
}
