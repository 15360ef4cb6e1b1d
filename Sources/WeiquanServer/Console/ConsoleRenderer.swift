import Foundation
import Hummingbird
import Logging
import Mustache
import WeiquanCore

/// Renders the console's pages: a page template inside `layout` (the menu for the signed-in role, the centre's
/// name, the CSRF token), with the security headers every page carries.
///
/// Every value is escaped by the templates (`{{value}}`); the policy allows scripts, styles and images from this
/// origin only, so nothing an applicant wrote can run even if it were not.
struct ConsoleRenderer: Sendable {
    let templates: ConsoleTemplates
    /// The centre's name, at the top of every page.
    let centre: String
    /// The name of each unit, for the signed-in person's unit at the top of every page.
    var unitNames: [UnitID: String] = [:]

    /// Scripts and styles from this origin only (no inline ones, no `style=` attributes); images also as `data:`
    /// (server-drawn charts are inline SVG elements, which need no source); no frames, no other origins.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// The headers of every console page: HTML, never cached, the policy above, no sniffing (the policy forbids framing).
    static var pageHeaders: HTTPFields {
        [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: Self.contentSecurityPolicy, .xContentTypeOptions: "nosniff",
        ]
    }

    /// The page `template` (a `{{<layout}}` child) with `values`, as a response.
    /// - Parameters:
    ///   - title: The page's title (the browser tab reads "title – centre").
    ///   - context: Who is signed in (the menu, the CSRF token) and which section the path is in (the menu's
    ///     current entry).
    ///   - scripts: Scripts of `/console/assets/` the page needs besides `console.js`.
    ///   - styles: Style sheets of `/console/assets/` besides `console.css`.
    func page(
        _ template: String, title: String, context: ConsoleRequestContext, values: [String: Any],
        scripts: [String] = [], styles: [String] = [], status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let html = try self.html(
            template, title: title, context: context, values: values, scripts: scripts, styles: styles)
        return Response(status: status, headers: Self.pageHeaders, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The HTML of a page (what ``page(_:title:context:values:scripts:styles:status:)`` answers with).
    func html(
        _ template: String, title: String, context: ConsoleRequestContext, values: [String: Any],
        scripts: [String] = [], styles: [String] = []
    ) throws -> String {
        var all = values
        let section = values["section"] as? String ?? Self.section(of: context.path)
        all["title"] = title
        all["centre"] = self.centre
        all["csrf"] = context.csrf
        all["version"] = self.templates.version
        all["scripts"] = scripts
        all["styles"] = styles
        all["section"] = section
        all["current"] = [section: true]
        if let who = context.signedIn?.identity {
            all["me"] = Self.me(who, unitName: who.unit.map { self.unitNames[$0] ?? $0.rawValue })
        }
        guard let html = self.templates.library.render(all, withTemplate: template) else {
            throw ConsoleTemplates.LoadError(file: template + ".mustache", reason: "no such template")
        }
        return html
    }

    /// What the layout knows of the signed-in person. Every key is always present: a missing one would be looked
    /// up in the page's values (Mustache's context stack), and a page's `unit` shown as the person's.
    static func me(_ who: StaffIdentity, unitName: String?) -> [String: Any] {
        [
            "name": who.name, "isAdmin": who.role == .admin, "isStaff": who.role != .volunteer,
            "isStaffOnly": who.role == .staff, "isVolunteer": who.role == .volunteer, "hasUnit": unitName != nil,
            "unitName": unitName ?? "",
        ]
    }

    /// The menu section of a path: its first part after `/console/` (`cases` for `/console/cases/WQ…`);
    /// `history` for a volunteer's `/console/questions/history`.
    static func section(of path: String) -> String {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[0] == "console" else { return "" }
        if parts.count >= 3, parts[1] == "questions", parts[2] == "history" { return "history" }
        return parts[1]
    }

    /// The error page for `error`, with its status: a ``ConsoleError``'s message, or for a ``DeskError`` (which a
    /// service threw, as it would to the API) the Chinese wording of its code when there is one.
    func errorPage(_ error: any Error, context: ConsoleRequestContext, logger: Logger) -> Response {
        let (code, message, status): (String, String, HTTPResponse.Status)
        switch error {
        case let console as ConsoleError:
            (code, message, status) = (console.code, console.message, console.status)
        case let desk as DeskError:
            (code, message, status) = (desk.code, desk.message, desk.status)
        default:
            logger.error("console page failed", metadata: ["error": "\(error)", "path": "\(context.path)"])
            (code, message, status) = ("internal", "", .internalServerError)
        }
        var values: [String: Any] = [
            "code": code, "message": message, "status\(status.code)": true, "section": "",
        ]
        if let known = self.templates.messages[code] { values["known"] = known }
        if error is ConsoleError { values["known"] = message }
        do {
            var response = try self.page("error", title: "出错了", context: context, values: values, status: status)
            if let retryAfter = (error as? ConsoleError)?.retryAfter {
                response.headers[.retryAfter] = String(retryAfter)
            }
            return response
        } catch {
            logger.error("console error page failed", metadata: ["error": "\(error)"])
            return Response(
                status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: message)))
        }
    }
}
