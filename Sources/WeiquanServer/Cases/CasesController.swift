import Foundation
import Hummingbird
import WeiquanCore

/// `/api/v1/cases`: the list with filters (also `overdue` and `due_within_hours`), a case with its timeline and
/// deadline, its transitions, assignment, notes and the applicant's legal deadline. Same tokens, roles and error
/// shape as the rest of the desk (``DeskController``).
struct CasesController: Sendable {
    let cases: CaseService
    let tokens: TokenRegistry

    var machine: ConversationMachine { self.cases.service.machine }

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        let api = DeskController.api(router, tokens: self.tokens)
        api.get("cases") { request, context in
            let query = request.uri.queryParameters
            let filter = try Self.filter(query)
            let limit = try Self.number(query.get("limit"), name: "limit") ?? 50
            let offset = try Self.number(query.get("offset"), name: "offset") ?? 0
            let page = try await self.cases.list(context.staff(), filter: filter, limit: limit, offset: offset)
            let (deadlines, now) = (self.cases.deadlines, self.cases.now)
            return CaseListing(
                cases: page.cases.map { self.view($0, withTimeline: false, deadlines: deadlines, now: now) },
                total: page.total)
        }
        api.get("cases/:id") { _, context in
            let who = try context.staff()
            let record = try await self.cases.detail(who, Self.id(context))
            var view = self.view(record, withTimeline: true)
            view.related = try await self.cases.related(to: record, for: who)
            view.rightStatus = CaseRightStatus(of: record, machine: self.cases.service.machine, now: self.cases.now)
            return view
        }
        api.post("cases/:id/transitions") { request, context in
            let body = try await request.decode(as: TransitionBody.self, context: context)
            let record = try await self.cases.change(
                context.staff(), Self.id(context), try body.change(), note: body.note)
            return self.view(record, withTimeline: true)
        }
        api.post("cases/:id/assign") { request, context in
            let body = try await request.decode(as: AssignBody.self, context: context)
            let record = try await self.cases.assign(
                context.staff(), Self.id(context), assignee: body.assignee, experts: body.experts ?? [])
            return self.view(record, withTimeline: true)
        }
        api.post("cases/:id/notes") { request, context in
            let body = try await request.decode(as: DeskController.TextBody.self, context: context)
            let record = try await self.cases.note(context.staff(), Self.id(context), text: body.text)
            return self.view(record, withTimeline: true)
        }
        api.post("cases/:id/legal-deadline") { request, context in
            let body = try await request.decode(as: LegalDeadlineBody.self, context: context)
            let record = try await self.cases.recordLegalDeadline(
                context.staff(), Self.id(context), day: body.date, note: body.note)
            return self.view(record, withTimeline: true)
        }
    }

    /// The case as shown, with the deadline that applies at `now`.
    func view(
        _ record: CaseRecord, withTimeline: Bool, deadlines: CaseDeadlines? = nil, now: Date? = nil
    ) -> CaseView {
        let deadline = (deadlines ?? self.cases.deadlines).current(for: record)
        return CaseView(
            record, machine: self.machine, withTimeline: withTimeline, deadline: deadline, now: now ?? self.cases.now)
    }

    // MARK: - Bodies

    /// `{"action": "accept" | "not_accept" | "start" | "conclude" | "transfer" | "receipt_returned" | "close" |
    /// "archive" | "withdraw" | "refer", …}` with what the action needs.
    struct TransitionBody: Decodable {
        var action: String
        var reason: String?
        var outcome: CaseOutcome?
        var toUnit: UnitID?
        var authority: String?
        var date: String?
        var letterNumber: String?
        var note: String?

        enum CodingKeys: String, CodingKey {
            case action, reason, outcome, authority, date, note
            case toUnit = "to_unit"
            case letterNumber = "letter_number"
        }

        func change() throws -> CaseChange {
            switch self.action {
            case "accept": return .accept
            case "not_accept": return .notAccept(reason: try self.required(self.reason, "reason"))
            case "start": return .start
            case "conclude": return .conclude(try self.required(self.outcome, "outcome"))
            case "transfer":
                return .transfer(
                    CaseTransfer(
                        authority: try self.required(self.authority, "authority"),
                        date: try self.required(self.date, "date"),
                        letterNumber: try self.required(self.letterNumber, "letter_number")))
            case "receipt_returned": return .receiptReturned(date: try self.required(self.date, "date"))
            case "close": return .close(self.outcome)
            case "archive": return .archive
            case "withdraw": return .withdraw
            case "refer": return .refer(to: try self.required(self.toUnit, "to_unit"))
            default:
                throw DeskError.badRequest(
                    "unknown action '\(self.action)'; use accept, not_accept, start, conclude, transfer, "
                        + "receipt_returned, close, archive, withdraw or refer")
            }
        }

        private func required<T>(_ value: T?, _ name: String) throws -> T {
            guard let value else {
                throw DeskError.unprocessable("missing_field", "the action \(self.action) needs \(name)")
            }
            return value
        }
    }

    /// `{"date": "2026-12-01", "note": "开庭"}`; `{"date": null}` clears it.
    struct LegalDeadlineBody: Decodable {
        var date: String?
        var note: String?
    }

    struct AssignBody: Decodable {
        var assignee: String?
        var experts: [String]?
    }

    // MARK: - Parameters

    static func id(_ context: DeskRequestContext) throws -> CaseID {
        guard let text = context.parameters.get("id"), let id = CaseID(rawValue: text) else {
            throw DeskError.notFound("case '\(context.parameters.get("id") ?? "")'")
        }
        return id
    }

    static func filter(_ query: Parameters) throws -> CaseService.Filter {
        var filter = CaseService.Filter()
        filter.statuses = try query.get("status").map(DeskController.statuses)
        if let text = query.get("kind") {
            guard let kind = CaseKind(rawValue: text) else {
                throw DeskError.badRequest("unknown kind '\(text)'; use aid_request or complaint")
            }
            filter.kind = kind
        }
        filter.unit = query.get("unit").map(UnitID.init)
        filter.ipType = query.get("ip_type")
        filter.assignee = query.get("assignee")
        filter.text = query.get("q")
        if let text = query.get("overdue") {
            guard let overdue = Bool(text) else {
                throw DeskError.badRequest("overdue must be true or false, not '\(text)'")
            }
            filter.overdue = overdue
        }
        if let hours = try Self.number(query.get("due_within_hours"), name: "due_within_hours") {
            guard hours <= 24 * 366 else { throw DeskError.badRequest("due_within_hours must be at most 8784") }
            filter.dueWithin = .seconds(hours * 3_600)
        }
        return filter
    }

    static func number(_ text: String?, name: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw DeskError.badRequest("\(name) must be a whole number ≥ 0, not '\(text)'")
        }
        return value
    }
}
