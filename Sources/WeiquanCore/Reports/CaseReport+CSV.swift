import Foundation

/// The report as CSV (RFC 4180): a header, one line per row, then a `total` line; lines end in CRLF.
///
/// Numbers are plain (`12`, `66.67`); a figure that does not exist (a median of nothing) is an empty cell. Text
/// cells are quoted when they hold a comma, a quote or a line break, and one that starts with `=`, `+`, `-` or
/// `@` gets a leading `'` so a spreadsheet does not run it as a formula. The not-accepted reasons that occur get
/// a column each (`not_accepted:<reason>`), the outcomes always do (`concluded:<outcome>`).
extension CaseReport {
    /// The UTF-8 byte-order mark, which makes Excel read the file as UTF-8 (the Chinese reasons stay legible).
    public static let byteOrderMark = "\u{FEFF}"

    /// The CSV text, starting with ``byteOrderMark`` when `byteOrderMark` is true.
    public func csv(byteOrderMark: Bool = true) -> String {
        let reasons = self.reasons
        let header =
            ["unit", "month", "kind", "ip_type", "received", "accepted", "not_accepted"]
            + reasons.map { "not_accepted:\($0)" } + ["concluded"]
            + ReportFigures.outcomeKeys.map { "concluded:\($0)" }
            + [
                "withdrawn", "transferred", "receipts_returned", "ecommerce_received",
                "ecommerce_concluded_within_24h", "ecommerce_within_24h_percent", "time_to_accept_count",
                "time_to_accept_median_seconds", "time_to_accept_p90_seconds", "time_to_conclude_count",
                "time_to_conclude_median_seconds", "time_to_conclude_p90_seconds", "ended", "rated", "rating_mean",
                "rating_response_rate_percent", "handoffs", "handoffs_claimed", "handoff_wait_median_seconds",
                "handoff_wait_p90_seconds", "filed_without_person", "overdue_now", "overdue_ever",
                "conversations", "conversations_without_person",
            ]
        var lines = [header.map(Self.escape).joined(separator: ",")]
        for row in self.rows {
            let group = [
                row.key.unit?.rawValue ?? "", row.key.month, row.key.kind?.rawValue ?? "", row.key.ipType ?? "",
            ]
            lines.append(Self.line(group, row.figures, reasons: reasons))
        }
        lines.append(Self.line(["total", "", "", ""], self.totals, reasons: reasons))
        return (byteOrderMark ? Self.byteOrderMark : "") + lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func line(_ group: [String], _ figures: ReportFigures, reasons: [String]) -> String {
        let counts =
            [figures.received, figures.accepted, figures.notAccepted]
            + reasons.map { figures.notAcceptedByReason[$0] ?? 0 } + [figures.concluded]
            + ReportFigures.outcomeKeys.map { figures.concludedByOutcome[$0] ?? 0 }
            + [
                figures.withdrawn, figures.transferred, figures.receiptsReturned, figures.ecommerceReceived,
                figures.ecommerceConcludedWithin24h,
            ]
        let rest: [String] =
            [Self.number(figures.ecommerceWithin24hPercent)] + Self.cells(figures.timeToAccept)
            + Self.cells(figures.timeToConclude)
            + [
                String(figures.ended), String(figures.rated), Self.number(figures.ratingMean),
                Self.number(figures.ratingResponseRatePercent), String(figures.handoffs),
                String(figures.handoffsClaimed), Self.number(figures.handoffWait.median),
                Self.number(figures.handoffWait.p90), String(figures.filedWithoutPerson),
                String(figures.overdueNow), String(figures.overdueEver),
                figures.conversations.map(String.init) ?? "", figures.conversationsWithoutPerson.map(String.init) ?? "",
            ]
        return (group.map(Self.escape) + counts.map(String.init) + rest).joined(separator: ",")
    }

    private static func cells(_ spread: ReportSpread) -> [String] {
        [String(spread.count), Self.number(spread.median), Self.number(spread.p90)]
    }

    private static func number(_ value: Int?) -> String { value.map(String.init) ?? "" }

    /// `66.67`, `100` (not `100.0`), empty for nil.
    static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// RFC 4180 quoting, and a leading `'` before a formula's first character.
    public static func escape(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
