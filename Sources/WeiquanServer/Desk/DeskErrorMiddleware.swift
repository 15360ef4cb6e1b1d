import Hummingbird
import Logging

/// Makes every failure of a desk request a ``DeskError``, and logs the ones operators should see.
///
/// Refusals (401 and 403) are logged at notice level with their code and path. Any error that is not a
/// `DeskError` (the store failing, say) is logged as an error and answered as a 500 `internal`, whose message
/// tells the client that nothing was changed. Add it first, so that it wraps the authentication too.
struct DeskErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    @concurrent func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as DeskError {
            if error.status == .unauthorized || error.status == .forbidden {
                context.logger.notice(
                    "desk request refused", metadata: ["code": "\(error.code)", "path": "\(request.uri.path)"])
            }
            throw error
        } catch {
            context.logger.error("desk request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw DeskError.internalFailure
        }
    }
}
