import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// `/console/cases`, `/console/cases/{id}` and `/console/erasures`: the pages read what the API reads, with its
/// filters and its role and unit rules; everything an applicant wrote is escaped; the transitions a case's status
/// allows are forms posting to `/api/v1`.
@Suite struct ConsoleCasePagesTests {
    static let script = "<script>alert(1)</script>"
    static let image = #""><img src=x onerror=alert(2)>"#

    /// The aid-request answers with markup in the other party and at the start of the facts.
    static var hostileAnswers: [String] {
        var answers = ConversationClusterTests.aidRequest
        answers[8] = "深圳某某贸易有限公司 \(Self.image)"
        answers[9] = "\(Self.script) 他们在网店上销售仿冒我们专利的产品 \(Self.image)"
        return answers
    }

    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
    }

    /// Signs in through the sign-in form as the token `token-<name>` does; returns the session cookie's header.
    static func signIn(_ client: some TestClientProtocol, as name: String) async throws -> String {
        let form = try await client.execute(uri: "/console/sign-in", method: .get) { response in
            (String(buffer: response.body), response.headers[values: .setCookie])
        }
        let attempt = try #require(form.0.firstMatch(of: /name="attempt" value="([^"]+)"/)?.output.1)
        let cookie = try #require(form.1.first { $0.hasPrefix("wq_attempt=") }?.split(separator: ";").first)
        let body = "token=token-\(name)&attempt=\(attempt)&next=%2Fconsole%2Fcases"
        return try await client.execute(
            uri: "/console/sign-in", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: String(cookie)],
            body: ByteBuffer(string: body)
        ) { response in
            #expect(response.status == .seeOther || response.status == .found, "\(String(buffer: response.body))")
            let session = try #require(
                response.headers[values: .setCookie].first { $0.hasPrefix("wq_session=") }?.split(separator: ";").first)
            return String(session)
        }
    }

    static func get(_ client: some TestClientProtocol, _ path: String, cookie: String?) async throws -> Page {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: path, method: .get, headers: headers) { response in
            Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    /// Files an aid request with `answers` from `user`; returns the case's id.
    static func file(
        _ client: some TestClientProtocol, user: String, answers: [String], first id: Int
    ) async throws -> String {
        var reply = ""
        for (index, text) in answers.enumerated() { reply = try await client.say(text, from: user, id: id + index) }
        return String(try #require(reply.firstMatch(of: /WQ\d{12}/)).output)
    }

    /// Nothing the applicant wrote reaches the page as markup: no tag or attribute of theirs, only their text escaped.
    static func expectEscaped(_ body: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!body.contains(Self.script), sourceLocation: sourceLocation)
        #expect(!body.contains("<img src=x"), sourceLocation: sourceLocation)
        #expect(!body.contains("onerror=alert(2)>"), sourceLocation: sourceLocation)
        #expect(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), sourceLocation: sourceLocation)
    }

    @Test func theListFiltersAsTheAPIDoesAndEscapesWhatApplicantsWrote() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            let hostile = try await Self.file(client, user: "user-hostile", answers: Self.hostileAnswers, first: 100)
            let plain = try await Self.file(
                client, user: "user-plain", answers: ConversationClusterTests.aidRequest, first: 200)
            #expect(try await CasesAPITests.transition(client, plain, #"{"action":"accept"}"#).status == .ok)
            let cookie = try await Self.signIn(client, as: "desk-1")

            let all = try await Self.get(client, "/console/cases", cookie: cookie)
            #expect(all.status == .ok)
            #expect(all.body.contains(hostile) && all.body.contains(plain))
            #expect(all.body.contains("共 <strong>2</strong> 件"))
            #expect(all.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            Self.expectEscaped(all.body)
            // The filter form sends its empty fields: they mean "any", not an unknown status.
            let empty = try await Self.get(client, "/console/cases?status=&kind=&unit=&overdue=&q=", cookie: cookie)
            #expect(empty.status == .ok && empty.body.contains("共 <strong>2</strong> 件"))
            let accepted = try await Self.get(client, "/console/cases?status=accepted", cookie: cookie)
            #expect(accepted.body.contains(plain) && !accepted.body.contains(hostile))
            #expect(accepted.body.contains(#"<option value="accepted" selected>"#))
            let open = try await Self.get(
                client, "/console/cases?status=submitted,accepted,in_progress,transferred,receipt_returned",
                cookie: cookie)
            #expect(open.body.contains("共 <strong>2</strong> 件"))
            let searched = try await Self.get(
                client, "/console/cases?q=%E7%BD%91%E5%BA%97&kind=aid_request", cookie: cookie)
            #expect(searched.body.contains("共 <strong>2</strong> 件"))
            let none = try await Self.get(client, "/console/cases?q=%E4%B8%8D%E5%AD%98%E5%9C%A8", cookie: cookie)
            #expect(none.body.contains("没有符合条件的案件") && none.body.contains("共 <strong>0</strong> 件"))
            // A filter the API refuses is refused on the page too, as an error page.
            let unknown = try await Self.get(client, "/console/cases?status=lost", cookie: cookie)
            #expect(unknown.status == .badRequest)
            // Paging: links carry the filters.
            let paged = try await Self.get(client, "/console/cases?offset=1&kind=aid_request", cookie: cookie)
            #expect(paged.body.contains(#"href="/console/cases?kind=aid_request""#))
            #expect(paged.body.contains("第 2–2 条"))
        }
    }

    @Test func oneCaseShowsItsFactsTimelineEvidenceAndTheTransitionsItsStatusAllows() async throws {
        let store = MemoryDocumentStore()
        let app = try await DeskAPITests.application(store: store)
        try await app.test(.router) { client in
            let id = try await Self.file(client, user: "user-hostile", answers: Self.hostileAnswers, first: 100)
            let cookie = try await Self.signIn(client, as: "desk-1")

            let submitted = try await Self.get(client, "/console/cases/\(id)", cookie: cookie)
            #expect(submitted.status == .ok)
            Self.expectEscaped(submitted.body)
            #expect(submitted.body.contains("事实经过") && submitted.body.contains("法律咨询与维权指导、电商平台维权"))
            #expect(
                submitted.body.contains(#"data-action="accept""#)
                    && submitted.body.contains(#"data-action="not_accept""#))
            #expect(!submitted.body.contains(#"data-action="conclude""#))
            #expect(submitted.body.contains(#"data-api="/api/v1/cases/\#(id)/transitions""#))
            // The page's read is audited as the API's is.
            let reads = try await store.all(AuditEvent.self).filter { $0.action == .caseViewed && $0.actor == "desk-1" }
            #expect(reads.count == 1)

            let note = #"{"action":"accept","note":"材料齐全 <b>好</b>"}"#
            #expect(try await CasesAPITests.transition(client, id, note).status == .ok)
            let accepted = try await Self.get(client, "/console/cases/\(id)", cookie: cookie)
            #expect(accepted.body.contains("已受理，待办理"))
            #expect(accepted.body.contains("材料齐全 &lt;b&gt;好&lt;/b&gt;"))
            #expect(
                accepted.body.contains(#"data-action="start""#) && accepted.body.contains(#"data-action="conclude""#))
            #expect(accepted.body.contains(#"data-case-api="/api/v1/cases/\#(id)/transitions""#))
            #expect(accepted.body.contains(#"name="outcome.kind""#))
            #expect(!accepted.body.contains(#"data-action="accept""#))
            #expect(accepted.body.contains("cases.js"))

            let missing = try await Self.get(client, "/console/cases/WQ209901010001", cookie: cookie)
            #expect(missing.status == .notFound)
            let malformed = try await Self.get(client, "/console/cases/nothing", cookie: cookie)
            #expect(malformed.status == .notFound)
        }
    }

    @Test func rolesAndUnitsAreRefusedAsTheAPIRefusesThem() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            let id = try await Self.file(
                client, user: "user-a", answers: ConversationClusterTests.aidRequest, first: 100)
            // Not signed in: the sign-in page, coming back here.
            let anonymous = try await Self.get(client, "/console/cases", cookie: nil)
            #expect(anonymous.status == .seeOther || anonymous.status == .found)
            #expect(anonymous.headers[.location]?.hasPrefix("/console/sign-in") == true)

            let volunteer = try await Self.signIn(client, as: "vol-1")
            #expect(try await Self.get(client, "/console/cases", cookie: volunteer).status == .forbidden)
            #expect(try await Self.get(client, "/console/cases/\(id)", cookie: volunteer).status == .forbidden)
            #expect(try await Self.get(client, "/console/erasures", cookie: volunteer).status == .forbidden)

            // Staff of another unit: no such case for them, an empty list, and erasures are the centre's.
            let liuzhou = try await Self.signIn(client, as: "liuzhou-1")
            #expect(try await Self.get(client, "/console/cases/\(id)", cookie: liuzhou).status == .notFound)
            let list = try await Self.get(client, "/console/cases", cookie: liuzhou)
            #expect(list.status == .ok && list.body.contains("共 <strong>0</strong> 件") && !list.body.contains(id))
            #expect(!list.body.contains(#"<option value="nanning">"#))
            #expect(try await Self.get(client, "/console/erasures", cookie: liuzhou).status == .forbidden)
        }
    }

    @Test func erasureRequestsAreListedWithTheApplicantsCasesAndTheirDecisions() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            let id = try await Self.file(client, user: "user-erase", answers: Self.hostileAnswers, first: 100)
            _ = try await client.say("删除我的信息", from: "user-erase", id: 300)
            _ = try await client.say("1", from: "user-erase", id: 301)
            let cookie = try await Self.signIn(client, as: "desk-1")

            let pending = try await Self.get(client, "/console/erasures?status=pending", cookie: cookie)
            #expect(pending.status == .ok)
            #expect(pending.body.contains("user-erase") && pending.body.contains("/console/cases/\(id)"))
            let request = try #require(pending.body.firstMatch(of: /\/api\/v1\/erasures\/([^\/"]+)\/confirm/)?.output.1)
            #expect(pending.body.contains(#"data-api="/api/v1/erasures/\#(request)/decline""#))

            let declined = try await DeskAPITests.call(
                client, .post, "/api/v1/erasures/\(request)/decline", body: #"{"reason":"诉讼中 <i>保留</i>"}"#)
            #expect(declined.status == .ok)
            let none = try await Self.get(client, "/console/erasures?status=pending", cookie: cookie)
            #expect(none.body.contains("没有待处理的申请"))
            let all = try await Self.get(client, "/console/erasures", cookie: cookie)
            #expect(all.body.contains("已拒绝") && all.body.contains("诉讼中 &lt;i&gt;保留&lt;/i&gt;"))
            #expect(try await Self.get(client, "/console/erasures?status=gone", cookie: cookie).status == .badRequest)
        }
    }

    /// The page offers exactly the changes the core accepts from each status of each kind: a button never leads to
    /// a refusal, and no allowed change lacks its form.
    @Test func theTransitionsOfferedAreExactlyThoseTheCoreAccepts() throws {
        let values = CasePageValues(machine: TestServer.data.makeMachine(), now: DeskHarness.mondayMorning)
        let changes: [CaseChange] = [
            .accept, .notAccept(reason: CasePolicy.defaultReasons[0]), .start, .conclude(CaseOutcome(.guidanceGiven)),
            .transfer(CaseTransfer(authority: "南宁市市场监督管理局", date: "2026-11-23", letterNumber: "转1")),
            .receiptReturned(date: "2026-11-24"), .close(nil), .archive, .withdraw, .refer(to: "liuzhou"),
        ]
        for kind in CaseKind.allCases {
            for status in CaseStatus.allCases {
                var record = CaseRecord(
                    id: "WQ202611230001", kind: kind, applicant: "user-a", createdAt: DeskHarness.mondayMorning,
                    unit: "nanning", fields: [:], consent: nil)
                record.status = status
                let offered = Set(values.transitions(record).compactMap { $0["action"] as? String })
                let accepted = Set(
                    changes.filter { change in
                        var copy = record
                        return (try? copy.apply(change, by: "desk-1", at: DeskHarness.mondayMorning)) != nil
                    }
                    .map(\.name))
                #expect(offered == accepted, "\(kind) \(status)")
            }
        }
    }
}
