import Foundation
import Hummingbird
import Logging

/// Finds the signed-in session of a console request by its cookie; behind it, pages that need someone signed in
/// (`required`) send everyone else to the sign-in page (a `GET`) or refuse them (401), and refuse a change without
/// the session's CSRF token (`X-CSRF-Token`).
struct ConsoleSessionMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    let sessions: ConsoleSessions
    let required: Bool

    @concurrent func handle(
        _ request: Request, context: ConsoleRequestContext,
        next: @concurrent (Request, ConsoleRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.path = request.uri.path
        if let secret = request.cookies[ConsoleCookies.session]?.value, !secret.isEmpty {
            context.signedIn = try await self.sessions.signedIn(secret: secret)
        }
        guard self.required else { return try await next(request, context) }
        let reads = request.method == .get || request.method == .head
        guard let signedIn = context.signedIn else {
            guard reads else { throw ConsoleError.signInNeeded }
            let back = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return ConsoleCookies.redirect(to: "/console/sign-in?next=" + ConsoleCookies.queryEscaped(back))
        }
        if !reads
            && !ConsoleCookies.matches(ConsoleCookies.header(request, ConsoleCookies.csrfHeader), signedIn.session.csrf)
        {
            throw ConsoleError.csrf
        }
        return try await next(request, context)
    }
}

/// Renders what a console route throws as a page: a ``ConsoleError``, a ``DeskError`` a service threw, and
/// anything else as a 500 (logged).
struct ConsoleErrorMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    let renderer: ConsoleRenderer
    let logger: Logger

    @concurrent func handle(
        _ request: Request, context: ConsoleRequestContext,
        next: @concurrent (Request, ConsoleRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return self.renderer.errorPage(ConsoleError.notFound("页面"), context: context, logger: self.logger)
        } catch {
            var context = context
            context.path = request.uri.path
            return self.renderer.errorPage(error, context: context, logger: self.logger)
        }
    }
}
