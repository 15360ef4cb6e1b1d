import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import Testing
import WeiquanCore
import WeiquanFiles
@testable import WeiquanServer
import WeiquanStore

/// Signing in to the browser console and what a session may do: cookies and their flags, the sign-in form's nonce,
/// CSRF on every change through the API, idle and absolute expiry on an injected clock, revocation, failed attempts
/// counted in the store, one-time links, signing out, the templates' override directory, and sessions shared by
/// two instances (the cluster twin and PostgreSQL).
@Suite struct ConsoleSignInTests {
    static let staffToken = "token-desk-1"
    static let volunteerToken = "token-vol-1"

    /// An application with the desk's test tokens (held in memory, changeable) on `clock`.
    static func application(
        store: any DocumentStore = MemoryDocumentStore(), clock: TestClock, tokens: TokenRegistry = Self.freshTokens(),
        environment: [String: String] = [:]
    ) async throws -> some ApplicationProtocol {
        var settings = try TestServer.settings()
        if !environment.isEmpty {
            settings = try ConfigurationDocument.load(
                file: nil, environment: ["WEIQUAN_WECHAT_TOKEN": TestServer.token].merging(environment) { $1 }
            ).decode(ServerSettings.self)
        }
        return try await WeiquanApplication.build(
            settings: settings, data: TestServer.data, store: store, tokens: tokens, clock: clock.function)
    }

    /// The desk harness's people, in a registry of this test's own (revoking one touches no other test).
    static func freshTokens() -> TokenRegistry {
        TokenRegistry(
            tokens: [DeskHarness.staff1, DeskHarness.volunteer, DeskHarness.admin].map { who in
                StoredToken(
                    name: who.name, role: who.role, unit: who.unit, hash: TokenRegistry.hash("token-\(who.name)"),
                    createdAt: DeskHarness.mondayMorning)
            })
    }

    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String

        /// The value of the cookie `name` this response sets, if it sets one.
        func cookie(_ name: String) -> String? {
            self.setCookie(name).flatMap { line in
                line.split(separator: ";").first.map { String($0.dropFirst(name.count + 1)) }
            }
        }

        /// The whole `Set-Cookie` line for `name`.
        func setCookie(_ name: String) -> String? {
            self.headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
        }

        /// The value of the hidden field `name` of the page's form.
        func field(_ name: String) -> String? {
            guard let range = self.body.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(self.body[range.upperBound...].prefix { $0 != "\"" })
        }

        func json() -> [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(self.body.utf8))) as? [String: Any] ?? [:]
        }
    }

    static func request(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String,
        cookies: [String: String] = [:],
        headers: HTTPFields = [:], form: [String: String]? = nil, json: String? = nil
    ) async throws -> Page {
        var headers = headers
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                separator: "; ")
        }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-_.~")
            body = ByteBuffer(
                string: form.sorted { $0.key < $1.key }.map {
                    "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
                }.joined(separator: "&"))
        }
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    /// Signs in with `token` through the form (fetching it first for its nonce); the response of the post.
    static func signIn(
        _ client: some TestClientProtocol, token: String, next: String = "/console", headers: HTTPFields = [:]
    ) async throws -> Page {
        let form = try await Self.request(client, .get, "/console/sign-in", headers: headers)
        let nonce = try #require(form.cookie("wq_attempt"))
        #expect(form.field("attempt") == nonce)
        return try await Self.request(
            client, .post, "/console/sign-in", cookies: ["wq_attempt": nonce], headers: headers,
            form: ["token": token, "attempt": nonce, "next": next])
    }

    /// The session cookie and CSRF token after signing in with `token`.
    static func session(_ client: some TestClientProtocol, token: String) async throws -> (cookie: String, csrf: String)
    {
        let signedIn = try await Self.signIn(client, token: token)
        let cookie = try #require(signedIn.cookie("wq_session"))
        let page = try await Self.request(client, .get, "/console/nowhere", cookies: ["wq_session": cookie])
        let csrf = try #require(Self.meta("csrf-token", in: page.body))
        #expect(!csrf.isEmpty)
        return (cookie, csrf)
    }

    static func meta(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "<meta name=\"\(name)\" content=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    // MARK: - The layout

    @Test func theHeaderShowsThePersonsOwnUnitNeverAPagesUnit() async throws {
        let templates = try ConsoleTemplates(
            embedded: ConsoleFeature.files, directory: nil, logger: Logger(label: "test"))
        let renderer = ConsoleRenderer(templates: templates, centre: "中心", unitNames: ["liuzhou": "柳州工作站"])
        var context = ConsoleRequestContext(
            source: WeiquanRequestContext(
                source: .init(channel: EmbeddedChannel(), logger: Logger(label: "test"))))
        for (who, shown) in [(DeskHarness.staff1, nil), (DeskHarness.liuzhou, "柳州工作站")] {
            context.signedIn = .init(
                identity: who,
                session: ConsoleSession(id: "s", tokenHash: "h", name: who.name, csrf: "c", now: Date()))
            let html = try renderer.html(
                "error", title: "t", context: context, values: ["unit": "页面的单位", "code": "x", "message": "m"])
            let header = try #require(html.components(separatedBy: "</header>").first)
            #expect(!header.contains("页面的单位"))
            #expect(header.contains("柳州工作站") == (shown != nil))
        }
    }

    // MARK: - Signing in

    @Test func aPageBeforeSignInGoesToTheSignInPageAndComesBack() async throws {
        let app = try await Self.application(clock: TestClock(DeskHarness.mondayMorning))
        try await app.test(.router) { client in
            let page = try await Self.request(client, .get, "/console/cases?status=filed")
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/console/sign-in?next=/console/cases%3Fstatus%3Dfiled")
            let home = try await Self.request(client, .get, "/console")
            #expect(home.headers[.location] == "/console/sign-in")

            let form = try await Self.request(client, .get, "/console/sign-in?next=/console/cases")
            #expect(form.status == .ok)
            #expect(form.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(form.headers[.contentSecurityPolicy]?.contains("unsafe-inline") == false)
            #expect(form.headers[.cacheControl] == "no-store")
            let attempt = try #require(form.setCookie("wq_attempt"))
            #expect(attempt.contains("HttpOnly") && attempt.contains("SameSite=Strict"))
            #expect(form.field("next") == "/console/cases")

            let signedIn = try await Self.signIn(client, token: Self.staffToken, next: "/console/cases")
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/console/cases")
            let cookie = try #require(signedIn.setCookie("wq_session"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"))
            #expect(!cookie.contains("Max-Age"), "a browser-session cookie; the server ends the session")
        }
    }

    @Test func staffAndVolunteersLandOnTheirOwnFirstPageWithTheirOwnMenu() async throws {
        let app = try await Self.application(clock: TestClock(DeskHarness.mondayMorning))
        try await app.test(.router) { client in
            for (token, home, has, lacks) in [
                (Self.staffToken, "/console/queue", "/console/cases", "/console/people"),
                (Self.volunteerToken, "/console/questions", "/console/questions/history", "/console/cases"),
                ("token-admin", "/console/queue", "/console/people", "/console/questions/history"),
            ] {
                let cookie = try #require(try await Self.signIn(client, token: token).cookie("wq_session"))
                let landing = try await Self.request(client, .get, "/console", cookies: ["wq_session": cookie])
                #expect(landing.headers[.location] == home)
                let page = try await Self.request(client, .get, "/console/nowhere", cookies: ["wq_session": cookie])
                #expect(page.status == .notFound)
                #expect(page.body.contains("找不到页面"))
                #expect(page.body.contains("href=\"\(has)\""), "\(token)")
                #expect(!page.body.contains("href=\"\(lacks)\""), "\(token)")
            }
        }
    }

    @Test func aWrongTokenIsRefusedWithTheReasonAndNoSession() async throws {
        let app = try await Self.application(clock: TestClock(DeskHarness.mondayMorning))
        try await app.test(.router) { client in
            let page = try await Self.signIn(client, token: "wq_wrong")
            #expect(page.status == .unauthorized)
            #expect(page.body.contains("令牌不正确"))
            #expect(page.cookie("wq_session") == nil)
            #expect(page.field("attempt") != nil, "the form again, with a fresh nonce")
        }
    }

    @Test func aSignInFormWithoutItsNonceCookieOpensNoSession() async throws {
        let app = try await Self.application(clock: TestClock(DeskHarness.mondayMorning))
        try await app.test(.router) { client in
            // What another site's form would post: the field, but not the SameSite cookie.
            let forged = try await Self.request(
                client, .post, "/console/sign-in", form: ["token": Self.staffToken, "attempt": "guess"])
            #expect(forged.status == .forbidden)
            #expect(forged.cookie("wq_session") == nil)
            let mismatched = try await Self.request(
                client, .post, "/console/sign-in", cookies: ["wq_attempt": "one"],
                form: ["token": Self.staffToken, "attempt": "two"])
            #expect(mismatched.cookie("wq_session") == nil)
        }
    }

    @Test(arguments: ["//evil.example/x", "https://evil.example/", "/api/v1/me", "/console\\@evil"])
    func afterSignInOnlyConsolePathsOfThisSiteAreFollowed(_ next: String) async throws {
        let app = try await Self.application(clock: TestClock(DeskHarness.mondayMorning))
        try await app.test(.router) { client in
            let page = try await Self.signIn(client, token: Self.staffToken, next: next)
            #expect(page.headers[.location] == "/console")
        }
    }

    @Test func cookiesAreSecureBehindATrustedProxyOverTLS() async throws {
        let app = try await Self.application(
            clock: TestClock(DeskHarness.mondayMorning), environment: ["WEIQUAN_CONSOLE_TRUST_FORWARDED": "true"])
        try await app.test(.router) { client in
            let overTLS = try await Self.signIn(
                client, token: Self.staffToken, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(overTLS.setCookie("wq_session")?.contains("Secure") == true)
            let plain = try await Self.signIn(client, token: Self.staffToken)
            #expect(plain.setCookie("wq_session")?.contains("Secure") == false)
        }
        // Without trust the header means nothing.
        let untrusting = try await Self.application(clock: TestClock(DeskHarness.mondayMorning))
        try await untrusting.test(.router) { client in
            let page = try await Self.signIn(
                client, token: Self.staffToken, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(page.setCookie("wq_session")?.contains("Secure") == false)
        }
    }

    // MARK: - The API with the session cookie

    @Test func theCookieOpensTheAPIAndEveryChangeNeedsTheCSRFToken() async throws {
        let app = try await Self.application(clock: TestClock(DeskHarness.mondayMorning))
        try await app.test(.router) { client in
            let (cookie, csrf) = try await Self.session(client, token: Self.staffToken)
            let me = try await Self.request(client, .get, "/api/v1/me", cookies: ["wq_session": cookie])
            #expect(me.status == .ok)
            #expect(me.json()["name"] as? String == "desk-1")

            let path = "/api/v1/handoffs/H999/claim"
            let bare = try await Self.request(client, .post, path, cookies: ["wq_session": cookie], json: "{}")
            #expect(bare.status == .forbidden)
            #expect((bare.json()["error"] as? [String: Any])?["code"] as? String == "csrf")
            let wrong = try await Self.request(
                client, .post, path, cookies: ["wq_session": cookie],
                headers: [HTTPField.Name("X-CSRF-Token")!: csrf + "x"], json: "{}")
            #expect(wrong.status == .forbidden)
            let right = try await Self.request(
                client, .post, path, cookies: ["wq_session": cookie],
                headers: [HTTPField.Name("X-CSRF-Token")!: csrf], json: "{}")
            #expect(right.status == .notFound, "past the checks: there is no such handoff")

            let unknown = try await Self.request(client, .get, "/api/v1/me", cookies: ["wq_session": "wq_forged"])
            #expect(unknown.status == .unauthorized)
            // A bearer token is still what curl users send, and needs no CSRF token.
            let bearer = try await Self.request(
                client, .post, path, headers: [.authorization: "Bearer \(Self.staffToken)"], json: "{}")
            #expect(bearer.status == .notFound)
        }
    }

    // MARK: - Ending sessions

    @Test func anIdleSessionEndsAndAnActiveOneLastsUntilItsLongestTime() async throws {
        let clock = TestClock(DeskHarness.mondayMorning)
        let app = try await Self.application(clock: clock)
        try await app.test(.router) { client in
            let (cookie, _) = try await Self.session(client, token: Self.staffToken)
            // Used every 20 minutes: the 30-minute idle time never runs out…
            for _ in 0..<6 {
                clock.advance(20 * 60)
                let me = try await Self.request(client, .get, "/api/v1/me", cookies: ["wq_session": cookie])
                #expect(me.status == .ok)
            }
            // …but after 12 hours it ends however busy it is.
            clock.advance(10 * 3600)
            let late = try await Self.request(client, .get, "/api/v1/me", cookies: ["wq_session": cookie])
            #expect(late.status == .unauthorized)

            let (idle, _) = try await Self.session(client, token: Self.staffToken)
            clock.advance(31 * 60)
            let page = try await Self.request(client, .get, "/console/cases", cookies: ["wq_session": idle])
            #expect(page.status == .seeOther)
            #expect(page.headers[.location]?.hasPrefix("/console/sign-in") == true)
        }
    }

    @Test func revokingTheTokenEndsItsSessionsAtOnce() async throws {
        let tokens = Self.freshTokens()
        let app = try await Self.application(clock: TestClock(DeskHarness.mondayMorning), tokens: tokens)
        try await app.test(.router) { client in
            let (cookie, _) = try await Self.session(client, token: Self.staffToken)
            let storage = try #require(tokens.storage)
            _ = try await TokenAdministration.revoke(name: "desk-1", in: storage, now: DeskHarness.mondayMorning)
            let me = try await Self.request(client, .get, "/api/v1/me", cookies: ["wq_session": cookie])
            #expect(me.status == .unauthorized)
            let page = try await Self.request(client, .get, "/console/queue", cookies: ["wq_session": cookie])
            #expect(page.status == .seeOther)
        }
    }

    @Test func signingOutNeedsTheCSRFTokenAndEndsTheSession() async throws {
        let app = try await Self.application(clock: TestClock(DeskHarness.mondayMorning))
        try await app.test(.router) { client in
            let (cookie, csrf) = try await Self.session(client, token: Self.staffToken)
            let forged = try await Self.request(
                client, .post, "/console/sign-out", cookies: ["wq_session": cookie], form: ["csrf": "guess"])
            #expect(forged.status == .forbidden)
            let still = try await Self.request(client, .get, "/api/v1/me", cookies: ["wq_session": cookie])
            #expect(still.status == .ok, "a forged sign-out ends nothing")

            let out = try await Self.request(
                client, .post, "/console/sign-out", cookies: ["wq_session": cookie], form: ["csrf": csrf])
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/console/sign-in")
            #expect(out.setCookie("wq_session")?.contains("Max-Age=0") == true)
            let after = try await Self.request(client, .get, "/api/v1/me", cookies: ["wq_session": cookie])
            #expect(after.status == .unauthorized)
        }
    }

    // MARK: - Failed attempts

    @Test func tooManyFailuresFromOneClientAreRefusedUntilTheWindowPasses() async throws {
        let clock = TestClock(DeskHarness.mondayMorning)
        let store = MemoryDocumentStore()
        let app = try await Self.application(store: store, clock: clock)
        try await app.test(.router) { client in
            for _ in 0..<10 {
                let page = try await Self.signIn(client, token: "wq_guess")
                #expect(page.status == .unauthorized)
            }
            // Even the right token is not looked at now.
            let blocked = try await Self.signIn(client, token: Self.staffToken)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.cookie("wq_session") == nil)
            #expect(blocked.body.contains("登录失败次数过多"))
            let retryAfter = try #require(blocked.headers[.retryAfter].flatMap(Int.init))
            #expect(retryAfter > 0 && retryAfter <= 15 * 60)
            // The count is in the store, where every instance reads it.
            #expect(try await store.count(collection: "console-sign-in-attempts") == 1)

            clock.advance(TimeInterval(retryAfter))
            let later = try await Self.signIn(client, token: Self.staffToken)
            #expect(later.status == .seeOther)
            #expect(later.cookie("wq_session") != nil)
        }
    }

    // MARK: - One-time links

    @Test func aOneTimeLinkSignsInOnceAndNotAfterItExpires() async throws {
        let clock = TestClock(DeskHarness.mondayMorning)
        let tokens = Self.freshTokens()
        let storage = try #require(tokens.storage)
        let app = try await Self.application(clock: clock, tokens: tokens)
        try await app.test(.router) { client in
            func use(_ code: String) async throws -> Page {
                let form = try await Self.request(client, .get, "/console/sign-in/link")
                #expect(form.body.contains("id=\"link-form\""))
                let nonce = try #require(form.cookie("wq_attempt"))
                return try await Self.request(
                    client, .post, "/console/sign-in/link", cookies: ["wq_attempt": nonce],
                    form: ["code": code, "attempt": nonce])
            }
            _ = try await TokenAdministration.addSignInLink(
                name: "vol-1", code: "wq_link-one", expiresAt: clock.now.addingTimeInterval(900), in: storage)
            let first = try await use("wq_link-one")
            #expect(first.status == .seeOther)
            let cookie = try #require(first.cookie("wq_session"))
            let me = try await Self.request(client, .get, "/api/v1/me", cookies: ["wq_session": cookie])
            #expect(me.json()["name"] as? String == "vol-1")
            let again = try await use("wq_link-one")
            #expect(again.status == .unauthorized)
            #expect(again.body.contains("登录链接无效"))

            _ = try await TokenAdministration.addSignInLink(
                name: "vol-1", code: "wq_link-two", expiresAt: clock.now.addingTimeInterval(900), in: storage)
            clock.advance(901)
            let expired = try await use("wq_link-two")
            #expect(expired.status == .unauthorized)
            #expect(try await storage.allTokens().allSatisfy { $0.signInLink == nil }, "an expired link is removed")
        }
    }

    // MARK: - Assets and templates

    @Test func assetsCarryTheirTagAndAnswerAConditionalRequestWith304() async throws {
        let app = try await Self.application(clock: TestClock(DeskHarness.mondayMorning))
        try await app.test(.router) { client in
            let css = try await Self.request(client, .get, "/console/assets/console.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            let etag = try #require(css.headers[.eTag])
            let again = try await Self.request(
                client, .get, "/console/assets/console.css", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            let missing = try await Self.request(client, .get, "/console/assets/nothing.js")
            #expect(missing.status == .notFound)
        }
    }

    @Test func aCentreReplacesTemplatesAndTheLogoFromItsDirectory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("<svg xmlns=\"http://www.w3.org/2000/svg\"><title>本中心</title></svg>".utf8)
            .write(to: directory.appendingPathComponent("logo.svg"))
        try Data("{{<layout}}{{$main}}<h1>南宁分中心工作台登录</h1>{{/main}}{{/layout}}".utf8)
            .write(to: directory.appendingPathComponent("sign-in.mustache"))
        try Data("ignored".utf8).write(to: directory.appendingPathComponent("unknown.txt"))
        let app = try await Self.application(
            clock: TestClock(DeskHarness.mondayMorning), environment: ["WEIQUAN_CONSOLE_DIRECTORY": directory.path])
        try await app.test(.router) { client in
            let page = try await Self.request(client, .get, "/console/sign-in")
            #expect(page.body.contains("南宁分中心工作台登录"))
            let logo = try await Self.request(client, .get, "/console/assets/logo.svg")
            #expect(logo.body.contains("本中心"))
        }

        try Data("{{<layout}}{{$main}}{{#unclosed}}{{/main}}{{/layout}}".utf8)
            .write(to: directory.appendingPathComponent("sign-in.mustache"))
        await #expect(throws: (any Error).self) {
            _ = try await Self.application(
                clock: TestClock(DeskHarness.mondayMorning),
                environment: ["WEIQUAN_CONSOLE_DIRECTORY": directory.path])
        }
    }

    // MARK: - Several instances

    @Test(arguments: ConversationClusterTests.Backend.available)
    func aSessionOpenedOnOneInstanceWorksAndEndsOnTheOther(_ backend: ConversationClusterTests.Backend) async throws {
        _ = try await ConversationClusterTests.withTwoInstances(on: backend) { a, b in
            let (cookie, csrf) = try await Self.session(a, token: Self.staffToken)
            let me = try await Self.request(b, .get, "/api/v1/me", cookies: ["wq_session": cookie])
            #expect(me.status == .ok)
            let out = try await Self.request(
                b, .post, "/console/sign-out", cookies: ["wq_session": cookie], form: ["csrf": csrf])
            #expect(out.status == .seeOther)
            let after = try await Self.request(a, .get, "/api/v1/me", cookies: ["wq_session": cookie])
            #expect(after.status == .unauthorized)
        }
    }
}
