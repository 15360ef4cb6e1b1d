import Foundation
import WeiquanCore

/// The charts of the reports page, drawn on the server as inline SVG (no script): cases by month and unit (stacked
/// bars), the share of cases that met their deadlines by unit (bars), and the satisfaction ratings (a distribution).
///
/// Every chart is an `<svg role="img">` with a `<title>` and a `<desc>` that says its figures in words, and its
/// figures are also on the page as a table. Every text in it (units' names, months) is escaped here. Colours are
/// presentation attributes and classes (`fill="…"`), never `style=` (the console's policy allows no inline style).
struct ReportCharts: Sendable {
    /// The bars' colours, one per unit in turn (colour-blind safe, Okabe–Ito); `admin.css` has the legend's
    /// swatches in the same order (`.chart-c0` …).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

    let report: CaseReport
    /// A unit's name for people (its id when the directory has none; `未定单位` for none).
    let unitName: @Sendable (UnitID?) -> String

    /// Cases filed by month, one stacked segment per unit.
    var casesByMonth: String {
        let months = Self.months(of: self.report)
        let units = self.units
        var counts: [String: [UnitID?: Int]] = [:]
        for row in self.report.rows where row.figures.received > 0 {
            counts[row.key.month, default: [:]][row.key.unit, default: 0] += row.figures.received
        }
        let highest = max(1, months.map { month in counts[month]?.values.reduce(0, +) ?? 0 }.max() ?? 0)
        let width = 520.0
        let height = 250.0
        let left = 36.0
        let bottom = 214.0
        let top = 20.0
        let slot = (width - left - 8) / Double(max(months.count, 1))
        let barWidth = min(48, slot * 0.7)
        var svg = ""
        // The scale: 0, half and the highest.
        for tick in Set([0, highest / 2, highest]).sorted() {
            let y = bottom - (bottom - top) * Double(tick) / Double(highest)
            svg += #"<line x1="\#(left)" x2="\#(width - 8)" y1="\#(Self.f(y))" y2="\#(Self.f(y))" class="chart-grid"/>"#
            svg += #"<text x="\#(left - 6)" y="\#(Self.f(y + 4))" text-anchor="end" class="chart-axis">\#(tick)</text>"#
        }
        var words: [String] = []
        for (index, month) in months.enumerated() {
            let x = left + slot * Double(index) + (slot - barWidth) / 2
            var y = bottom
            var parts: [String] = []
            for (unitIndex, unit) in units.enumerated() {
                let count = counts[month]?[unit] ?? 0
                guard count > 0 else { continue }
                let h = (bottom - top) * Double(count) / Double(highest)
                y -= h
                let label = "\(self.unitName(unit)) \(month)：\(count) 件"
                svg +=
                    #"<rect x="\#(Self.f(x))" y="\#(Self.f(y))" width="\#(Self.f(barWidth))" height="\#(Self.f(h))" "#
                    + #"fill="\#(Self.colour(unitIndex))"><title>\#(Self.escape(label))</title></rect>"#
                parts.append("\(self.unitName(unit)) \(count)")
            }
            let total = counts[month]?.values.reduce(0, +) ?? 0
            svg +=
                #"<text x="\#(Self.f(x + barWidth / 2))" y="\#(Self.f(bottom + 20))" text-anchor="middle" "#
                + #"class="chart-axis">\#(Self.escape(Self.shortMonth(month)))</text>"#
            if total > 0 {
                svg +=
                    #"<text x="\#(Self.f(x + barWidth / 2))" y="\#(Self.f(y - 4))" text-anchor="middle" "#
                    + #"class="chart-value">\#(total)</text>"#
            }
            words.append("\(month) 共 \(total) 件" + (parts.isEmpty ? "" : "（" + parts.joined(separator: "，") + "）"))
        }
        let legend = units.enumerated().map { ($0.offset, self.unitName($0.element)) }
        return Self.figure(
            id: "chart-cases", title: "按月份和单位统计的受理案件", description: words.joined(separator: "；"),
            width: width, height: height, body: svg, legend: legend)
    }

    /// The share of the cases filed that never went past a deadline, by unit, and in all.
    var deadlinesMet: String {
        var byUnit: [UnitID?: (received: Int, overdue: Int)] = [:]
        for row in self.report.rows where row.figures.received > 0 {
            byUnit[row.key.unit, default: (0, 0)].received += row.figures.received
            byUnit[row.key.unit, default: (0, 0)].overdue += row.figures.overdueEver
        }
        var bars: [(label: String, met: Int, received: Int)] = self.units.compactMap { unit in
            guard let figures = byUnit[unit] else { return nil }
            return (self.unitName(unit), figures.received - figures.overdue, figures.received)
        }
        let totals = self.report.totals
        bars.append(("合计", totals.received - totals.overdueEver, totals.received))
        return Self.horizontalBars(
            id: "chart-deadlines", title: "按期办理的比例（未超过任何期限的案件）",
            bars: bars.map { bar in
                let share = bar.received == 0 ? 0 : Double(bar.met) / Double(bar.received)
                return (bar.label, share, "\(Self.percent(share))（\(bar.met)/\(bar.received)）")
            }, maximum: 1, colour: Self.palette[2])
    }

    /// How many ended cases got each score from 1 to 5.
    var satisfaction: String {
        let scores = (1...5).map { score in (score, self.report.totals.ratedByScore[String(score)] ?? 0) }
        let highest = max(1, scores.map(\.1).max() ?? 0)
        var title = "满意度评价分布（1–5 分）"
        if let mean = self.report.totals.ratingMean { title += "，平均 \(Self.number(mean)) 分" }
        return Self.horizontalBars(
            id: "chart-satisfaction", title: title,
            bars: scores.reversed().map { score, count in ("\(score) 分", Double(count), "\(count) 件") },
            maximum: Double(highest), colour: Self.palette[1])
    }

    /// The units of the rows, in the rows' order (nil last).
    var units: [UnitID?] {
        var seen: [UnitID?] = []
        for row in self.report.rows where row.figures.received > 0 && !seen.contains(row.key.unit) {
            seen.append(row.key.unit)
        }
        return seen.sorted { ($0 == nil ? 1 : 0, $0?.rawValue ?? "") < ($1 == nil ? 1 : 0, $1?.rawValue ?? "") }
    }

    /// Every month of the period, `2026-03`, in order (a period of at most ``ReportPeriod/maximumMonths``).
    static func months(of report: CaseReport) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = report.period.timeZone
        var months: [String] = []
        var date = report.period.from
        while date < report.period.to, months.count < ReportPeriod.maximumMonths {
            let parts = calendar.dateComponents([.year, .month], from: date)
            months.append(String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0))
            guard let next = calendar.date(byAdding: .month, value: 1, to: date) else { break }
            date = next
        }
        return months
    }

    // MARK: - Drawing

    /// Bars from the left, one per line, each under its label (long units' names fit a phone) with its value after.
    static func horizontalBars(
        id: String, title: String, bars: [(label: String, value: Double, text: String)], maximum: Double,
        colour: String
    ) -> String {
        let width = 480.0
        let row = 46.0
        let height = 8 + row * Double(bars.count)
        let right = 130.0
        var svg = ""
        for (index, bar) in bars.enumerated() {
            let y = 4 + row * Double(index)
            let length = maximum <= 0 ? 0 : (width - right) * min(bar.value, maximum) / maximum
            svg += #"<text x="0" y="\#(Self.f(y + 15))" class="chart-axis">\#(Self.escape(bar.label))</text>"#
            svg +=
                #"<rect x="0" y="\#(Self.f(y + 21))" width="\#(Self.f(width - right))" height="18" "#
                + #"class="chart-track"/>"#
            svg +=
                #"<rect x="0" y="\#(Self.f(y + 21))" width="\#(Self.f(length))" height="18" "#
                + #"fill="\#(colour)"><title>\#(Self.escape(bar.label + "：" + bar.text))</title></rect>"#
            svg +=
                #"<text x="\#(Self.f(width - right + 8))" y="\#(Self.f(y + 35))" class="chart-value">"#
                + #"\#(Self.escape(bar.text))</text>"#
        }
        let description = bars.map { "\($0.label) \($0.text)" }.joined(separator: "；")
        return Self.figure(
            id: id, title: title, description: description, width: width, height: height, body: svg, legend: [])
    }

    /// The `<figure>` around a chart: the SVG with its title and description, its caption, and its legend.
    static func figure(
        id: String, title: String, description: String, width: Double, height: Double, body: String,
        legend: [(Int, String)]
    ) -> String {
        var html = #"<figure class="chart" id="\#(id)">"#
        html +=
            #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(Self.f(width)) \#(Self.f(height))" "#
            + #"role="img" aria-labelledby="\#(id)-title \#(id)-desc" class="chart-svg">"#
        html += #"<title id="\#(id)-title">\#(Self.escape(title))</title>"#
        html += #"<desc id="\#(id)-desc">\#(Self.escape(description.isEmpty ? "没有数据" : description))</desc>"#
        html += body + "</svg>"
        html += "<figcaption>\(Self.escape(title))"
        if !legend.isEmpty {
            html += #"<span class="chart-legend">"#
            for (index, name) in legend {
                html +=
                    #"<span class="chart-key"><span class="chart-swatch chart-c\#(index % Self.palette.count)" "#
                    + #"aria-hidden="true"></span>\#(Self.escape(name))</span>"#
            }
            html += "</span>"
        }
        return html + "</figcaption></figure>"
    }

    static func colour(_ index: Int) -> String { Self.palette[index % Self.palette.count] }

    /// `2026-03` → `3月`, short enough for twelve bars at 390 px (the period is in the page's heading).
    static func shortMonth(_ month: String) -> String {
        guard month.count == 7, let number = Int(month.suffix(2)) else { return month }
        return "\(number)月"
    }

    /// A coordinate with at most one decimal.
    static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// `0.875` → `87.5%`.
    static func percent(_ share: Double) -> String { Self.number(share * 100) + "%" }

    /// At most one decimal, none when whole.
    static func number(_ value: Double) -> String { Self.f(value) }

    static func escape(_ text: String) -> String { ConsoleHTML.escape(text) }
}
