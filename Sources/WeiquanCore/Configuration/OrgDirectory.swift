/// The aid network of one province: its units and the regions they cover.
///
/// Routing picks the most local unit that serves a region and an IP type, falling back to the centre.
public struct OrgDirectory: Codable, Sendable, Equatable {
    public var regions: [Region]
    public var units: [OrgUnit]

    public init(regions: [Region], units: [OrgUnit]) {
        self.regions = regions
        self.units = units
    }

    /// The centre (the one unit whose level is `centre`), if configured.
    public var centre: OrgUnit? { self.units.first { $0.level == .centre } }

    public func unit(id: UnitID) -> OrgUnit? { self.units.first { $0.id == id } }

    /// Whether `unit` is `ancestor` or lies below it (its parent, its parent's parent, …).
    public func unit(_ unit: UnitID, isWithin ancestor: UnitID) -> Bool {
        var current: UnitID? = unit
        var seen: Set<UnitID> = []
        while let id = current, seen.insert(id).inserted {
            if id == ancestor { return true }
            current = self.unit(id: id)?.parent
        }
        return false
    }

    public func region(named name: String) -> Region? { self.regions.first { $0.name == name } }

    /// The unit a case goes to: a sub-centre (or workstation) serving the region and type, else the centre.
    public func route(region: String?, ipType: IPType?) -> OrgUnit? {
        if let region {
            let serving = self.units.filter { unit in
                unit.level != .centre && unit.regions.contains(region)
                    && (unit.ipTypes.isEmpty || ipType.map(unit.ipTypes.contains) ?? true)
            }
            // Prefer a sub-centre over a workstation: sub-centres accept cases, workstations pass them up.
            if let unit = serving.first(where: { $0.level == .subCentre }) ?? serving.first { return unit }
        }
        return self.centre
    }
}
