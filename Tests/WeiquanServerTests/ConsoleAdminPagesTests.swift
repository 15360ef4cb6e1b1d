import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanStore

@testable import WeiquanServer

/// The managers' and admins' console pages on the whole application: who may open them, what they show, and that
/// what people wrote is shown as text.
@Suite struct ConsoleAdminPagesTests {
    static let markup = #"<script>alert(1)</script> "><img src=x onerror=alert(2)>"#

    /// A page as the browser gets it.
    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
    }

    /// Signs in through the sign-in form as the holder of `token`; returns the session cookie's value.
    static func signIn(_ client: some TestClientProtocol, token: String) async throws -> String {
        let (nonce, form) = try await client.execute(uri: "/console/sign-in", method: .get) { response in
            let cookie = response.headers[values: .setCookie].first { $0.hasPrefix("wq_attempt=") } ?? ""
            let value = cookie.dropFirst("wq_attempt=".count).prefix { $0 != ";" }
            return (String(value), String(buffer: response.body))
        }
        #expect(form.contains(#"name="attempt" value="\#(nonce)""#))
        let body = "attempt=\(nonce)&next=%2Fconsole&token=\(token)"
        return try await client.execute(
            uri: "/console/sign-in", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "wq_attempt=\(nonce)"],
            body: ByteBuffer(string: body)
        ) { response in
            #expect(response.status == .seeOther || response.status == .found)
            let cookie = response.headers[values: .setCookie].first { $0.hasPrefix("wq_session=") } ?? ""
            return String(cookie.dropFirst("wq_session=".count).prefix { $0 != ";" })
        }
    }

    static func get(_ client: some TestClientProtocol, _ path: String, session: String) async throws -> Page {
        try await client.execute(uri: path, method: .get, headers: [.cookie: "wq_session=\(session)"]) { response in
            Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    @Test func reportsDrawTheirChartsOnTheServer() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            for (index, text) in ConversationClusterTests.aidRequest.enumerated() {
                _ = try await client.say(text, from: "user-report", id: 700 + index)
            }
            let admin = try await Self.signIn(client, token: "token-admin")
            let page = try await Self.get(client, "/console/reports?period=year&start=2026-03", session: admin)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.body.contains("2026 年"))
            #expect(page.body.components(separatedBy: "<svg xmlns=").count - 1 == 3, "three charts")
            #expect(page.body.contains(#"role="img" aria-labelledby="chart-cases-title chart-cases-desc""#))
            #expect(page.body.contains(#"<title id="chart-satisfaction-title">"#))
            #expect(page.body.contains("<rect "), "the filed case is a bar")
            #expect(page.body.contains("/api/v1/reports?from=2026-01-01&amp;to=2027-01-01&amp;format=csv"))
            #expect(page.body.contains(#"<th scope="row">2026-11</th>"#))
            #expect(!page.body.contains("style="), "no inline style: the policy forbids it")
            #expect(page.body.contains("/console/reports?period=year&amp;start=2025-01"), "the previous year")
            #expect(page.body.utf8.count < 100 * 1024)

            let quarter = try await Self.get(client, "/console/reports?period=quarter&start=2026-11", session: admin)
            #expect(quarter.status == .ok && quarter.body.contains("2026 年第 4 季度"))

            let liuzhou = try await Self.signIn(client, token: "token-liuzhou-1")
            let own = try await Self.get(client, "/console/reports?period=month&start=2026-11", session: liuzhou)
            #expect(own.status == .ok && own.body.contains("format=csv&amp;unit=liuzhou"))
            #expect(!own.body.contains(#"<option value="">全部单位</option>"#), "a unit's staff see their unit")
            let other = try await Self.get(client, "/console/reports?unit=nanning", session: liuzhou)
            #expect(other.status == .forbidden)
        }
    }

    @Test func rolesAreRefusedAsTheAPIRefusesThem() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            let volunteer = try await Self.signIn(client, token: "token-vol-1")
            for path in ["/console/reports", "/console/people", "/console/knowledge", "/console/try"] {
                let page = try await Self.get(client, path, session: volunteer)
                #expect(page.status == .forbidden, "\(path)")
                #expect(page.body.contains("无权"), "\(path)")
            }
            let staff = try await Self.signIn(client, token: "token-desk-1")
            #expect(try await Self.get(client, "/console/people", session: staff).status == .forbidden)
            for path in ["/console/reports", "/console/knowledge", "/console/try"] {
                #expect(try await Self.get(client, path, session: staff).status == .ok, "\(path)")
            }
            let anonymous = try await client.execute(uri: "/console/reports", method: .get) { $0.status }
            #expect(anonymous == .seeOther || anonymous == .found)
        }
    }

    @Test func peopleListsTokensWithoutTheirHashes() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            let admin = try await Self.signIn(client, token: "token-admin")
            let page = try await Self.get(client, "/console/people", session: admin)
            #expect(page.status == .ok)
            for name in ["desk-1", "liuzhou-1", "vol-2"] { #expect(page.body.contains("<strong>\(name)</strong>")) }
            #expect(!page.body.contains(TokenRegistry.hash("token-desk-1")))
            #expect(page.body.contains(#"data-api="/api/v1/tokens/desk-1/revoke""#))
            #expect(page.body.contains(#"data-api="/api/v1/tokens/desk-1/sign-in-link""#))
            #expect(!page.body.contains(#"data-api="/api/v1/tokens/admin/revoke""#), "no revoking oneself here")
            #expect(page.body.contains(#"<script src="/console/assets/people.js"#))
        }
    }

    @Test func knowledgeEntriesShowMarkupAsText() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            let body = try JSONSerialization.data(withJSONObject: [
                "title": Self.markup, "question": "问题 " + Self.markup, "answer": "答案\n" + Self.markup,
                "tags": ["标记"],
            ])
            let created = try await DeskAPITests.call(
                client, .post, "/api/v1/kb", body: String(decoding: body, as: UTF8.self))
            let id = try #require(created.json["id"] as? String, "\(created.body)")
            let staff = try await Self.signIn(client, token: "token-desk-1")
            let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(2)&gt;"
            let list = try await Self.get(client, "/console/knowledge", session: staff)
            #expect(list.status == .ok && list.body.contains(escaped), "\(list.body)")
            #expect(!list.body.contains("<script>alert") && !list.body.contains("<img src=x"))
            let entry = try await Self.get(client, "/console/knowledge/\(id)", session: staff)
            #expect(entry.status == .ok && entry.body.contains(escaped))
            #expect(!entry.body.contains("<script>alert") && !entry.body.contains("<img src=x"))
            #expect(entry.body.contains(#"data-api="/api/v1/kb/\#(id)" data-method="PUT""#))
            // The entry's own title, not the page's: the form would otherwise save the wrong one.
            #expect(entry.body.contains(#"name="title" type="text" value="\#(escaped)""#))
            #expect(entry.body.contains("<h1>\(escaped)</h1>") && entry.body.contains("<title>\(escaped) – "))
            #expect(entry.body.contains(#"data-api="/api/v1/kb/\#(id)/retire""#))
            let missing = try await Self.get(client, "/console/knowledge/kb-000000000000", session: staff)
            #expect(missing.status == .notFound)
            let searched = try await Self.get(client, "/console/knowledge?status=retired", session: staff)
            #expect(searched.body.contains("没有符合条件的条目"))
            let query = try #require(Self.markup.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let reflected = try await Self.get(client, "/console/knowledge?q=\(query)", session: staff)
            #expect(reflected.status == .ok && reflected.body.contains(#"value="\#(escaped)""#))
            #expect(!reflected.body.contains("<script>alert") && !reflected.body.contains("<img src=x"))
        }
    }

    @Test func tryThePageAndItsScript() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            let staff = try await Self.signIn(client, token: "token-desk-1")
            let page = try await Self.get(client, "/console/try", session: staff)
            #expect(page.status == .ok && page.body.contains(#"id="try-form""#))
            let script = try await Self.get(client, "/console/assets/try.js", session: staff)
            #expect(script.status == .ok && script.body.contains("/api/v1/try"))
            #expect(!script.body.contains("innerHTML"), "messages are text")
        }
    }

    @Test func chartsEscapeTheirTexts() throws {
        let period = try ReportPeriod(from: "2026-01-01", to: "2026-04-01")
        let record = CaseRecord(
            id: "WQ202602010001", kind: .aidRequest, applicant: "a",
            createdAt: Date(timeIntervalSince1970: 1_769_990_400),
            unit: "x<y", fields: [:], consent: nil)
        let report = try CaseReport(
            cases: [record], handoffs: [], period: period, unit: nil,
            directory: OrgDirectory(regions: [], units: []))
        let charts = ReportCharts(report: report, unitName: { $0.map { "单位<\($0.rawValue)>" } ?? "无" })
        let svg = charts.casesByMonth + charts.deadlinesMet + charts.satisfaction
        #expect(svg.contains("单位&lt;x&lt;y&gt;"))
        #expect(!svg.contains("单位<x"))
        #expect(svg.contains("0%（0/1）"), "a case never accepted went past its deadline")
        #expect(ReportCharts.months(of: report) == ["2026-01", "2026-02", "2026-03"])
    }

    @Test func spansMoveByTheirKind() {
        let now = Date(timeIntervalSince1970: 1_795_399_200)  // 2026-11-23
        let year = ReportSpan(kind: nil, start: nil, now: now)
        #expect(year.from == "2026-01-01" && year.to == "2027-01-01" && year.previous.from == "2025-01-01")
        let quarter = ReportSpan(kind: "quarter", start: "2026-11", now: now)
        #expect(quarter.from == "2026-10-01" && quarter.to == "2027-01-01" && quarter.label == "2026 年第 4 季度")
        let month = ReportSpan(kind: "month", start: "2026-12", now: now)
        #expect(month.to == "2027-01-01" && month.previous.startMonth == "2026-11")
        #expect(ReportSpan(kind: "month", start: "junk", now: now).startMonth == "2026-11")
    }
}
