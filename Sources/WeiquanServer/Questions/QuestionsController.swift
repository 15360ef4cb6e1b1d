import Foundation
import Hummingbird
import WeiquanCore

/// `/api/v1/questions`: the volunteer queue. Same tokens, error shape and middleware as the rest of the desk
/// (``DeskController``).
///
/// | Route | Who | Does |
/// |---|---|---|
/// | `GET /questions?status=&ip_type=&region=&min_age_hours=&max_age_hours=&urgent_first=&mine=&limit=&offset=` | all | the questions the caller may see, oldest first |
/// | `GET /questions/stats` | all | the volunteers' figures (a volunteer: their own) |
/// | `GET /questions/{id}` | all | one question (staff: with its timeline; the read is audited) |
/// | `POST /questions/{id}/claim` `{"conflict_declared": true}` | volunteer | take it under a lease |
/// | `POST /questions/{id}/renew` | volunteer | extend the lease |
/// | `POST /questions/{id}/put-back` `{"reason"}` | its volunteer, staff | back to the queue |
/// | `POST /questions/{id}/follow-up` `{"text"}` | its volunteer | ask the applicant (through the outbox) |
/// | `POST /questions/{id}/answer` `{"text"}` | its volunteer | answer (review, or delivery when none is required) |
/// | `POST /questions/{id}/review` `{"decision": "approve"\|"return", "text"?, "comment"?}` | staff | approve (delivered) or return |
///
/// What each caller sees of a question is ``QuestionService``'s rule; a question the caller may not see is a 404.
struct QuestionsController: Sendable {
    let questions: QuestionService
    let tokens: TokenRegistry

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        let api = DeskController.api(router, tokens: self.tokens)
        api.get("questions") { request, context in
            let query = request.uri.queryParameters
            let filter = try Self.filter(query)
            let limit = try CasesController.number(query.get("limit"), name: "limit") ?? 50
            let offset = try CasesController.number(query.get("offset"), name: "offset") ?? 0
            let page = try await self.questions.list(context.staff(), filter: filter, limit: limit, offset: offset)
            return QuestionListing(questions: page.questions, total: page.total)
        }
        api.get("questions/stats") { _, context in
            QuestionStatsListing(volunteers: try await self.questions.stats(context.staff()))
        }
        api.get("questions/:id") { _, context in
            try await self.questions.detail(context.staff(), Self.id(context))
        }
        api.post("questions/:id/claim") { request, context in
            let body = try await request.decode(as: ClaimBody.self, context: context)
            return try await self.questions.claim(
                context.staff(), Self.id(context), conflictDeclared: body.conflictDeclared ?? false)
        }
        api.post("questions/:id/renew") { _, context in
            try await self.questions.renew(context.staff(), Self.id(context))
        }
        api.post("questions/:id/put-back") { request, context in
            let body = try await request.decode(as: PutBackBody.self, context: context)
            return try await self.questions.putBack(context.staff(), Self.id(context), reason: body.reason)
        }
        api.post("questions/:id/follow-up") { request, context in
            let body = try await request.decode(as: DeskController.TextBody.self, context: context)
            return try await self.questions.followUp(context.staff(), Self.id(context), text: body.text)
        }
        api.post("questions/:id/answer") { request, context in
            let body = try await request.decode(as: DeskController.TextBody.self, context: context)
            return try await self.questions.answer(context.staff(), Self.id(context), text: body.text)
        }
        api.post("questions/:id/review") { request, context in
            let body = try await request.decode(as: ReviewBody.self, context: context)
            return try await self.questions.review(context.staff(), Self.id(context), try body.review())
        }
    }

    // MARK: - Bodies

    /// `{"conflict_declared": true}`: the volunteer has no conflict of interest with the parties. Without it
    /// (or false) the claim is refused with 422 `conflict_not_declared`.
    struct ClaimBody: Decodable {
        var conflictDeclared: Bool?

        enum CodingKeys: String, CodingKey {
            case conflictDeclared = "conflict_declared"
        }
    }

    /// `{"reason": "不熟悉该领域"}`.
    struct PutBackBody: Decodable {
        var reason: String
    }

    /// `{"decision": "approve", "text": "…"}` (text: the reviewer's own wording, optional) or
    /// `{"decision": "return", "comment": "…"}`.
    struct ReviewBody: Decodable {
        var decision: String
        var text: String?
        var comment: String?

        func review() throws -> QuestionService.Review {
            switch self.decision {
            case "approve":
                return .approve(edited: self.text)
            case "return":
                guard let comment = self.comment else {
                    throw DeskError.unprocessable("missing_field", "returning an answer needs a comment")
                }
                return .return(comment: comment)
            default:
                throw DeskError.badRequest("unknown decision '\(self.decision)'; use approve or return")
            }
        }
    }

    // MARK: - Parameters

    static func id(_ context: DeskRequestContext) throws -> QuestionID {
        guard let id = context.parameters.get("id"), !id.isEmpty, id.utf8.count <= 100 else {
            throw DeskError.notFound("question '\(context.parameters.get("id") ?? "")'")
        }
        return QuestionID(id)
    }

    static func filter(_ query: Parameters) throws -> QuestionService.Filter {
        var filter = QuestionService.Filter()
        filter.statuses = try query.get("status").map(DeskController.statuses)
        filter.ipType = query.get("ip_type")
        filter.unit = query.get("region").map(UnitID.init)
        if let hours = try CasesController.number(query.get("min_age_hours"), name: "min_age_hours") {
            filter.minimumAge = TimeInterval(min(hours, 100_000)) * 3_600
        }
        if let hours = try CasesController.number(query.get("max_age_hours"), name: "max_age_hours") {
            filter.maximumAge = TimeInterval(min(hours, 100_000)) * 3_600
        }
        filter.urgentFirst = try Self.flag(query.get("urgent_first"), name: "urgent_first")
        filter.mine = try Self.flag(query.get("mine"), name: "mine")
        return filter
    }

    static func flag(_ text: String?, name: String) throws -> Bool {
        guard let text else { return false }
        guard let value = Bool(text) else { throw DeskError.badRequest("\(name) must be true or false, not '\(text)'") }
        return value
    }
}
