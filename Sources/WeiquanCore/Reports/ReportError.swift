/// Why a report cannot be made as asked. The HTTP edge answers 400 (404 for an unknown unit), the CLI says why.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A bound of the period is not a `yyyy-MM-dd` day.
    case invalidDay(name: String, text: String)
    /// `to` is not after `from`.
    case emptyPeriod(from: String, to: String)
    /// The period is longer than ``ReportPeriod/maximumMonths`` months.
    case periodTooLong(months: Int)
    /// The unit asked for is not in the directory.
    case unknownUnit(UnitID)
    /// The time zone months are counted in is unknown.
    case unknownTimeZone(String)

    /// Stable and machine-readable: clients branch on it.
    public var code: String {
        switch self {
        case .invalidDay: "invalid_date"
        case .emptyPeriod: "empty_period"
        case .periodTooLong: "period_too_long"
        case .unknownUnit: "unknown_unit"
        case .unknownTimeZone: "unknown_time_zone"
        }
    }

    /// For people: what went wrong and what to do.
    public var message: String {
        switch self {
        case .invalidDay(let name, let text): "\(name) must be a day, yyyy-MM-dd, not '\(text)'"
        case .emptyPeriod(let from, let to): "the period is empty: to (\(to)) must be after from (\(from))"
        case .periodTooLong(let months):
            "the period spans \(months) months; a report covers at most \(ReportPeriod.maximumMonths)"
        case .unknownUnit(let unit): "no unit '\(unit)' in the directory"
        case .unknownTimeZone(let name): "no time zone '\(name)'"
        }
    }

    public var description: String { "\(self.code): \(self.message)" }
}
