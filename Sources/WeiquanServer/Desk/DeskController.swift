import Foundation
import Hummingbird
import Logging
import NIOCore
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
struct DeskController: Sendable {
    let desk: DeskService
    let tokens: TokenRegistry
    let logger: Logger
    /// Largest request body accepted.
    static let bodyLimit = 64 * 1024

    func addRoutes(to router: Router<BasicRequestContext>) {
        let api = router.group("/api/v1")
        api.get("me") { request, _ in
            try await self.respond(request) { who in Me(name: who.name, role: who.role.rawValue, unit: who.unit) }
        }
        api.get("handoffs") { request, _ in
            try await self.respond(request) { who in
                let query = request.uri.queryParameters
                let statuses = try query.get("status").map(Self.statuses)
                return Listing(handoffs: try self.desk.list(who, statuses: statuses, unit: query.get("unit")))
            }
        }
        api.get("handoffs/:id") { request, context in
            try await self.respond(request) { who in try await self.desk.detail(who, Self.id(context)) }
        }
        api.post("handoffs/:id/claim") { request, context in
            try await self.respond(request) { who in try await self.desk.claim(who, Self.id(context)) }
        }
        api.post("handoffs/:id/messages") { request, context in
            try await self.respond(request) { who in
                let body = try await Self.decode(TextBody.self, from: request)
                return try await self.desk.send(who, Self.id(context), text: body.text)
            }
        }
        api.post("handoffs/:id/notes") { request, context in
            try await self.respond(request) { who in
                let body = try await Self.decode(TextBody.self, from: request)
                return try await self.desk.note(who, Self.id(context), text: body.text)
            }
        }
        api.post("handoffs/:id/transfer") { request, context in
            try await self.respond(request) { who in
                let body = try await Self.decode(TransferBody.self, from: request)
                return try await self.desk.transfer(who, Self.id(context), toStaff: body.toStaff, toUnit: body.toUnit)
            }
        }
        api.post("handoffs/:id/release") { request, context in
            try await self.respond(request) { who in
                let body = try await Self.decode(ReleaseBody.self, from: request, emptyAllowed: true)
                return try await self.desk.release(who, Self.id(context), resume: body?.resume ?? true)
            }
        }
        api.post("handoffs/:id/close") { request, context in
            try await self.respond(request) { who in
                let body = try await Self.decode(CloseBody.self, from: request, emptyAllowed: true)
                return try await self.desk.close(who, Self.id(context), note: body?.note)
            }
        }
        api.post("conversations/:openid/takeover") { request, context in
            try await self.respond(request) { who in
                try await self.desk.takeOver(who, conversation: context.parameters.get("openid") ?? "")
            }
        }
    }

    // MARK: - Bodies

    struct Me: Encodable {
        var name: String
        var role: String
        var unit: String?
    }

    struct Listing: Encodable {
        var handoffs: [HandoffView]
    }

    struct TextBody: Decodable {
        var text: String
    }

    struct TransferBody: Decodable {
        var toStaff: String?
        var toUnit: String?

        enum CodingKeys: String, CodingKey {
            case toStaff = "to_staff"
            case toUnit = "to_unit"
        }
    }

    struct ReleaseBody: Decodable {
        var resume: Bool?
    }

    struct CloseBody: Decodable {
        var note: String?
    }

    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
        }

        var error: Detail
    }

    // MARK: - Plumbing

    /// Authenticates, runs `body` and renders its value as JSON, or the error with its status.
    func respond(
        _ request: Request, _ body: (StaffIdentity) async throws -> some Encodable & Sendable
    ) async throws -> Response {
        do {
            let who = try self.authenticate(request)
            return try Self.json(.ok, try await body(who))
        } catch let error as DeskError {
            if error.status == .unauthorized || error.status == .forbidden {
                self.logger.notice("desk request refused", metadata: ["code": "\(error.code)", "path": "\(request.uri.path)"])
            }
            return Self.errorResponse(error)
        } catch {
            self.logger.error("desk request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return Self.errorResponse(DeskError("internal", "the request could not be completed; nothing was changed", status: .internalServerError))
        }
    }

    func authenticate(_ request: Request) throws -> StaffIdentity {
        guard let header = request.headers[.authorization] else { throw DeskError.missingToken }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw DeskError.missingToken }
        guard let who = self.tokens.identity(bearer: parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw DeskError.unknownToken
        }
        return who
    }

    static func id(_ context: BasicRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), !id.isEmpty else { throw DeskError.badRequest("missing handoff id") }
        return id
    }

    static func statuses(_ text: String) throws -> Set<HandoffRecord.Status> {
        var statuses: Set<HandoffRecord.Status> = []
        for name in text.split(separator: ",") {
            guard let status = HandoffRecord.Status(rawValue: String(name)) else {
                let known = HandoffRecord.Status.allCases.map(\.rawValue).joined(separator: ", ")
                throw DeskError.badRequest("unknown status '\(name)'; use \(known)")
            }
            statuses.insert(status)
        }
        return statuses
    }

    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        guard let body = try await self.decode(type, from: request, emptyAllowed: false) else {
            throw DeskError.badRequest("the request needs a JSON body")
        }
        return body
    }

    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request, emptyAllowed: Bool) async throws -> Body? {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.bodyLimit)
        } catch is NIOTooManyBytesError {
            throw DeskError("too_large", "the body is larger than \(Self.bodyLimit) bytes", status: .contentTooLarge)
        }
        if buffer.readableBytes == 0 {
            if emptyAllowed { return nil }
            throw DeskError.badRequest("the request needs a JSON body")
        }
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch {
            throw DeskError.badRequest("the body is not the JSON this route takes: \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "'\(key.stringValue)' is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        default: "not valid JSON"
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        let data = try Self.encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    static func errorResponse(_ error: DeskError) -> Response {
        let body = ErrorBody(error: .init(code: error.code, message: error.message))
        var response = (try? Self.json(error.status, body)) ?? Response(status: error.status)
        if error.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }
}
