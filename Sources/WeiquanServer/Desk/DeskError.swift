import Hummingbird

/// Why a desk request failed; rendered as `{"error": {"code": …, "message": …}}` with ``status``.
public struct DeskError: Error, Sendable, Equatable, CustomStringConvertible {
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

    static func forbiddenRole(_ role: String) -> DeskError {
        DeskError("forbidden_role", "a \(role) token may not do this", status: .forbidden)
    }

    static func forbiddenUnit(_ unit: String) -> DeskError {
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
