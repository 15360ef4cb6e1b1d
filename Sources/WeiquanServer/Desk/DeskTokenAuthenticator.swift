import Foundation
import Hummingbird
import HummingbirdAuth

/// Authenticates desk requests by their `Authorization: Bearer <token>` header, looked up in a ``TokenRegistry``.
///
/// A request without a bearer token passes on unauthenticated (``DeskIdentityGuard`` refuses it); one whose
/// token is unknown or revoked is refused here with a 401, so that the client learns which of the two it was.
/// The scheme is matched without regard to case and the token without surrounding spaces.
struct DeskTokenAuthenticator: AuthenticatorMiddleware {
    typealias Context = DeskRequestContext

    let tokens: TokenRegistry

    func authenticate(request: Request, context: DeskRequestContext) async throws -> StaffIdentity? {
        guard let token = Self.bearerToken(request.headers[.authorization]) else { return nil }
        guard let who = await self.tokens.identity(bearer: token) else { throw DeskError.unknownToken }
        return who
    }

    /// The token of a `Bearer` authorization header; nil for none or another scheme.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
