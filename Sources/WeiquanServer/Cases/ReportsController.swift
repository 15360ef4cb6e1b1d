import Foundation
import Hummingbird
import WeiquanCore
import WeiquanStore

/// `GET /api/v1/reports?from=2026-01-01&to=2027-01-01&unit=nanning&format=json|csv`: the ``CaseReport`` of the
/// cases filed in `[from, to)` (days in Asia/Shanghai) at `unit` and the units below it.
///
/// Who may ask: admins for any unit (all when `unit` is left out); staff of no unit likewise; staff of a unit for
/// that unit or one below it (left out: their own unit), anything else is 403 `forbidden_unit`; volunteers 403
/// `forbidden_role`. Missing or malformed dates and an unknown format are 400, an unknown unit 404. CSV comes as
/// `text/csv` in UTF-8 with a byte-order mark, for Excel.
struct ReportsController: Sendable {
    let service: ConversationService
    let tokens: TokenRegistry

    var directory: OrgDirectory { self.service.machine.configuration.directory }

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        let api = DeskController.api(router, tokens: self.tokens)
        api.get("reports") { request, context in
            let query = request.uri.queryParameters
            let who = try context.staff()
            try DeskService.requireStaff(who)
            let format = query.get("format") ?? "json"
            guard format == "json" || format == "csv" else {
                throw DeskError.badRequest("unknown format '\(format)'; use json or csv")
            }
            let period = try Self.period(from: query.get("from"), to: query.get("to"))
            let unit = try Self.unit(asked: query.get("unit").map(UnitID.init), by: who, directory: self.directory)
            let report = try await self.service.report(period: period, unit: unit)
            guard format == "csv" else {
                return try DeskRequestContext.encoder.encode(report, from: request, context: context)
            }
            let days = period.days
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"report-\(days.from)-\(days.to).csv\""
            return Response(
                status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: report.csv())))
        }
    }

    /// The period of the query's days; both are required.
    static func period(from: String?, to: String?) throws -> ReportPeriod {
        guard let from, let to else {
            throw DeskError.badRequest("from and to are required, as days: from=2026-01-01&to=2027-01-01")
        }
        do {
            return try ReportPeriod(from: from, to: to)
        } catch {
            throw DeskError(error)
        }
    }

    /// The unit the report covers: the one asked for, if the caller covers it; else the caller's own (nil: all).
    static func unit(asked: UnitID?, by who: StaffIdentity, directory: OrgDirectory) throws -> UnitID? {
        if let asked, directory.unit(id: asked) == nil { throw DeskError.notFound("unit '\(asked)'") }
        guard who.role != .admin, let own = who.unit else { return asked }
        guard let asked else { return own }
        guard directory.unit(asked, isWithin: own) else { throw DeskError.forbiddenUnit(asked) }
        return asked
    }
}
