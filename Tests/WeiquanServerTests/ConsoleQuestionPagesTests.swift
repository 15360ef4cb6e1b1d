import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// The console's question pages over HTTP, signed in through the sign-in form: a volunteer's queue (redacted, with
/// the claim form), the page state through a claim, a follow-up and an answer, staff's review page, markup shown as
/// text, and the refusals the API makes (a volunteer on the review page, a question they may not see).
@Suite struct ConsoleQuestionPagesTests {
    /// The hostile markup an applicant may write.
    static let script = "<script>alert(1)</script>"
    static let image = #""><img src=x onerror=alert(2)>"#

    /// The application on `store` with fresh tokens (the console's sessions attach to the registry).
    static func application(store: any DocumentStore) async throws -> some ApplicationProtocol {
        let tokens = TokenRegistry(
            tokens: [
                DeskHarness.staff1, DeskHarness.liuzhou, DeskHarness.admin, QuestionHarness.volunteer,
                QuestionHarness.volunteer2, QuestionHarness.patentVolunteer,
            ].map { who in
                StoredToken(
                    name: who.name, role: who.role, unit: who.unit, hash: TokenRegistry.hash("token-\(who.name)"),
                    createdAt: DeskHarness.mondayMorning, specialties: who.specialties, regions: who.regions)
            })
        return try await WeiquanApplication.build(
            settings: try TestServer.settings(), data: TestServer.data, store: store, tokens: tokens,
            clock: TestClock(DeskHarness.mondayMorning).function)
    }

    /// Q000001 (Nanning, trademark) and Q000002 (Liuzhou, patent, urgent), asked an hour before Monday morning.
    static func seeded() async throws -> MemoryDocumentStore {
        try await QuestionsAPITests.seeded()
    }

    // MARK: - HTTP

    /// Signs in through the form as the token `token-<name>`; returns the session cookie's value.
    static func signIn(_ client: some TestClientProtocol, as name: String) async throws -> String {
        let form = try await client.execute(uri: "/console/sign-in", method: .get) { response in
            (String(buffer: response.body), response.headers[values: .setCookie])
        }
        let attempt = try #require(Self.cookie("wq_attempt", in: form.1))
        let body = "attempt=\(attempt)&next=%2Fconsole&token=token-\(name)"
        let cookies = try await client.execute(
            uri: "/console/sign-in", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "wq_attempt=\(attempt)"],
            body: ByteBuffer(string: body)
        ) { response in
            response.headers[values: .setCookie]
        }
        return try #require(Self.cookie("wq_session", in: cookies), "no session for \(name): \(cookies)")
    }

    static func cookie(_ name: String, in headers: [String]) -> String? {
        for header in headers where header.hasPrefix(name + "=") {
            let value = header.dropFirst(name.count + 1).prefix { $0 != ";" }
            if !value.isEmpty { return String(value) }
        }
        return nil
    }

    struct Page {
        var status: HTTPResponse.Status
        var body: String
        var headers: HTTPFields
    }

    static func page(_ client: some TestClientProtocol, _ path: String, session: String?) async throws -> Page {
        var headers: HTTPFields = [:]
        if let session { headers[.cookie] = "wq_session=\(session)" }
        return try await client.execute(uri: path, method: .get, headers: headers) { response in
            Page(status: response.status, body: String(buffer: response.body), headers: response.headers)
        }
    }

    static func api(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, as who: String,
        body: String? = nil
    ) async throws -> DeskAPITests.Reply {
        try await QuestionsAPITests.call(client, method, path, as: who, body: body)
    }

    /// The part of a page between `start` and the next `end` (to look at one row or one section).
    static func part(_ body: String, from start: String, to end: String) -> String {
        guard let from = body.range(of: start) else { return "" }
        let rest = body[from.lowerBound...]
        guard let to = rest.range(of: end) else { return String(rest) }
        return String(rest[..<to.upperBound])
    }

    static func expectNothingPersonal(_ page: Page, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in ["oOpenID", "张三", QuestionHarness.phone, "原文"] {
            #expect(!page.body.contains(secret), "a volunteer saw \(secret)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Tests

    @Test func aVolunteersQueueShowsTheRedactedQuestionsOfTheirScopeWithTheClaimForm() async throws {
        let app = try await Self.application(store: try await Self.seeded())
        try await app.test(.router) { client in
            let volunteer = try await Self.signIn(client, as: "vol-1")
            let queue = try await Self.page(client, "/console/questions", session: volunteer)
            #expect(queue.status == .ok)
            #expect(queue.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(queue.body.contains("我叫［姓名］，电话［电话］，我的商标被抢注了怎么办？（1）"))
            #expect(queue.body.contains(#"data-api="/api/v1/questions/Q000001/claim""#))
            #expect(queue.body.contains(#"name="conflict_declared" data-type="bool""#))
            #expect(queue.body.contains("您目前没有认领的问题"))
            Self.expectNothingPersonal(queue)

            // The filters are the API's: a type, urgent first; an empty choice ("全部") is no filter.
            let patents = try await Self.page(
                client, "/console/questions?ip_type=patent&urgent_first=", session: volunteer)
            #expect(patents.status == .ok && patents.body.contains("Q000002") && !patents.body.contains("Q000001"))
            #expect(patents.body.contains(#"<option value="patent" selected>"#))
            let urgent = try await Self.page(
                client, "/console/questions?ip_type=&urgent_first=true", session: volunteer)
            let first = try #require(urgent.body.range(of: "/console/questions/Q000002"))
            let second = try #require(urgent.body.range(of: "/console/questions/Q000001"))
            #expect(first.lowerBound < second.lowerBound)
            let bad = try await Self.page(client, "/console/questions?urgent_first=perhaps", session: volunteer)
            #expect(bad.status == .badRequest)

            // A volunteer of patents sees only the patent question, as the API shows them.
            let specialist = try await Self.signIn(client, as: "vol-patent")
            let theirs = try await Self.page(client, "/console/questions", session: specialist)
            #expect(theirs.body.contains("Q000002") && !theirs.body.contains("Q000001"))
        }
    }

    @Test func thePagesFollowAQuestionFromTheClaimToTheAnswer() async throws {
        let store = try await Self.seeded()
        let app = try await Self.application(store: store)
        try await app.test(.router) { client in
            let volunteer = try await Self.signIn(client, as: "vol-1")
            let claimed = try await Self.api(
                client, .post, "/Q000001/claim", as: "vol-1", body: #"{"conflict_declared":true}"#)
            #expect(claimed.status == .ok)

            // The queue: held above with its lease and renew form, no longer offered to claim.
            let queue = try await Self.page(client, "/console/questions", session: volunteer)
            let held = Self.part(queue.body, from: "mine-title", to: "</section>")
            #expect(held.contains("Q000001") && held.contains("剩 30 分钟"))
            #expect(held.contains(#"data-api="/api/v1/questions/Q000001/renew""#))
            #expect(!queue.body.contains(#"data-api="/api/v1/questions/Q000001/claim""#))

            // The question: the editor, the follow-up, renew and put back; another volunteer gets a 404.
            let page = try await Self.page(client, "/console/questions/Q000001", session: volunteer)
            #expect(page.status == .ok)
            for form in ["answer", "follow-up", "renew", "put-back"] {
                #expect(page.body.contains(#"data-api="/api/v1/questions/Q000001/\#(form)""#), "no \(form) form")
            }
            #expect(!page.body.contains("/review\""))
            Self.expectNothingPersonal(page)
            let other = try await Self.signIn(client, as: "vol-2")
            let refused = try await Self.page(client, "/console/questions/Q000001", session: other)
            #expect(refused.status == .notFound && !refused.body.contains("商标被抢注"))

            // A follow-up waits for the applicant: no editor; their reply shows redacted.
            _ = try await Self.api(
                client, .post, "/Q000001/follow-up", as: "vol-1", body: #"{"text":"对方的商标是哪一年申请的？"}"#)
            let waiting = try await Self.page(client, "/console/questions/Q000001", session: volunteer)
            #expect(waiting.body.contains("等待申请人回复") && waiting.body.contains("对方的商标是哪一年申请的？"))
            #expect(!waiting.body.contains(#"/Q000001/answer""#))
            var question = try #require(try await store.get(QuestionRecord.self, id: "Q000001"))
            try question.recordReply(text: "2019年，电话\(QuestionHarness.phone)", at: DeskHarness.mondayMorning)
            try await store.put(question)
            let replied = try await Self.page(client, "/console/questions/Q000001", session: volunteer)
            #expect(replied.body.contains("2019年，电话【电话】") && replied.body.contains(#"/Q000001/answer""#))
            Self.expectNothingPersonal(replied)

            // Answered: it waits for review, and the history lists it with the volunteer's figures.
            _ = try await Self.api(
                client, .post, "/Q000001/answer", as: "vol-1", body: #"{"text":"自初审公告之日起三个月内可以提出异议。"}"#)
            let answered = try await Self.page(client, "/console/questions/Q000001", session: volunteer)
            #expect(answered.body.contains("待审核") && answered.body.contains("自初审公告之日起三个月内可以提出异议。"))
            #expect(!answered.body.contains(#"/Q000001/answer""#) && !answered.body.contains(#"/Q000001/put-back""#))
            let history = try await Self.page(client, "/console/questions/history", session: volunteer)
            #expect(history.status == .ok && history.body.contains("/console/questions/Q000001"))
            #expect(history.body.contains("<dt>已解答</dt><dd>1</dd>") && history.body.contains("尚未评价"))
            Self.expectNothingPersonal(history)
            let theirs = try await Self.page(client, "/console/questions/history", session: other)
            #expect(theirs.body.contains("您还没有解答过问题") && !theirs.body.contains("Q000001"))
        }
    }

    @Test func staffReviewTheAnswersOfTheirUnitsAndSeeTheTimeline() async throws {
        let store = try await Self.seeded()
        let app = try await Self.application(store: store)
        try await app.test(.router) { client in
            _ = try await Self.api(client, .post, "/Q000001/claim", as: "vol-1", body: #"{"conflict_declared":true}"#)
            _ = try await Self.api(client, .post, "/Q000001/answer", as: "vol-1", body: #"{"text":"可以提出异议。"}"#)

            let staff = try await Self.signIn(client, as: "desk-1")
            let review = try await Self.page(client, "/console/review", session: staff)
            #expect(review.status == .ok && review.body.contains("共 1 条"))
            let item = Self.part(
                review.body, from: #"<article class="card" aria-labelledby="review-Q000001""#, to: "</article>")
            #expect(item.contains("可以提出异议。") && item.contains("vol-1 的解答"))
            #expect(item.contains(#"<input type="hidden" name="decision" value="approve">"#))
            #expect(item.contains(#"<input type="hidden" name="decision" value="return">"#))
            // The list shows what the volunteer answered; the applicant's own words only on the question's page.
            #expect(!review.body.contains("张三") && !review.body.contains("oOpenID"))

            let question = try await Self.page(client, "/console/questions/Q000001", session: staff)
            #expect(question.body.contains("张三") && question.body.contains(QuestionsAPITests.openID))
            #expect(question.body.contains(#"data-api="/api/v1/questions/Q000001/review""#))
            #expect(question.body.contains("提交解答") && question.body.contains("认领"))
            let audited = try await store.all(AuditEvent.self).filter { $0.action == .questionViewed }
            #expect(audited.map(\.actor) == ["desk-1"])

            // Staff of Liuzhou do not see a Nanning question, on the review page or its own.
            let liuzhou = try await Self.signIn(client, as: "liuzhou-1")
            let theirs = try await Self.page(client, "/console/review", session: liuzhou)
            #expect(theirs.body.contains("没有待审核的解答") && !theirs.body.contains("Q000001"))
            #expect(try await Self.page(client, "/console/questions/Q000001", session: liuzhou).status == .notFound)

            let approved = try await Self.api(
                client, .post, "/Q000001/review", as: "desk-1", body: #"{"decision":"approve"}"#)
            #expect(approved.json["status"] as? String == "delivered")
            let emptied = try await Self.page(client, "/console/review", session: staff)
            #expect(emptied.body.contains("没有待审核的解答"))
            let done = try await Self.page(client, "/console/questions/Q000001", session: staff)
            #expect(done.body.contains("审核通过") && done.body.contains("已发送"))
            #expect(!done.body.contains(#"/Q000001/review""#))
            let figures = try await Self.page(client, "/console/questions/history", session: staff)
            #expect(figures.body.contains(#"<td data-label="志愿者"><div>vol-1</div></td>"#))
        }
    }

    @Test func markupAnApplicantOrAVolunteerWroteIsShownAsText() async throws {
        let store = MemoryDocumentStore()
        let asked = DeskHarness.mondayMorning.addingTimeInterval(-3_600)
        var hostile = QuestionHarness.question(7, askedAt: asked)
        hostile.redacted = "商标问题 \(Self.script) \(Self.image)"
        hostile.text = "原文 \(Self.script) \(Self.image)"
        try await store.put(hostile)
        try await store.put(Conversation(applicant: hostile.applicant, updatedAt: asked))
        let app = try await Self.application(store: store)
        try await app.test(.router) { client in
            let volunteer = try await Self.signIn(client, as: "vol-1")
            let staff = try await Self.signIn(client, as: "desk-1")
            let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
            let queue = try await Self.page(client, "/console/questions", session: volunteer)
            Self.expectEscaped(queue, escaped)

            _ = try await Self.api(client, .post, "/Q000007/claim", as: "vol-1", body: #"{"conflict_declared":true}"#)
            let text = "答复 \(Self.script) \(Self.image)".replacingOccurrences(of: "\"", with: "\\\"")
            _ = try await Self.api(client, .post, "/Q000007/answer", as: "vol-1", body: #"{"text":"\#(text)"}"#)
            for (path, session) in [
                ("/console/questions/Q000007", volunteer), ("/console/questions/Q000007", staff),
                ("/console/review", staff), ("/console/questions?status=answered", staff),
                ("/console/questions/history", volunteer),
            ] {
                let page = try await Self.page(client, path, session: session)
                #expect(page.status == .ok, "\(path)")
                Self.expectEscaped(page, escaped)
            }
        }
    }

    static func expectEscaped(_ page: Page, _ escaped: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(page.body.contains(escaped), sourceLocation: sourceLocation)
        #expect(!page.body.contains(ConsoleQuestionPagesTests.script), sourceLocation: sourceLocation)
        #expect(!page.body.contains("<img src=x"), sourceLocation: sourceLocation)
        #expect(page.body.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), sourceLocation: sourceLocation)
    }

    @Test func thePagesRefuseWhatTheAPIRefuses() async throws {
        let app = try await Self.application(store: try await Self.seeded())
        try await app.test(.router) { client in
            let anonymous = try await Self.page(client, "/console/questions", session: nil)
            #expect(anonymous.status == .seeOther || anonymous.status == .found)
            #expect(anonymous.headers[.location]?.hasPrefix("/console/sign-in?next=") == true)

            let volunteer = try await Self.signIn(client, as: "vol-1")
            let review = try await Self.page(client, "/console/review", session: volunteer)
            #expect(review.status == .forbidden && !review.body.contains("Q000001"))
            let unknown = try await Self.page(client, "/console/questions/Q999999", session: volunteer)
            #expect(unknown.status == .notFound)
            let page = try await Self.page(client, "/console/questions/history?page=-1", session: volunteer)
            #expect(page.status == .badRequest)

            // Staff get the list of every question, no claim form; a volunteer's history page is their figures.
            let staff = try await Self.signIn(client, as: "admin")
            let all = try await Self.page(client, "/console/questions?status=queued", session: staff)
            #expect(all.status == .ok && all.body.contains("Q000001") && all.body.contains("Q000002"))
            #expect(!all.body.contains("/claim\""))
            #expect(all.body.contains(#"<option value="queued" selected>"#))
        }
    }
}
