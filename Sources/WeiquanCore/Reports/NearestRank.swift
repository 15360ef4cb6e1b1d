/// Percentiles by the nearest-rank rule: of `n` values sorted ascending, the p-th percentile is the value at
/// rank ⌈p/100 × n⌉ (1-based). The median is the 50th percentile, so of an even count it is the lower middle
/// value; every figure is a value that occurred, never an interpolation.
public enum NearestRank {
    /// The `percent`-th percentile of `sorted` (ascending); nil when it is empty.
    public static func percentile(_ percent: Int, of sorted: [Int]) -> Int? {
        guard !sorted.isEmpty else { return nil }
        // ⌈percent × n / 100⌉ in integers.
        let rank = (percent * sorted.count + 99) / 100
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
