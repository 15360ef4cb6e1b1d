import Foundation
import Hummingbird
import Synchronization
import WeiquanCore

/// The console's pages of cases (`/console/cases`, `/console/cases/{id}`) and erasure requests (`/console/erasures`).
///
/// They read through ``CaseService`` and ``PrivacyService`` exactly as `/api/v1/cases` and `/api/v1/erasures` do —
/// the same filters (``CasesController/filter(_:)``), the same role and unit rules (a volunteer gets the 403 page,
/// a case of another unit the 404 page, staff of a unit the 403 page for erasures), the detail's read audited —
/// and every change on them is a form that posts to `/api/v1` (`data-api`, or `data-case-api` in `cases.js` for
/// the conclusion's nested outcome).
struct ConsoleCasePages: Sendable {
    let services: ConsoleFeature.Services
    let renderer: ConsoleRenderer

    /// The templates and scripts of these pages, by file name (embedded in the binary).
    static let files: [String: [UInt8]] = [
        "case.mustache": PackageResources.case_mustache,
        "cases.css": PackageResources.cases_css,
        "cases.js": PackageResources.cases_js,
        "cases.mustache": PackageResources.cases_mustache,
        "erasures.mustache": PackageResources.erasures_mustache,
    ]

    var cases: CaseService { self.services.cases }

    func addRoutes(to console: RouterGroup<ConsoleRequestContext>) {
        console.get("cases") { request, context in
            try await self.list(request, context: context)
        }
        console.get("cases/:id") { _, context in
            let who = try context.staff()
            let text = context.parameters.get("id") ?? ""
            guard let id = CaseID(rawValue: text) else { throw DeskError.notFound("case '\(text)'") }
            let record = try await self.cases.detail(who, id)
            let related = try await self.cases.related(to: record, for: who)
            let values = self.values().detail(record, related: related)
            return try self.renderer.page(
                "case", title: "案件 \(record.id.rawValue)", context: context, values: values, scripts: ["cases.js"],
                styles: ["cases.css"])
        }
        console.get("erasures") { request, context in
            let who = try context.staff()
            let status = try request.uri.queryParameters.get("status").flatMap { text -> ErasureRequest.Status? in
                guard !text.isEmpty else { return nil }
                guard let status = ErasureRequest.Status(rawValue: text) else {
                    throw DeskError.badRequest("unknown status '\(text)'; use pending, done or declined")
                }
                return status
            }
            let requests = try await self.services.privacy.requests(who, status: status)
            let service = self.services.conversation
            let values = self.values().erasures(requests, status: status) { applicant in
                service.casesByApplicant.withLock { $0[applicant] ?? [] }
            }
            return try self.renderer.page(
                "erasures", title: "删除个人信息申请", context: context, values: values, styles: ["cases.css"])
        }
    }

    /// The list: the query read as the API reads it (empty fields of the filter form left out), a page of
    /// ``CasePageValues/pageSize``, and how many of the matching cases are overdue.
    func list(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let who = try context.staff()
        let given = request.uri.queryParameters.filter { !$0.value.isEmpty }
        let query = Parameters(given)
        let filter = try CasesController.filter(query)
        let offset = try CasesController.number(query.get("offset"), name: "offset") ?? 0
        let page = try await self.cases.list(who, filter: filter, limit: CasePageValues.pageSize, offset: offset)
        var overdue = filter
        overdue.overdue = true
        overdue.dueWithin = nil
        let overdueCount =
            filter.overdue == false ? 0 : try await self.cases.list(who, filter: overdue, limit: 0).total
        let directory = self.cases.configuration.directory
        let units = directory.units.filter { self.cases.maySee(who, unit: $0.id) }
        let values = self.values().list(
            page.cases, total: page.total, overdueCount: overdueCount,
            query: given.map { (String($0.key), String($0.value)) }, offset: offset, units: units)
        return try self.renderer.page(
            "cases", title: "案件", context: context, values: values, styles: ["cases.css"])
    }

    func values() -> CasePageValues {
        CasePageValues(machine: self.cases.service.machine, now: self.cases.now)
    }
}
