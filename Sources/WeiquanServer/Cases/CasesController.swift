import Foundation
import Hummingbird
import WeiquanCore

/// `/api/v1/cases`: the list with filters, a case with its timeline, its transitions, assignment and notes. Same
/// tokens, roles and error shape as the rest of the desk (``DeskController``).
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
            return CaseListing(
                cases: page.cases.map { CaseView($0, machine: self.machine, withTimeline: false) }, total: page.total)
        }
        api.get("cases/:id") { _, context in
            let record = try await self.cases.detail(context.staff(), Self.id(context))
            return CaseView(record, machine: self.machine, withTimeline: true)
        }
        api.post("cases/:id/transitions") { request, context in
            let body = try await request.decode(as: TransitionBody.self, context: context)
            let record = try await self.cases.change(
                context.staff(), Self.id(context), try body.change(), note: body.note)
            return CaseView(record, machine: self.machine, withTimeline: true)
        }
        api.post("cases/:id/assign") { request, context in
            let body = try await request.decode(as: AssignBody.self, context: context)
            let record = try await self.cases.assign(
                context.staff(), Self.id(context), assignee: body.assignee, experts: body.experts ?? [])
            return CaseView(record, machine: self.machine, withTimeline: true)
        }
        api.post("cases/:id/notes") { request, context in
            let body = try await request.decode(as: DeskController.TextBody.self, context: context)
            let record = try await self.cases.note(context.staff(), Self.id(context), text: body.text)
            return CaseView(record, machine: self.machine, withTimeline: true)
        }
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
        if let text = query.get("status") {
            var statuses: Set<CaseStatus> = []
            // An empty status (`status=`) is refused like an unknown one, as for handoffs: it would list nothing.
            for name in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let status = CaseStatus(rawValue: String(name)) else {
                    let known = CaseStatus.allCases.map(\.rawValue).joined(separator: ", ")
                    throw DeskError.badRequest("unknown status '\(name)'; use \(known)")
                }
                statuses.insert(status)
            }
            filter.statuses = statuses
        }
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
