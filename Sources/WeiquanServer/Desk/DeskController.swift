import Hummingbird
import WeiquanCore

/// The staff desk API under `/api/v1`: JSON in and out, bearer tokens, errors as
/// `{"error": {"code": …, "message": …}}`.
///
/// | Route | Does |
/// |---|---|
/// | `GET /api/v1/me` | the caller's name, role and unit |
/// | `GET /api/v1/handoffs?status=waiting,active&unit=nanning` | open handoffs with their context summary |
/// | `GET /api/v1/handoffs/{id}` | one handoff with its transcript |
/// | `POST /api/v1/handoffs/{id}/claim` | take it (409 when someone was first) |
/// | `POST /api/v1/handoffs/{id}/messages` `{"text"}` | write to the applicant (through the outbox) |
/// | `POST /api/v1/handoffs/{id}/notes` `{"text"}` | internal note |
/// | `POST /api/v1/handoffs/{id}/transfer` `{"to_staff"}` or `{"to_unit"}` | hand it on |
/// | `POST /api/v1/handoffs/{id}/release` `{"resume": true}` | back to the bot |
/// | `POST /api/v1/handoffs/{id}/close` `{"note"}` | done |
/// | `POST /api/v1/conversations/{openid}/takeover` | take a conversation nobody handed over |
///
/// The routes run in a ``DeskRequestContext``, behind ``DeskErrorMiddleware`` (errors as JSON, refusals
/// logged), ``DeskTokenAuthenticator`` and ``DeskIdentityGuard`` (no identity, no answer).
struct DeskController: Sendable {
    let desk: DeskService
    let tokens: TokenRegistry

    /// `/api/v1` in a ``DeskRequestContext`` with the desk's middleware: every desk route goes in such a group.
    static func api(_ router: Router<WeiquanRequestContext>, tokens: TokenRegistry) -> RouterGroup<DeskRequestContext> {
        router.group("/api/v1", context: DeskRequestContext.self)
            .add(middleware: DeskErrorMiddleware())
            .add(middleware: DeskTokenAuthenticator(tokens: tokens))
            .add(middleware: DeskIdentityGuard())
    }

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        let api = Self.api(router, tokens: self.tokens)
        api.get("me") { _, context in
            let who = try context.staff()
            return Me(name: who.name, role: who.role.rawValue, unit: who.unit)
        }
        api.get("handoffs") { request, context in
            let query = request.uri.queryParameters
            let statuses: Set<HandoffRecord.Status>? = try query.get("status").map(Self.statuses)
            let unit = query.get("unit").map(UnitID.init)
            return Listing(handoffs: try self.desk.list(context.staff(), statuses: statuses, unit: unit))
        }
        api.get("handoffs/:id") { _, context in
            try await self.desk.detail(context.staff(), Self.id(context))
        }
        api.post("handoffs/:id/claim") { _, context in
            try await self.desk.claim(context.staff(), Self.id(context))
        }
        api.post("handoffs/:id/messages") { request, context in
            let body = try await request.decode(as: TextBody.self, context: context)
            return try await self.desk.send(context.staff(), Self.id(context), text: body.text)
        }
        api.post("handoffs/:id/notes") { request, context in
            let body = try await request.decode(as: TextBody.self, context: context)
            return try await self.desk.note(context.staff(), Self.id(context), text: body.text)
        }
        api.post("handoffs/:id/transfer") { request, context in
            let body = try await request.decode(as: TransferBody.self, context: context)
            return try await self.desk.transfer(
                context.staff(), Self.id(context), toStaff: body.toStaff, toUnit: body.toUnit)
        }
        api.post("handoffs/:id/release") { request, context in
            let body = try await request.decode(as: ReleaseBody.self, context: context)
            return try await self.desk.release(context.staff(), Self.id(context), resume: body.resume ?? true)
        }
        api.post("handoffs/:id/close") { request, context in
            let body = try await request.decode(as: CloseBody.self, context: context)
            return try await self.desk.close(context.staff(), Self.id(context), note: body.note)
        }
        api.post("conversations/:openid/takeover") { _, context in
            let applicant = ApplicantID(context.parameters.get("openid") ?? "")
            return try await self.desk.takeOver(context.staff(), conversation: applicant)
        }
    }

    // MARK: - Bodies

    struct Me: ResponseEncodable {
        var name: String
        var role: String
        var unit: UnitID?
    }

    struct Listing: ResponseEncodable {
        var handoffs: [HandoffView]
    }

    struct TextBody: Decodable {
        var text: String
    }

    struct TransferBody: Decodable {
        var toStaff: String?
        var toUnit: UnitID?

        enum CodingKeys: String, CodingKey {
            case toStaff = "to_staff"
            case toUnit = "to_unit"
        }
    }

    /// Optional: an empty body resumes the bot.
    struct ReleaseBody: Decodable {
        var resume: Bool?
    }

    /// Optional: an empty body closes without a note.
    struct CloseBody: Decodable {
        var note: String?
    }

    // MARK: - Parameters

    static func id(_ context: DeskRequestContext) throws -> HandoffID {
        guard let id = context.parameters.get("id"), !id.isEmpty else {
            throw DeskError.badRequest("missing handoff id")
        }
        return HandoffID(id)
    }

    /// The statuses of `?status=waiting,active` (handoffs, cases, questions, knowledge entries). An empty one
    /// (`status=`, `waiting,,active`) is refused like an unknown one: read as no status at all it would list nothing,
    /// and a client would take that for an empty list.
    static func statuses<Status: RawRepresentable & CaseIterable & Hashable>(_ text: String) throws -> Set<Status>
    where Status.RawValue == String {
        var statuses: Set<Status> = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let status = Status(rawValue: String(name)) else {
                let known = Status.allCases.map(\.rawValue).joined(separator: ", ")
                throw DeskError.badRequest("unknown status '\(name)'; use \(known)")
            }
            statuses.insert(status)
        }
        return statuses
    }
}
