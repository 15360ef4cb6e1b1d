import Foundation
import Hummingbird

/// The console's cookies and the small helpers of its sign-in: the session cookie, the sign-in form's nonce, safe
/// redirects.
enum ConsoleCookies {
    /// The session's secret: HttpOnly, SameSite=Strict, for the whole site (the API accepts it too).
    static let session = "wq_session"
    /// The sign-in form's nonce, matched against the form's `attempt` field (a sign-in from another site fails).
    static let attempt = "wq_attempt"
    /// The header that carries the CSRF token of a change made with the session cookie (lowercase).
    static let csrfHeader = "x-csrf-token"

    /// The value of the header named `name` (lowercase), if the request has one.
    static func header(_ request: Request, _ name: String) -> String? {
        request.headers.first { $0.name.canonicalName == name }?.value
    }

    /// The session cookie (no expiry: the browser drops it when it closes; the server ends it sooner).
    static func session(_ secret: String, secure: Bool) -> Cookie {
        Cookie(name: Self.session, value: secret, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// A cookie that removes `name`.
    static func removal(_ name: String, path: String, secure: Bool) -> Cookie {
        Cookie(
            name: name, value: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: path, secure: secure,
            httpOnly: true, sameSite: .strict)
    }

    static func attempt(_ nonce: String, secure: Bool) -> Cookie {
        Cookie(
            name: Self.attempt, value: nonce, maxAge: 3600, path: "/console/sign-in", secure: secure, httpOnly: true,
            sameSite: .strict)
    }

    /// A 303 to `location` (a path of this site).
    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// Where to go after signing in: `next` when it is a console path of this site, else the console's home.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/console"), !next.hasPrefix("//"), !next.contains("\\"),
            !next.unicodeScalars.contains(where: { $0.value < 0x20 })
        else { return "/console" }
        return next
    }

    static func queryEscaped(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/console"
    }

    /// Compares a presented token with the expected one in time that does not depend on where they differ.
    static func matches(_ presented: String?, _ expected: String) -> Bool {
        guard let presented, !expected.isEmpty else { return false }
        let (a, b) = (Array(presented.utf8), Array(expected.utf8))
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// Whether cookies must be `Secure`: always when configured; behind a trusted proxy that says the request came
    /// over TLS.
    static func secure(_ request: Request, settings: ConsoleSettings) -> Bool {
        if settings.secureCookies { return true }
        guard settings.trustForwarded, let proto = Self.header(request, "x-forwarded-proto") else {
            return false
        }
        return proto.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased() == "https"
    }

    /// Who is signing in, for counting failures: the first `X-Forwarded-For` address behind a trusted proxy, else
    /// the connection's peer.
    static func client(_ request: Request, context: ConsoleRequestContext, settings: ConsoleSettings) -> String {
        if settings.trustForwarded, let forwarded = Self.header(request, "x-forwarded-for"),
            let first = forwarded.split(separator: ",").first?.trimmingCharacters(in: .whitespaces), !first.isEmpty
        {
            return first
        }
        return context.remoteAddress?.ipAddress ?? "unknown"
    }
}
