import Hummingbird
import WeiquanCore

/// Why a desk request failed; answered as `{"error": {"code": …, "message": …}}` with ``status`` (and
/// `WWW-Authenticate: Bearer` on a 401).
public struct DeskError: Error, HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    /// Stable, machine-readable: clients branch on it.
    public var code: String
    /// For people: what went wrong and what to do.
    public var message: String
    public var status: HTTPResponse.Status

    public init(_ code: String, _ message: String, status: HTTPResponse.Status) {
        self.code = code
        self.message = message
        self.status = status
    }

    public var description: String { "\(self.code): \(self.message)" }

    static let missingToken = DeskError(
        "unauthorized", "this route needs a desk token: send 'Authorization: Bearer <token>'", status: .unauthorized
    )
    static let unknownToken = DeskError("unauthorized", "the token is unknown or was revoked", status: .unauthorized)
    static let sessionEnded = DeskError(
        "unauthorized", "the console session ended (signed out, idle, or its token revoked): sign in again",
        status: .unauthorized)
    static let csrf = DeskError(
        "csrf", "a change made with the console's session cookie needs its token in the X-CSRF-Token header",
        status: .forbidden)

    /// What the client sees of an error that is not a `DeskError` (the error itself is logged).
    static let internalFailure = DeskError(
        "internal", "the request could not be completed; nothing was changed", status: .internalServerError
    )

    static func tooLarge(limit: Int) -> DeskError {
        DeskError("too_large", "the body is larger than \(limit) bytes", status: .contentTooLarge)
    }

    static func forbiddenRole(_ role: String) -> DeskError {
        DeskError("forbidden_role", "a \(role) token may not do this", status: .forbidden)
    }

    static func forbiddenUnit(_ unit: UnitID) -> DeskError {
        DeskError("forbidden_unit", "this token is bound to another unit than '\(unit)'", status: .forbidden)
    }

    static func notFound(_ what: String) -> DeskError {
        DeskError("not_found", "\(what) does not exist", status: .notFound)
    }

    static func forbidden(_ code: String, _ message: String) -> DeskError {
        DeskError(code, message, status: .forbidden)
    }

    static func unprocessable(_ code: String, _ message: String) -> DeskError {
        DeskError(code, message, status: .unprocessableContent)
    }

    static func conflict(_ code: String, _ message: String) -> DeskError {
        DeskError(code, message, status: .conflict)
    }

    static func badRequest(_ message: String, code: String = "bad_request") -> DeskError {
        DeskError(code, message, status: .badRequest)
    }

    static func unavailable(_ message: String) -> DeskError {
        DeskError("unavailable", message, status: .serviceUnavailable)
    }
}

extension DeskError {
    /// The body of an error answer.
    struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
        }

        var error: Detail
    }

    /// The error as JSON, written the desk's way whichever context answers it (errors thrown under
    /// `/api/v1` are answered by the router, with the application's context).
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(error: Body.Detail(code: self.code, message: self.message))
        var response = try DeskRequestContext.encoder.encode(body, from: request, context: context)
        response.status = self.status
        if self.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }
}
