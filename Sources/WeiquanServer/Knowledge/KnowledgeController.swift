import Foundation
import Hummingbird
import WeiquanCore

/// `/api/v1/kb`: the knowledge base (优秀问答) for staff, who edit it, and volunteers, who read its published entries.
///
/// | Route | Does |
/// |---|---|
/// | `GET /api/v1/kb?status=published,retired&q=…&limit=&offset=` | entries, newest change first; with `q`, best match first |
/// | `POST /api/v1/kb` `{"title", "question", "answer", "ip_type"?, "tags"?, "source_question_id"?}` | adds one (201) |
/// | `GET /api/v1/kb/{id}` | one entry |
/// | `PUT /api/v1/kb/{id}` `{"title", "question", "answer", "ip_type"?, "tags"?}` | replaces its texts |
/// | `POST /api/v1/kb/{id}/retire` | the bot stops answering with it (409 `already_retired`) |
/// | `POST /api/v1/kb/{id}/publish` | the bot answers with it again (409 `already_published`) |
///
/// Staff and admins may do everything; volunteers may list and read published entries (403 `forbidden_role` for the
/// rest). Same tokens and error shape as the rest of the desk (``DeskController``).
struct KnowledgeController: Sendable {
    let service: KnowledgeService
    let tokens: TokenRegistry

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        let api = DeskController.api(router, tokens: self.tokens)
        api.get("kb") { request, context in
            let query = request.uri.queryParameters
            let statuses: Set<KnowledgeEntry.Status>? = try query.get("status").map(DeskController.statuses)
            let limit = try CasesController.number(query.get("limit"), name: "limit") ?? 50
            let offset = try CasesController.number(query.get("offset"), name: "offset") ?? 0
            let page = try await self.service.list(
                context.staff(), statuses: statuses, text: query.get("q"), limit: limit, offset: offset)
            return KnowledgeListing(
                entries: page.entries.map { KnowledgeView($0.entry, match: $0.match) }, total: page.total)
        }
        api.post("kb") { request, context -> EditedResponse<KnowledgeView> in
            let body = try await request.decode(as: CreateBody.self, context: context)
            let entry = try await self.service.create(
                context.staff(), body.content, sourceQuestionID: body.sourceQuestionID)
            return EditedResponse(
                status: .created, headers: [.location: "/api/v1/kb/\(entry.id.rawValue)"],
                response: KnowledgeView(entry))
        }
        api.get("kb/:id") { _, context in
            KnowledgeView(try await self.service.detail(context.staff(), Self.id(context)))
        }
        api.put("kb/:id") { request, context in
            let body = try await request.decode(as: UpdateBody.self, context: context)
            return KnowledgeView(try await self.service.update(context.staff(), Self.id(context), body.content))
        }
        api.post("kb/:id/retire") { _, context in
            KnowledgeView(try await self.service.retire(context.staff(), Self.id(context)))
        }
        api.post("kb/:id/publish") { _, context in
            KnowledgeView(try await self.service.publish(context.staff(), Self.id(context)))
        }
    }

    // MARK: - Bodies

    /// A new entry's texts, and the volunteer question it was promoted from.
    struct CreateBody: Decodable {
        var title: String
        var question: String
        var answer: String
        var ipType: IPType?
        var tags: [String]?
        var sourceQuestionID: String?

        enum CodingKeys: String, CodingKey {
            case title, question, answer, tags
            case ipType = "ip_type"
            case sourceQuestionID = "source_question_id"
        }

        var content: KnowledgeService.Content {
            KnowledgeService.Content(
                title: self.title, question: self.question, answer: self.answer, ipType: self.ipType,
                tags: self.tags ?? [])
        }
    }

    /// An entry's texts, replacing what it had (no `ip_type` or `tags`: none).
    struct UpdateBody: Decodable {
        var title: String
        var question: String
        var answer: String
        var ipType: IPType?
        var tags: [String]?

        enum CodingKeys: String, CodingKey {
            case title, question, answer, tags
            case ipType = "ip_type"
        }

        var content: KnowledgeService.Content {
            KnowledgeService.Content(
                title: self.title, question: self.question, answer: self.answer, ipType: self.ipType,
                tags: self.tags ?? [])
        }
    }

    // MARK: - Parameters

    /// The entry id of the path; one of another form is a 404, like an unknown one.
    static func id(_ context: DeskRequestContext) throws -> KnowledgeEntryID {
        let id = KnowledgeEntryID(context.parameters.get("id") ?? "")
        guard id.isWellFormed else { throw DeskError.notFound("knowledge entry '\(id.rawValue.prefix(80))'") }
        return id
    }
}
