import Foundation
import Hummingbird
import WeiquanCore

/// The console's pages for managers and admins: reports (`/console/reports`), people and their tokens
/// (`/console/people`), the knowledge base (`/console/knowledge`, `/console/knowledge/{id}`) and try the bot
/// (`/console/try`).
///
/// | Page | Who | Reads | Changes through |
/// |---|---|---|---|
/// | reports | staff (their unit), admins (all) | the report service of `GET /api/v1/reports` | — (CSV: the API) |
/// | people | admins | `TokenAdministration.list` as `GET /api/v1/tokens` | `/api/v1/tokens…` |
/// | knowledge | staff, admins | ``KnowledgeService`` as `GET /api/v1/kb` | `/api/v1/kb…` |
/// | try | staff, admins | — | `POST /api/v1/try` (`try.js`) |
///
/// Volunteers get a 403 page on all of them; staff also on people.
struct ConsoleAdminPages: Sendable {
    let services: ConsoleFeature.Services
    let renderer: ConsoleRenderer

    /// The templates and scripts of these pages, by file name (embedded in the binary).
    static let files: [String: [UInt8]] = [
        "admin.css": PackageResources.admin_css,
        "knowledge-entry.mustache": PackageResources.knowledge_entry_mustache,
        "knowledge.mustache": PackageResources.knowledge_mustache,
        "people.js": PackageResources.people_js,
        "people.mustache": PackageResources.people_mustache,
        "reports.mustache": PackageResources.reports_mustache,
        "try.js": PackageResources.try_js,
        "try.mustache": PackageResources.try_mustache,
    ]

    /// Entries listed on one page of the knowledge base.
    static let knowledgePage = 50

    var machine: ConversationMachine { self.services.conversation.machine }
    var directory: OrgDirectory { self.machine.configuration.directory }

    func addRoutes(to console: RouterGroup<ConsoleRequestContext>) {
        console.get("reports") { request, context in
            try await self.reports(request, context: context)
        }
        console.get("people") { _, context in
            try await self.people(context: context)
        }
        console.get("knowledge") { request, context in
            try await self.knowledge(request, context: context)
        }
        console.get("knowledge/:id") { _, context in
            try await self.entry(context: context)
        }
        console.get("try") { _, context in
            let who = try context.staff()
            try Self.requireStaff(who)
            return try self.renderer.page(
                "try", title: "试聊", context: context, values: [:], scripts: ["try.js"], styles: ["admin.css"])
        }
    }

    // MARK: - Reports

    private func reports(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let who = try context.staff()
        try Self.requireStaff(who)
        let query = request.uri.queryParameters
        let now = self.services.conversation.clock()
        let span = ReportSpan(kind: query.get("period"), start: query.get("start"), now: now)
        let asked = query.get("unit").flatMap { $0.isEmpty ? nil : UnitID($0) }
        let unit = try ReportsController.unit(asked: asked, by: who, directory: self.directory)
        let period: ReportPeriod
        do {
            period = try ReportPeriod(from: span.from, to: span.to)
        } catch {
            throw DeskError(error)
        }
        let report = try await self.services.conversation.report(period: period, unit: unit)
        let charts = ReportCharts(report: report, unitName: { self.unitName($0) })
        var csv = "/api/v1/reports?from=\(span.from)&to=\(span.to)&format=csv"
        if let unit { csv += "&unit=\(Self.query(unit.rawValue))" }
        let values: [String: Any] = [
            "periodLabel": span.label,
            "kinds": ReportSpan.Kind.allCases.map {
                ["value": $0.rawValue, "label": $0.label, "selected": $0 == span.kind]
            },
            "start": span.startMonth,
            "units": self.unitOptions(for: who, selected: unit),
            "unitLabel": unit.map { self.unitName($0) } ?? "全部单位",
            "previous": self.link(span.previous, unit: unit),
            "next": self.link(span.next, unit: unit),
            "csv": csv,
            "charts": [charts.casesByMonth, charts.deadlinesMet, charts.satisfaction],
            "hasCases": report.totals.received > 0,
            "monthTable": self.monthTable(report, units: charts.units),
            "unitRows": self.unitRows(report, units: charts.units),
            "scores": (1...5).reversed().map { ["score": $0, "count": report.totals.ratedByScore[String($0)] ?? 0] },
            "rated": report.totals.rated,
            "ratingMean": report.totals.ratingMean.map { ReportCharts.number($0) } ?? "—",
            "responseRate": report.totals.ratingResponseRatePercent.map { ReportCharts.number($0) + "%" } ?? "—",
            "handoffs": report.totals.handoffs,
            "handoffsClaimed": report.totals.handoffsClaimed,
            "conversations": report.totals.conversations.map(String.init) ?? "—",
            "withoutPerson": report.totals.conversationsWithoutPerson.map(String.init) ?? "—",
            "registry": self.registryValues(now: now),
        ]
        return try self.renderer.page(
            "reports", title: "报表", context: context, values: values, styles: ["admin.css"])
    }

    /// The legal-status data the bot answers from: each source with its as-of day, flagged when older than the
    /// configured number of days.
    private func registryValues(now: Date) -> [String: Any] {
        let status = RegistryStatus(
            registry: self.services.registry, staleDays: self.machine.configuration.conversation.legalStatusStaleDays,
            today: self.machine.day(of: now))
        return [
            "demo": status.demoAnswering, "staleDays": status.staleDays, "patents": status.patents,
            "trademarks": status.trademarks,
            "sources": status.sources.map { source -> [String: Any] in
                [
                    "name": source.name, "asOf": source.asOf ?? "按行", "stale": source.isStale,
                    "age": source.ageDays.map(String.init) ?? "—", "patents": source.patents,
                    "events": source.events, "trademarks": source.trademarks, "flowRows": source.flowRows,
                    "refused": source.rowsRefused, "imported": Self.time(source.importedAt),
                ]
            },
        ]
    }

    /// The units `who` may ask a report on: all (and "all units") for admins and staff of no unit; a unit's staff
    /// their unit and those below it.
    private func unitOptions(for who: StaffIdentity, selected: UnitID?) -> [[String: Any]] {
        var options: [[String: Any]] = []
        let own = who.role == .admin ? nil : who.unit
        if own == nil { options.append(["value": "", "label": "全部单位", "selected": selected == nil]) }
        for unit in self.directory.units where own.map({ self.directory.unit(unit.id, isWithin: $0) }) ?? true {
            options.append(["value": unit.id.rawValue, "label": unit.name, "selected": unit.id == selected])
        }
        return options
    }

    private func link(_ span: ReportSpan, unit: UnitID?) -> String {
        var link = "/console/reports?period=\(span.kind.rawValue)&start=\(span.startMonth)"
        if let unit { link += "&unit=\(Self.query(unit.rawValue))" }
        return link
    }

    /// Cases filed by month (rows) and unit (columns), the figures of the first chart.
    private func monthTable(_ report: CaseReport, units: [UnitID?]) -> [String: Any] {
        var counts: [String: [UnitID?: Int]] = [:]
        for row in report.rows {
            counts[row.key.month, default: [:]][row.key.unit, default: 0] += row.figures.received
        }
        let heads = units.map { self.unitName($0) }
        let rows: [[String: Any]] = ReportCharts.months(of: report).map { month in
            let cells: [[String: Any]] = units.enumerated().map { index, unit in
                ["label": heads[index], "value": counts[month]?[unit] ?? 0]
            }
            return ["month": month, "cells": cells, "total": counts[month]?.values.reduce(0, +) ?? 0]
        }
        return ["heads": heads, "rows": rows, "total": report.totals.received]
    }

    /// The main figures by unit, and in all.
    private func unitRows(_ report: CaseReport, units: [UnitID?]) -> [[String: Any]] {
        var byUnit: [UnitID?: ReportFigures] = [:]
        for row in report.rows {
            var figures = byUnit[row.key.unit] ?? ReportFigures()
            figures.received += row.figures.received
            figures.accepted += row.figures.accepted
            figures.notAccepted += row.figures.notAccepted
            figures.concluded += row.figures.concluded
            figures.withdrawn += row.figures.withdrawn
            figures.overdueEver += row.figures.overdueEver
            figures.handoffs += row.figures.handoffs
            byUnit[row.key.unit] = figures
        }
        func cells(_ name: String, _ figures: ReportFigures, total: Bool) -> [String: Any] {
            let met = figures.received - figures.overdueEver
            return [
                "unit": name, "received": figures.received, "accepted": figures.accepted,
                "notAccepted": figures.notAccepted, "concluded": figures.concluded, "withdrawn": figures.withdrawn,
                "overdue": figures.overdueEver, "handoffs": figures.handoffs, "isTotal": total,
                "met": figures.received == 0
                    ? "—" : ReportCharts.percent(Double(met) / Double(figures.received)),
            ]
        }
        let shown =
            units + byUnit.keys.filter { !units.contains($0) }.sorted { ($0?.rawValue ?? "") < ($1?.rawValue ?? "") }
        return shown.compactMap { unit in byUnit[unit].map { cells(self.unitName(unit), $0, total: false) } }
            + [cells("合计", report.totals, total: true)]
    }

    func unitName(_ unit: UnitID?) -> String {
        guard let unit else { return "未定单位" }
        return self.directory.unit(id: unit)?.name ?? unit.rawValue
    }

    // MARK: - People

    private func people(context: ConsoleRequestContext) async throws -> Response {
        let who = try context.staff()
        guard who.role == .admin else { throw ConsoleError.forbiddenRole }
        guard let storage = self.services.desk.tokens.storage else {
            throw DeskError.unavailable("this service does not manage the tokens: use weiquan token on its host")
        }
        let tokens = try await TokenAdministration.list(in: storage)
        let rows: [[String: Any]] = tokens.reversed().map { token in
            var row: [String: Any] = [
                "name": token.name, "role": Self.roleName(token.role), "unit": self.unitName(token.unit),
                "allUnits": token.unit == nil, "created": Self.time(token.createdAt),
                "revoked": token.revokedAt.map(Self.time) ?? "", "active": token.isActive,
                "isMe": token.name == who.name, "path": Self.query(token.name),
            ]
            if !token.specialties.isEmpty {
                row["specialties"] = token.specialties.map(self.typeName).joined(separator: "、")
            }
            if !token.regions.isEmpty {
                row["regions"] = token.regions.map { self.unitName($0) }.joined(separator: "、")
            }
            return row
        }
        let values: [String: Any] = [
            "tokens": rows, "active": tokens.filter(\.isActive).count, "total": tokens.count,
            "roles": [DeskRole.staff, .volunteer, .admin].map { ["value": $0.rawValue, "label": Self.roleName($0)] },
            "units": self.directory.units.map { ["value": $0.id.rawValue, "label": $0.name] },
            "types": IPType.allCases.map { ["value": $0.rawValue, "label": self.typeName($0)] },
        ]
        return try self.renderer.page(
            "people", title: "人员与令牌", context: context, values: values, scripts: ["people.js"],
            styles: ["admin.css"])
    }

    // MARK: - Knowledge base

    private func knowledge(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let who = try context.staff()
        try Self.requireStaff(who)
        let query = request.uri.queryParameters
        let status = query.get("status").flatMap(KnowledgeEntry.Status.init(rawValue:))
        let text = query.get("q").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let offset = max(0, Int(query.get("offset") ?? "") ?? 0)
        let page = try await KnowledgeService(knowledge: self.services.knowledge).list(
            who, statuses: status.map { [$0] }, text: text, limit: Self.knowledgePage, offset: offset)
        let entries: [[String: Any]] = page.entries.map { found in
            let entry = found.entry
            var row: [String: Any] = [
                "id": entry.id.rawValue, "path": Self.query(entry.id.rawValue), "entryTitle": entry.title,
                "published": entry.isPublished, "type": entry.ipType.map(self.typeName) ?? "综合",
                "updated": Self.time(entry.updatedAt), "updatedBy": entry.updatedBy,
            ]
            if !entry.tags.isEmpty { row["tags"] = entry.tags.joined(separator: "、") }
            return row
        }
        var base = "/console/knowledge?"
        if let status { base += "status=\(status.rawValue)&" }
        if let text { base += "q=\(Self.query(text))&" }
        var values: [String: Any] = [
            "entries": entries, "hasEntries": !entries.isEmpty, "total": page.total, "q": text ?? "",
            "statuses": [
                ["value": "", "label": "全部", "selected": status == nil],
                ["value": "published", "label": "已发布", "selected": status == .published],
                ["value": "retired", "label": "已下线", "selected": status == .retired],
            ],
            "types": self.typeOptions(selected: nil),
        ]
        if offset > 0 { values["previous"] = base + "offset=\(max(0, offset - Self.knowledgePage))" }
        if offset + Self.knowledgePage < page.total { values["next"] = base + "offset=\(offset + Self.knowledgePage)" }
        return try self.renderer.page(
            "knowledge", title: "知识库", context: context, values: values, styles: ["admin.css"])
    }

    private func entry(context: ConsoleRequestContext) async throws -> Response {
        let who = try context.staff()
        try Self.requireStaff(who)
        let id = KnowledgeEntryID(context.parameters.get("id") ?? "")
        guard id.isWellFormed else { throw ConsoleError.notFound("知识条目") }
        let entry = try await KnowledgeService(knowledge: self.services.knowledge).detail(who, id)
        var values: [String: Any] = [
            "id": entry.id.rawValue, "path": Self.query(entry.id.rawValue), "entryTitle": entry.title,
            "question": entry.question, "answer": entry.answer, "tags": entry.tags.joined(separator: "，"),
            "published": entry.isPublished, "types": self.typeOptions(selected: entry.ipType),
            "created": Self.time(entry.createdAt), "createdBy": entry.createdBy,
            "updated": Self.time(entry.updatedAt), "updatedBy": entry.updatedBy,
        ]
        if let source = entry.sourceQuestionID { values["source"] = source }
        return try self.renderer.page(
            "knowledge-entry", title: entry.title, context: context, values: values, styles: ["admin.css"])
    }

    // MARK: - Helpers

    /// The IP types as options of a `<select>`, the first meaning none.
    private func typeOptions(selected: IPType?) -> [[String: Any]] {
        [["value": "", "label": "综合（不限类型）", "selected": selected == nil]]
            + IPType.allCases.map { ["value": $0.rawValue, "label": self.typeName($0), "selected": $0 == selected] }
    }

    private func typeName(_ type: IPType) -> String {
        self.machine.replies.render("option.ip_type.\(type.rawValue)")
    }

    private func typeName(_ raw: String) -> String {
        IPType(rawValue: raw).map(self.typeName) ?? raw
    }

    /// Staff and admins; a volunteer gets the 403 page.
    static func requireStaff(_ who: StaffIdentity) throws {
        guard who.role == .admin || who.role == .staff else { throw ConsoleError.forbiddenRole }
    }

    static func roleName(_ role: DeskRole) -> String {
        switch role {
        case .admin: "管理员"
        case .staff: "工作人员"
        case .volunteer: "志愿者"
        }
    }

    /// `2026-11-23 10:00` in Shanghai.
    static func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: ReportPeriod.shanghai) ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    /// `text` for a query string or a path segment.
    static func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.")))
            ?? ""
    }
}
