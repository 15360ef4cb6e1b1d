import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// `/api/v1/kb` and the public page `/kb` over HTTP, on the whole application.
@Suite struct KnowledgeAPITests {
    typealias Reply = DeskAPITests.Reply

    static let renewal = #"""
        {"title": "商标到期如何续展", "question": "注册商标快到期了怎么办？", "answer": "期满前十二个月内办理续展。\n宽展期六个月。",
         "ip_type": "trademark", "tags": ["续展"], "source_question_id": "Q000003"}
        """#

    static func create(_ client: some TestClientProtocol, _ body: String = Self.renewal) async throws -> String {
        let reply = try await DeskAPITests.call(client, .post, "/api/v1/kb", body: body)
        #expect(reply.status == .created)
        return try #require(reply.json["id"] as? String)
    }

    @Test func staffCreateReadChangeRetireAndPublish() async throws {
        let store = MemoryDocumentStore()
        let app = try await DeskAPITests.application(store: store)
        try await app.test(.router) { client in
            let created = try await DeskAPITests.call(client, .post, "/api/v1/kb", body: Self.renewal)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.headers[.location] == "/api/v1/kb/\(id)")
            #expect(
                Set(created.json.keys) == [
                    "id", "title", "question", "answer", "ip_type", "tags", "status", "created_at", "updated_at",
                    "created_by", "updated_by", "source_question_id",
                ])
            #expect(
                created.json["status"] as? String == "published" && created.json["created_by"] as? String == "desk-1")
            #expect(created.json["created_at"] as? String == "2026-11-23T02:00:00Z")

            let detail = try await DeskAPITests.call(client, .get, "/api/v1/kb/\(id)", token: "token-vol-1")
            #expect(detail.status == .ok && detail.json["answer"] as? String == "期满前十二个月内办理续展。\n宽展期六个月。")

            let put = try await DeskAPITests.call(
                client, .put, "/api/v1/kb/\(id)", token: "token-admin",
                body: #"{"title": "商标到期如何续展", "question": "注册商标快到期了怎么办？", "answer": "期满前十二个月内办理。"}"#)
            #expect(put.status == .ok && put.json["updated_by"] as? String == "admin")
            #expect(put.json["ip_type"] == nil && put.json["tags"] as? [String] == [])
            #expect(put.json["source_question_id"] as? String == "Q000003")

            let query = try #require("商標續展".addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let searched = try await DeskAPITests.call(client, .get, "/api/v1/kb?q=\(query)&status=published")
            let hits = try #require(searched.json["entries"] as? [[String: Any]])
            #expect(hits.map { $0["id"] as? String } == [id] && searched.json["total"] as? Int == 1)
            #expect(hits.first?["score"] is Double && hits.first?["confidence"] is Double)

            let retired = try await DeskAPITests.call(client, .post, "/api/v1/kb/\(id)/retire")
            #expect(retired.status == .ok && retired.json["status"] as? String == "retired")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .post, "/api/v1/kb/\(id)/retire"), .conflict, "already_retired")
            let listed = try await DeskAPITests.call(client, .get, "/api/v1/kb?status=retired")
            #expect((listed.json["entries"] as? [[String: Any]])?.count == 1)
            #expect((listed.json["entries"] as? [[String: Any]])?.first?["score"] == nil)
            let published = try await DeskAPITests.call(client, .post, "/api/v1/kb/\(id)/publish")
            #expect(published.status == .ok && published.json["status"] as? String == "published")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .post, "/api/v1/kb/\(id)/publish"), .conflict, "already_published")
        }
        let actions = try await store.all(AuditEvent.self).map(\.action).filter { $0.rawValue.hasPrefix("kb_") }
        #expect(actions.sorted { $0.rawValue < $1.rawValue } == [.kbCreated, .kbPublished, .kbRetired, .kbUpdated])
    }

    @Test func volunteersReadPublishedEntriesAndNothingElse() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            let id = try await Self.create(client)
            let volunteer = "token-vol-1"
            let list = try await DeskAPITests.call(client, .get, "/api/v1/kb", token: volunteer)
            #expect(list.status == .ok && list.json["total"] as? Int == 1)
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .get, "/api/v1/kb?status=retired", token: volunteer), .forbidden,
                "forbidden_role")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .post, "/api/v1/kb", token: volunteer, body: Self.renewal),
                .forbidden, "forbidden_role")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .put, "/api/v1/kb/\(id)", token: volunteer, body: Self.renewal),
                .forbidden, "forbidden_role")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .post, "/api/v1/kb/\(id)/retire", token: volunteer), .forbidden,
                "forbidden_role")
            _ = try await DeskAPITests.call(client, .post, "/api/v1/kb/\(id)/retire")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .get, "/api/v1/kb/\(id)", token: volunteer), .notFound, "not_found")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .get, "/api/v1/kb", token: nil), .unauthorized, "unauthorized")
        }
    }

    @Test func badRequestsAreRefusedTheDesksWay() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            let long = String(repeating: "答", count: 601)
            DeskAPITests.expectError(
                try await DeskAPITests.call(
                    client, .post, "/api/v1/kb", body: #"{"title": "标题", "question": "问", "answer": "\#(long)"}"#),
                .badRequest, "text_too_long")
            DeskAPITests.expectError(
                try await DeskAPITests.call(
                    client, .post, "/api/v1/kb", body: #"{"title": " ", "question": "问", "answer": "答"}"#),
                .badRequest, "bad_request")
            DeskAPITests.expectError(
                try await DeskAPITests.call(
                    client, .post, "/api/v1/kb",
                    body: #"{"title": "标题", "question": "问", "answer": "答", "ip_type": "x"}"#),
                .badRequest, "bad_request")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .post, "/api/v1/kb", body: #"{"title": "标题"}"#), .badRequest,
                "bad_request")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .get, "/api/v1/kb?status=draft"), .badRequest, "bad_request")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .get, "/api/v1/kb?limit=-1"), .badRequest, "bad_request")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .get, "/api/v1/kb/kb-none"), .notFound, "not_found")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .get, "/api/v1/kb/%E4%B8%8D"), .notFound, "not_found")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .put, "/api/v1/kb/kb-none", body: Self.renewal), .notFound,
                "not_found")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .post, "/api/v1/kb/kb-none/retire"), .notFound, "not_found")
            let list = try await DeskAPITests.call(client, .get, "/api/v1/kb")
            #expect(list.json["total"] as? Int == 0 && (list.json["entries"] as? [Any])?.isEmpty == true)
        }
    }

    // MARK: - The public page

    static func page(
        _ client: some TestClientProtocol, ifNoneMatch: String? = nil
    ) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        var headers: HTTPFields = [:]
        if let ifNoneMatch { headers[.ifNoneMatch] = ifNoneMatch }
        return try await client.execute(uri: "/kb", method: .get, headers: headers) { response in
            (response.status, response.headers, String(buffer: response.body))
        }
    }

    @Test func thePublicPageListsPublishedEntriesEscaped() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            let empty = try await Self.page(client)
            #expect(empty.status == .ok && empty.body.contains("暂无内容"))

            let hostile = #"""
                {"title": "<script>alert(1)</script>标题", "question": "\"><img src=x onerror=alert(1)>",
                 "answer": "第一行 & 'quoted'\n<b>第二行</b>"}
                """#
            _ = try await Self.create(client, hostile)
            let retired = try await Self.create(
                client, #"{"title": "已经退役的条目", "question": "问", "answer": "答"}"#)
            _ = try await DeskAPITests.call(client, .post, "/api/v1/kb/\(retired)/retire")
            _ = try await Self.create(client)

            let page = try await Self.page(client)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.cacheControl] == "public, max-age=300")
            let csp = try #require(page.headers[.contentSecurityPolicy])
            #expect(csp.contains("default-src 'none'") && csp.contains("style-src 'sha256-"))
            #expect(!csp.contains("script-src") && !csp.contains("unsafe-inline"))
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            // Everything the entries say is text: no tag, no attribute of theirs.
            #expect(!page.body.contains("<script") && !page.body.contains("<img") && !page.body.contains("<b>第二行"))
            #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;标题"))
            #expect(page.body.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
            #expect(page.body.contains("第一行 &amp; &#39;quoted&#39;\n&lt;b&gt;第二行&lt;/b&gt;"))
            #expect(page.body.contains("商标到期如何续展") && !page.body.contains("已经退役的条目"))
            #expect(page.body.contains("更新于 2026-11-23"))
            // A section per kind of right, in the wording of the replies; the entries about none last.
            let trademarks = try #require(page.body.range(of: "<h2>商标</h2>"))
            let general = try #require(page.body.range(of: "<h2>综合</h2>"))
            #expect(trademarks.lowerBound < general.lowerBound)
            let head = try await client.execute(uri: "/kb", method: .head) { ($0.status, $0.headers, $0.body) }
            #expect(head.0 == .ok && head.1[.eTag] == page.headers[.eTag] && head.2.readableBytes == 0)

            // The tag: the same page is a 304; a change makes another tag.
            let etag = try #require(page.headers[.eTag])
            let again = try await Self.page(client, ifNoneMatch: etag)
            #expect(again.status == .notModified && again.body.isEmpty && again.headers[.eTag] == etag)
            #expect(try await Self.page(client, ifNoneMatch: #""other", \#(etag)"#).status == .notModified)
            _ = try await DeskAPITests.call(client, .post, "/api/v1/kb/\(retired)/publish")
            let changed = try await Self.page(client, ifNoneMatch: etag)
            #expect(changed.status == .ok && changed.headers[.eTag] != etag)
            #expect(changed.body.contains("已经退役的条目"))
        }
    }
}
