import Foundation
import Hummingbird
import Logging
import WeiquanCore

/// The console's own routes: its home, signing in (a token, or a one-time link) and out, and its assets.
///
/// | Route | Does |
/// |---|---|
/// | `GET /console` | the signed-in role's first page, or the sign-in page |
/// | `GET /console/sign-in?next=` · `POST` `token`, `attempt`, `next` | sign in with a token |
/// | `GET /console/sign-in/link#CODE` · `POST` `code`, `attempt` | sign in with a one-time link |
/// | `POST /console/sign-out` `csrf` | end the session |
/// | `GET /console/assets/{name}` | styles, scripts, the logo |
///
/// Sign-in forms carry a nonce that must match a SameSite cookie set with the form, so no other site can sign a
/// browser in; the form posts without script, and a failure shows the form again with the reason.
struct ConsoleController: Sendable {
    let sessions: ConsoleSessions
    let renderer: ConsoleRenderer
    let settings: ConsoleSettings
    let logger: Logger

    /// The files this controller's pages use, by file name (embedded in the binary).
    static let files: [String: [UInt8]] = [
        "console.css": PackageResources.console_css,
        "console.js": PackageResources.console_js,
        "error.mustache": PackageResources.error_mustache,
        "layout.mustache": PackageResources.layout_mustache,
        "logo.svg": PackageResources.logo_svg,
        "messages.mustache": PackageResources.messages_mustache,
        "sign-in-link.mustache": PackageResources.sign_in_link_mustache,
        "sign-in.mustache": PackageResources.sign_in_mustache,
    ]

    func addRoutes(to console: RouterGroup<ConsoleRequestContext>) {
        console.get { _, context in
            guard let who = context.signedIn?.identity else { return ConsoleCookies.redirect(to: "/console/sign-in") }
            return ConsoleCookies.redirect(to: Self.home(of: who))
        }
        console.get("sign-in") { request, context in
            if context.signedIn != nil {
                return ConsoleCookies.redirect(to: ConsoleCookies.safeNext(request.uri.queryParameters.get("next")))
            }
            return try self.form(
                "sign-in", request: request, context: context,
                values: ["next": ConsoleCookies.safeNext(request.uri.queryParameters.get("next"))])
        }
        console.post("sign-in") { request, context in
            let form = try await Self.fields(of: request, context: context)
            let next = ConsoleCookies.safeNext(form["next"])
            return try await self.signIn(
                request, form: form, context: context, template: "sign-in", values: ["next": next]
            ) {
                client in
                try await self.sessions.signIn(token: form["token"] ?? "", client: client)
            } then: {
                next
            }
        }
        console.get("sign-in/link") { request, context in
            try self.form("sign-in-link", request: request, context: context, values: [:])
        }
        console.post("sign-in/link") { request, context in
            let form = try await Self.fields(of: request, context: context)
            return try await self.signIn(request, form: form, context: context, template: "sign-in-link", values: [:]) {
                client in
                try await self.sessions.signIn(linkCode: form["code"] ?? "", client: client)
            } then: {
                "/console"
            }
        }
        console.post("sign-out") { request, context in
            let form = try await Self.fields(of: request, context: context)
            let secure = ConsoleCookies.secure(request, settings: self.settings)
            if let signedIn = context.signedIn {
                guard ConsoleCookies.matches(form["csrf"], signedIn.session.csrf) else { throw ConsoleError.csrf }
                if let secret = request.cookies[ConsoleCookies.session]?.value {
                    try await self.sessions.signOut(secret: secret)
                }
                self.logger.info("console sign-out", metadata: ["name": "\(signedIn.identity.name)"])
            }
            var response = ConsoleCookies.redirect(to: "/console/sign-in")
            response.setCookie(ConsoleCookies.removal(ConsoleCookies.session, path: "/", secure: secure))
            return response
        }
        console.get("assets/:name") { request, context in
            try self.asset(request, name: context.parameters.get("name") ?? "")
        }
    }

    /// The first page of a role: the queue for staff and admins, the questions for volunteers.
    static func home(of who: StaffIdentity) -> String {
        who.role == .volunteer ? "/console/questions" : "/console/queue"
    }

    // MARK: - Sign-in

    /// A sign-in form with a fresh nonce (cookie and field).
    private func form(
        _ template: String, request: Request, context: ConsoleRequestContext, values: [String: Any],
        error: ConsoleError? = nil
    ) throws -> Response {
        let nonce = self.sessions.makeSecret()
        var values = values
        values["attempt"] = nonce
        values["idleMinutes"] = self.settings.idleMinutes
        values["linkMinutes"] = self.settings.linkMinutes
        values["section"] = "sign-in"
        if let error { values["error"] = error.message }
        var response = try self.renderer.page(
            template, title: template == "sign-in" ? "登录" : "一次性登录", context: context, values: values,
            status: error?.status ?? .ok)
        if let retryAfter = error?.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        response.setCookie(
            ConsoleCookies.attempt(nonce, secure: ConsoleCookies.secure(request, settings: self.settings)))
        return response
    }

    /// Checks the form's nonce, runs `open`, and answers with the session cookie and a redirect to `then`, or the
    /// form again with the reason it failed.
    private func signIn(
        _ request: Request, form: [String: String], context: ConsoleRequestContext, template: String,
        values: [String: Any], open: (String) async throws -> (secret: String, session: ConsoleSession),
        then: () -> String
    ) async throws -> Response {
        guard ConsoleCookies.matches(form["attempt"], request.cookies[ConsoleCookies.attempt]?.value ?? "") else {
            return try self.form(template, request: request, context: context, values: values, error: .staleForm)
        }
        let secure = ConsoleCookies.secure(request, settings: self.settings)
        do {
            let opened = try await open(ConsoleCookies.client(request, context: context, settings: self.settings))
            var response = ConsoleCookies.redirect(to: then())
            response.setCookie(ConsoleCookies.session(opened.secret, secure: secure))
            response.setCookie(ConsoleCookies.removal(ConsoleCookies.attempt, path: "/console/sign-in", secure: secure))
            return response
        } catch let error as ConsoleError {
            return try self.form(template, request: request, context: context, values: values, error: error)
        }
    }

    /// The fields of a URL-encoded form body.
    static func fields(of request: Request, context: ConsoleRequestContext) async throws -> [String: String] {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        var fields: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let name = parts.first.map(decode), !name.isEmpty else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    // MARK: - Assets

    private func asset(_ request: Request, name: String) throws -> Response {
        guard let asset = self.renderer.templates.assets[name] else { throw ConsoleError.notFound("文件") }
        // A link with the current version never changes; anything else is checked again each time.
        let versioned = request.uri.queryParameters.get("v") == self.renderer.templates.version
        var headers: HTTPFields = [
            .contentType: asset.contentType, .eTag: asset.etag, .xContentTypeOptions: "nosniff",
            .cacheControl: versioned ? "public, max-age=31536000, immutable" : "no-cache",
        ]
        if request.headers[values: .ifNoneMatch].contains(asset.etag) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
