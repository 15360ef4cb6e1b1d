import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// The staff desk's console pages: the live queue and one handoff, as a signed-in staff member, a volunteer and an
/// applicant who writes markup see (or do not see) them.
@Suite struct ConsoleDeskPagesTests {
    static let markup = ["<script>alert(1)</script>", #""><img src=x onerror=alert(2)>"#]

    /// An application at an open desk with one applicant queued (and what they wrote after asking), and a signed-in
    /// session of `token`; `body` gets the client, the session cookie and the handoff's id.
    static func withQueuedApplicant(
        token: String = ConsoleSignInTests.staffToken, writes: [String] = [],
        _ body: @escaping @Sendable (any TestClientProtocol, String, String) async throws -> Void
    ) async throws {
        let app = try await ConsoleSignInTests.application(clock: TestClock(DeskHarness.mondayMorning))
        try await app.test(.router) { client in
            _ = try await client.say("人工", from: "user-q", id: 1)
            for (index, text) in writes.enumerated() { _ = try await client.say(text, from: "user-q", id: 2 + index) }
            let id = try await DeskAPITests.firstHandoffID(client)
            let session = try await ConsoleSignInTests.session(client, token: token)
            try await body(client, session.cookie, id)
        }
    }

    static func page(_ client: some TestClientProtocol, _ path: String, cookie: String) async throws
        -> ConsoleSignInTests.Page
    {
        try await ConsoleSignInTests.request(client, .get, path, cookies: ["wq_session": cookie])
    }

    @Test func signedInStaffSeeTheQueueWithItsLiveScript() async throws {
        try await Self.withQueuedApplicant { client, cookie, id in
            let queue = try await Self.page(client, "/console/queue", cookie: cookie)
            #expect(queue.status == .ok)
            #expect(queue.headers[.contentType] == "text/html; charset=utf-8")
            #expect(queue.body.contains("<title>排队 – "))
            #expect(queue.body.contains("href=\"/console/handoffs/\(id)\""))
            #expect(queue.body.contains("第 1 位"))
            #expect(queue.body.contains("等待接入"))
            #expect(queue.body.contains("<script src=\"/console/assets/desk.js?v="))
            #expect(queue.body.contains("aria-live=\"polite\""))
            #expect(queue.body.utf8.count < 100 * 1024)
            // No inline script, handler or style attribute: the policy would refuse them.
            #expect(
                !queue.body.contains("<script>") && !queue.body.contains(" onclick=") && !queue.body.contains(" style=")
            )
            let script = try await ConsoleSignInTests.request(client, .get, "/console/assets/desk.js")
            #expect(script.status == .ok && script.body.contains("/api/v1/events"))
        }
    }

    @Test func theHandoffPageShowsTheTranscriptSummaryAndTheActionsThroughTheAPI() async throws {
        try await Self.withQueuedApplicant(writes: ["对方在网店卖仿冒我们专利的产品"]) { client, cookie, id in
            let page = try await Self.page(client, "/console/handoffs/\(id)", cookie: cookie)
            #expect(page.status == .ok)
            #expect(page.body.contains("人工服务 \(id)"))
            #expect(page.body.contains("对方在网店卖仿冒我们专利的产品"))
            #expect(page.body.contains("class=\"msg msg-in\""))
            #expect(page.body.contains("data-api=\"/api/v1/handoffs/\(id)/claim\""))
            #expect(page.body.contains("data-api=\"/api/v1/handoffs/\(id)/transfer\""))
            #expect(page.body.contains("data-api=\"/api/v1/handoffs/\(id)/close\""))
            #expect(page.body.contains("data-api=\"/api/v1/handoffs/\(id)/notes\""))
            // Not claimed yet: nothing to write with until it is.
            #expect(!page.body.contains("data-api=\"/api/v1/handoffs/\(id)/messages\""))

            let (cookie2, csrf) = try await ConsoleSignInTests.session(client, token: ConsoleSignInTests.staffToken)
            let claimed = try await ConsoleSignInTests.request(
                client, .post, "/api/v1/handoffs/\(id)/claim", cookies: ["wq_session": cookie2],
                headers: [HTTPField.Name("X-CSRF-Token")!: csrf], json: "{}")
            #expect(claimed.status == .ok)
            let mine = try await Self.page(client, "/console/handoffs/\(id)", cookie: cookie2)
            #expect(mine.body.contains("data-api=\"/api/v1/handoffs/\(id)/messages\""))
            #expect(mine.body.contains("id=\"reply-picker\""))
            #expect(mine.body.contains("data-api=\"/api/v1/handoffs/\(id)/release\""))
            #expect(mine.body.contains("处理中"))
        }
    }

    @Test func anEndedHandoffOffersATakeover() async throws {
        try await Self.withQueuedApplicant { client, cookie, id in
            let closed = try await DeskAPITests.call(client, .post, "/api/v1/handoffs/\(id)/close", body: "{}")
            #expect(closed.status == .ok)
            let page = try await Self.page(client, "/console/handoffs/\(id)", cookie: cookie)
            #expect(page.body.contains("已结束"))
            #expect(page.body.contains("data-api=\"/api/v1/conversations/user-q/takeover\""))
            #expect(!page.body.contains("/claim\""))
        }
    }

    @Test func volunteersGetTheForbiddenPage() async throws {
        try await Self.withQueuedApplicant(token: ConsoleSignInTests.volunteerToken) { client, cookie, id in
            let queue = try await Self.page(client, "/console/queue", cookie: cookie)
            #expect(queue.status == .forbidden)
            #expect(!queue.body.contains(id))
            let handoff = try await Self.page(client, "/console/handoffs/\(id)", cookie: cookie)
            #expect(handoff.status == .forbidden)
        }
    }

    @Test func anUnknownHandoffIsTheNotFoundPage() async throws {
        try await Self.withQueuedApplicant { client, cookie, _ in
            let page = try await Self.page(client, "/console/handoffs/H999999", cookie: cookie)
            #expect(page.status == .notFound)
        }
    }

    @Test func markupAnApplicantWroteIsEscapedOnBothPages() async throws {
        try await Self.withQueuedApplicant(writes: Self.markup) { client, cookie, id in
            for path in ["/console/queue", "/console/handoffs/\(id)"] {
                let page = try await Self.page(client, path, cookie: cookie)
                #expect(page.status == .ok)
                #expect(!page.body.contains("<script>alert(1)"), "\(path)")
                #expect(!page.body.contains("<img src=x"), "\(path)")
                #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(path)")
                #expect(page.body.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), "\(path)")
            }
        }
    }
}
