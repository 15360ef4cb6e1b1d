/// How long something took over a group of cases, in whole seconds: how many were measured, the median and the
/// 90th percentile by ``NearestRank``. Both are nil when nothing was measured.
public struct ReportSpread: Codable, Sendable, Equatable {
    public var count: Int
    public var median: Int?
    public var p90: Int?

    public init(count: Int, median: Int?, p90: Int?) {
        self.count = count
        self.median = median
        self.p90 = p90
    }

    /// The spread of `seconds` (in any order).
    public init(_ seconds: [Int]) {
        let sorted = seconds.sorted()
        self.init(
            count: sorted.count, median: NearestRank.percentile(50, of: sorted),
            p90: NearestRank.percentile(90, of: sorted))
    }

    enum CodingKeys: String, CodingKey {
        case count
        case median = "median_seconds"
        case p90 = "p90_seconds"
    }

    /// Writes nil figures as `null`, so every row has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.count, forKey: .count)
        try container.encode(self.median, forKey: .median)
        try container.encode(self.p90, forKey: .p90)
    }
}
