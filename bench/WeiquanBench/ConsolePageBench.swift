import Foundation
import WeiquanCore
import WeiquanFiles
import WeiquanServer

/// The console's cases list page with 1,000 cases on it, rendered as `GET /console/cases` renders a page (the page
/// values made from the records, the embedded templates, the layout): the issue asks for under 100 ms on the
/// server. The cases are ``CaseListBench``'s generated ones (seeded, at every stage of their lifecycle, each with
/// its deadline). Prints the median and the 95th percentile of many renders, in milliseconds, and the page's size.
struct ConsolePageBench {
    let data: BotData
    var caseCount = 1_000
    var runs = 200
    /// The target of the issue, per page render.
    static let budget = 100.0

    func run() async throws {
        print("")
        let records = try CaseListBench(data: self.data, caseCount: self.caseCount).cases()
            .sorted { ($0.createdAt, $0.id.rawValue) > ($1.createdAt, $1.id.rawValue) }
        let rendering = try ConsoleCaseListRendering(machine: self.data.makeMachine())
        // Once, outside the timing: the first render compiles nothing, but touches every code path once.
        let html = try rendering.html(records, now: CaseListBench.now)
        var times: [Double] = []
        times.reserveCapacity(self.runs)
        let clock = ContinuousClock()
        var bytes = 0
        for _ in 0..<self.runs {
            let start = clock.now
            bytes = try rendering.html(records, now: CaseListBench.now).utf8.count
            times.append(CaseListBench.milliseconds(clock.now - start))
        }
        times.sort()
        let median = times[(times.count - 1) / 2]
        let p95 = times[min(times.count - 1, Int((Double(times.count) * 0.95).rounded(.up)) - 1)]
        print(
            "console: the cases list page, \(records.count) cases, \(self.runs) renders "
                + "(\(html.utf8.count / 1_024) KB of HTML), 1 core")
        print(
            String(
                format: "render /console/cases with %d rows: median %.1f ms, p95 %.1f ms, best %.1f ms (%d bytes)",
                records.count, median, p95, times[0], bytes))
        print(
            String(
                format: "budget < %.0f ms a page of 1,000 rows: %@", Self.budget,
                p95 < Self.budget ? "met" : "NOT MET"))
    }
}
