import Foundation
import Hummingbird
import HummingbirdAuth

/// Authenticates desk requests by their `Authorization: Bearer <token>` header, looked up in a ``TokenRegistry``,
/// or else by the console's session cookie.
///
/// A request without a bearer token passes on unauthenticated (``DeskIdentityGuard`` refuses it); one whose
/// token is unknown or revoked is refused here with a 401, so that the client learns which of the two it was.
/// The scheme is matched without regard to case and the token without surrounding spaces.
struct DeskTokenAuthenticator: AuthenticatorMiddleware {
    typealias Context = DeskRequestContext

    let tokens: TokenRegistry

    func authenticate(request: Request, context: DeskRequestContext) async throws -> StaffIdentity? {
        guard let token = Self.bearerToken(request.headers[.authorization]) else {
            return try await self.consoleSession(request)
        }
        guard let who = await self.tokens.identity(bearer: token) else { throw DeskError.unknownToken }
        return who
    }

    /// The person signed in to the console whose session cookie the request carries (the console's pages call the
    /// API this way). A change (any method but GET and HEAD) must also carry the session's CSRF token in
    /// `X-CSRF-Token`, or it is refused with 403 `csrf`; an ended session is a 401.
    private func consoleSession(_ request: Request) async throws -> StaffIdentity? {
        guard let sessions = self.tokens.consoleSessions,
            let secret = request.cookies[ConsoleCookies.session]?.value, !secret.isEmpty
        else { return nil }
        guard let signedIn = try await sessions.signedIn(secret: secret) else { throw DeskError.sessionEnded }
        if request.method != .get && request.method != .head
            && !ConsoleCookies.matches(ConsoleCookies.header(request, ConsoleCookies.csrfHeader), signedIn.session.csrf)
        {
            throw DeskError.csrf
        }
        return signedIn.identity
    }

    /// The token of a `Bearer` authorization header; nil for none or another scheme.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
