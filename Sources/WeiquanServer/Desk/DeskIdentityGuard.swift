import Hummingbird
import HummingbirdAuth

/// Lets a desk request through only once it is authenticated; otherwise a 401 (`unauthorized`, with
/// `WWW-Authenticate: Bearer`) that tells the client to send a bearer token.
///
/// Like HummingbirdAuth's `IsAuthenticatedMiddleware`, but answering with the desk's JSON error.
struct DeskIdentityGuard<Context: AuthRequestContext>: RouterMiddleware {
    @concurrent func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard context.identity != nil else { throw DeskError.missingToken }
        return try await next(request, context)
    }
}
