import Foundation

/// The report as JSON: the period (days in its time zone), the unit, the rows with their group's parts followed by
/// the figures, and the totals.
///
/// ```json
/// {"from": "2026-01-01", "to": "2027-01-01", "time_zone": "Asia/Shanghai", "unit": "nanning",
///  "rows": [{"unit": "nanning", "month": "2026-03", "kind": "aid_request", "ip_type": "patent", "received": 4, …}],
///  "totals": {"received": 15, …}}
/// ```
extension CaseReport: Encodable {
    enum CodingKeys: String, CodingKey {
        case from, to, unit, rows, totals
        case timeZone = "time_zone"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let days = self.period.days
        try container.encode(days.from, forKey: .from)
        try container.encode(days.to, forKey: .to)
        try container.encode(self.period.timeZone.identifier, forKey: .timeZone)
        try container.encode(self.unit, forKey: .unit)
        try container.encode(self.rows, forKey: .rows)
        try container.encode(self.totals, forKey: .totals)
    }
}

extension CaseReport.Row: Encodable {
    enum CodingKeys: String, CodingKey {
        case unit, month, kind
        case ipType = "ip_type"
    }

    /// The group's parts and the figures in one flat object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.key.unit, forKey: .unit)
        try container.encode(self.key.month, forKey: .month)
        try container.encode(self.key.kind, forKey: .kind)
        try container.encode(self.key.ipType, forKey: .ipType)
        try self.figures.encode(to: encoder)
    }
}
