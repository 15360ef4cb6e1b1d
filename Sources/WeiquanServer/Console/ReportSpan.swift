import Foundation
import WeiquanCore

/// The period the reports page shows: a month, a quarter or a year (in Asia/Shanghai) from the month picked, and
/// the periods before and after it.
struct ReportSpan: Sendable, Equatable {
    enum Kind: String, CaseIterable, Sendable {
        case month, quarter, year

        var label: String {
            switch self {
            case .month: "月"
            case .quarter: "季度"
            case .year: "年"
            }
        }

        var months: Int {
            switch self {
            case .month: 1
            case .quarter: 3
            case .year: 12
            }
        }
    }

    var kind: Kind
    var year: Int
    /// The first month of the period, 1–12.
    var month: Int

    /// The span of `kind` (default: year) that holds the month `start` (`2026-03`; default: the month of `now`).
    /// Anything malformed falls back to the defaults.
    init(kind: String?, start: String?, now: Date) {
        self.kind = kind.flatMap(Kind.init(rawValue:)) ?? .year
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: ReportPeriod.shanghai) ?? .gmt
        let today = calendar.dateComponents([.year, .month], from: now)
        var year = today.year ?? 2026
        var month = today.month ?? 1
        if let start {
            let parts = start.split(separator: "-")
            if parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (2000...2100).contains(y),
                (1...12).contains(m)
            {
                year = y
                month = m
            }
        }
        switch self.kind {
        case .month: break
        case .quarter: month = (month - 1) / 3 * 3 + 1
        case .year: month = 1
        }
        self.year = year
        self.month = month
    }

    private init(kind: Kind, year: Int, month: Int) {
        self.kind = kind
        self.year = year
        self.month = month
    }

    /// The first day, `2026-01-01`.
    var from: String { Self.day(year: self.year, month: self.month) }

    /// The day after the last, `2027-01-01`.
    var to: String {
        let next = self.next
        return Self.day(year: next.year, month: next.month)
    }

    /// `2026-03`: the value of the month picker.
    var startMonth: String { String(format: "%04d-%02d", self.year, self.month) }

    /// `2026 年`, `2026 年第 1 季度`, `2026 年 3 月`.
    var label: String {
        switch self.kind {
        case .year: "\(self.year) 年"
        case .quarter: "\(self.year) 年第 \((self.month - 1) / 3 + 1) 季度"
        case .month: "\(self.year) 年 \(self.month) 月"
        }
    }

    var next: ReportSpan { self.moved(by: self.kind.months) }
    var previous: ReportSpan { self.moved(by: -self.kind.months) }

    private func moved(by months: Int) -> ReportSpan {
        let index = self.year * 12 + (self.month - 1) + months
        return ReportSpan(kind: self.kind, year: index / 12, month: index % 12 + 1)
    }

    private static func day(year: Int, month: Int) -> String {
        String(format: "%04d-%02d-01", year, month)
    }
}
