import Foundation
import Logging
import Mustache
import WeiquanCore

/// The cases list page rendered as `GET /console/cases` renders it, without a request: what `WeiquanBench
/// console` times on 1,000 cases (the route shows 50 a page; the issue asks that a page of 1,000 renders in under
/// 100 ms).
///
/// The page's values are made by ``CasePageValues`` as the route makes them, and rendered inside the layout with
/// the embedded templates; the values the layout takes from the session (menu, CSRF token) are filled for a
/// signed-in admin as ``ConsoleRenderer/html(_:title:context:values:scripts:styles:)`` fills them.
package struct ConsoleCaseListRendering: Sendable {
    let renderer: ConsoleRenderer
    let machine: ConversationMachine

    package init(machine: ConversationMachine) throws {
        let templates = try ConsoleTemplates(
            embedded: ConsoleFeature.files, directory: nil, logger: Logger(label: "weiquan.bench"))
        self.renderer = ConsoleRenderer(templates: templates, centre: machine.configuration.contact.centreName)
        self.machine = machine
    }

    /// The list page's HTML for `cases` (all on one page) at `now`.
    package func html(_ cases: [CaseRecord], now: Date) throws -> String {
        let pages = CasePageValues(machine: self.machine, now: now)
        let deadlines = pages.deadlines
        let overdue = cases.filter { deadlines.current(for: $0)?.isOverdue(at: now) == true }.count
        var values = pages.list(
            cases, total: cases.count, overdueCount: overdue, query: [], offset: 0,
            units: self.machine.configuration.directory.units)
        values["title"] = "案件"
        values["centre"] = self.renderer.centre
        values["csrf"] = "bench-csrf-token"
        values["version"] = self.renderer.templates.version
        values["scripts"] = [String]()
        values["styles"] = ["cases.css"]
        values["section"] = "cases"
        values["current"] = ["cases": true]
        values["me"] = ConsoleRenderer.me(StaffIdentity(name: "admin", role: .admin, unit: nil), unitName: nil)
        guard let html = self.renderer.templates.library.render(values, withTemplate: "cases") else {
            throw ConsoleTemplates.LoadError(file: "cases.mustache", reason: "no such template")
        }
        return html
    }
}
