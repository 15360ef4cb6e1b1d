import Foundation

/// The ends of working-day periods already worked out by ``CaseDeadlines/endOfWorkingDays(_:after:)``, by count
/// and local day: a report over a year's cases asks for the same few hundred again and again, and each costs a walk
/// over the calendar.
struct WorkingDayEnds {
    private var ends: [Int: Date] = [:]
    /// Counts and days with no end (a count out of range, a calendar with no working day).
    private var none: Set<Int> = []

    /// The end of the `count`-th working day after the day of `date`, as `deadlines` counts it.
    mutating func end(_ count: Int, after date: Date, _ deadlines: CaseDeadlines) -> Date? {
        let day = CivilDay.local(date, in: deadlines.calendar.zone).day
        // Counts are at most ``CaseDeadlines/maximumWorkingDays`` (250); anything else has no end anyway.
        let key = day &* 1024 &+ min(max(count, -1), 1023)
        if let end = self.ends[key] { return end }
        if self.none.contains(key) { return nil }
        guard let end = deadlines.endOfWorkingDays(count, after: date) else {
            self.none.insert(key)
            return nil
        }
        self.ends[key] = end
        return end
    }
}
