import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// A case from WeChat to the rating, over real sockets: an aid request with a picture, staff accepting and
/// concluding it through the desk API, the applicant told of each through the customer-service API (a fake
/// WeChat), and their rating recorded on the case. Staff then read it all back through the desk API on the same
/// socket: the picture as the media API served it, and the month's report (JSON and CSV) counting the case.
///
/// The time comes from the injected clock, moved on between the steps, so the report's durations are exact; the
/// test waits for events (the fake WeChat's sends, the store's writes), never for time.
@Suite struct CaseEndToEndTests {
    /// Filed at the clock's start; accepted 2 hours and concluded 5 hours later; rated after 6 hours.
    static let accepting: TimeInterval = 2 * 3600
    static let concluding: TimeInterval = 5 * 3600
    static let rating: TimeInterval = 6 * 3600

    @Test func anAidRequestFromWeChatToTheApplicantsRating() async throws {
        let api = try await FakeWeChatAPIServer.start(appID: "wx-e2e", secret: "e2e-secret")
        api.addMedia("media-evidence-1", contentType: "image/jpeg", bytes: EvidenceSamples.jpeg)
        let store = ObservedStore()
        let clock = TestClock(DeskHarness.mondayMorning)
        let app = try await WeiquanApplication.build(
            settings: try TestServer.settings(apiBase: api.baseURL), data: TestServer.data, store: store,
            tokens: DeskHarness.tokens, clock: clock.function
        )
        try await app.test(.live) { client in
            let answers = ConversationClusterTests.aidRequest
            var reply = ""
            for (index, text) in answers.enumerated() {
                if index == answers.count - 2 {
                    // A picture of the infringing product, sent while the form is open.
                    _ = try await client.post(Inbound.image(from: "user-e2e", media: "media-evidence-1", id: 990))
                }
                reply = try await client.say(text, from: "user-e2e", id: 900 + index)
            }
            let id = String(try #require(reply.firstMatch(of: /WQ\d{12}/)).output)
            let filed = try #require(try await store.get(CaseRecord.self, id: id))
            #expect(filed.attachments == ["media-evidence-1"])
            try await Self.expectEvidence(client, id, store: store)

            clock.advance(Self.accepting)
            #expect(try await CasesAPITests.transition(client, id, #"{"action":"accept"}"#).status == .ok)
            clock.advance(Self.concluding - Self.accepting)
            let concluded = try await CasesAPITests.transition(
                client, id,
                #"{"action":"conclude","outcome":{"kind":"opinion_issued","number":"桂知援意〔2026〕7号"}}"#)
            #expect(concluded.status == .ok)
            // Both notices reach the applicant through the customer-service API, in order.
            try await api.waitUntil("both notices are delivered") { $0.accepted.count >= 2 }
            let pushed = api.accepted(for: "user-e2e")
            #expect(pushed.count == 2)
            #expect(pushed.first?.contains("已受理") == true && pushed.last?.contains("请为本次服务打分") == true)

            clock.advance(Self.rating - Self.concluding)
            let thanks = try await client.say("4 工作人员很耐心", from: "user-e2e", id: 999)
            #expect(thanks.contains("感谢您的评价"))

            let record = try #require(try await store.get(CaseRecord.self, id: id))
            try await Self.expectReport(client, counting: record)
            try await Self.expectReportCSV(client, counting: record)
        }
        await api.stop()
        let record = try #require(try await store.all(CaseRecord.self).first)
        #expect(record.status == .concluded && record.rating?.score == 4 && record.rating?.comment == "工作人员很耐心")
        #expect(record.outcome == CaseOutcome(.opinionIssued, number: "桂知援意〔2026〕7号"))
        #expect(record.evidence.map(\.status) == [.fetched])
    }

    /// The picture, once fetched, is listed with its SHA-256 and content type, and downloads as exactly the bytes
    /// the fake WeChat served.
    static func expectEvidence(_ client: some TestClientProtocol, _ id: String, store: ObservedStore) async throws {
        try await store.waitUntil("the picture is fetched") {
            let jobs = try await store.all(EvidenceJob.self)
            return !jobs.isEmpty && jobs.allSatisfy(\.isFinished)
        }
        let listing = try await DeskAPITests.call(client, .get, "/api/v1/cases/\(id)/evidence")
        #expect(listing.status == .ok)
        let items = try #require(listing.json["evidence"] as? [[String: Any]])
        #expect(items.count == 1)
        let item = try #require(items.first)
        #expect(item["number"] as? Int == 1 && item["status"] as? String == "fetched")
        #expect(item["content_type"] as? String == "image/jpeg")
        #expect(item["sha256"] as? String == EvidenceSamples.jpegSHA256)
        #expect(item["size"] as? Int == EvidenceSamples.jpeg.count)

        let download = try await client.execute(
            uri: "/api/v1/cases/\(id)/evidence/1", method: .get, headers: [.authorization: "Bearer token-desk-1"]
        ) { response in
            (response.status, response.headers, Array(response.body.readableBytesView))
        }
        #expect(download.0 == .ok)
        #expect(download.1[.contentType] == "image/jpeg")
        #expect(download.1[.eTag] == "\"\(EvidenceSamples.jpegSHA256)\"")
        #expect(download.1[.contentDisposition] == "attachment; filename=\"\(id)-1\"")
        #expect(download.1[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
        #expect(download.2 == EvidenceSamples.jpeg)
    }

    /// The month's report counts the case once in its group and in the totals: received, accepted, concluded by its
    /// outcome, rated with its score, and the times from filing measured on the injected clock.
    static func expectReport(_ client: some TestClientProtocol, counting record: CaseRecord) async throws {
        let report = try await DeskAPITests.call(client, .get, "/api/v1/reports?from=2026-11-01&to=2026-12-01")
        #expect(report.status == .ok)
        #expect(report.json["from"] as? String == "2026-11-01" && report.json["to"] as? String == "2026-12-01")
        let rows = try #require(report.json["rows"] as? [[String: Any]])
        let row = try #require(rows.first { $0["kind"] as? String == "aid_request" })
        #expect(rows.count == 1)
        #expect(row["unit"] as? String == record.unit?.rawValue && row["month"] as? String == "2026-11")
        #expect(row["ip_type"] as? String == record.fields["ip_type"])
        for figures in [row, try #require(report.json["totals"] as? [String: Any])] {
            #expect(figures["received"] as? Int == 1 && figures["accepted"] as? Int == 1)
            #expect(figures["concluded"] as? Int == 1)
            #expect(figures["concluded_by_outcome"] as? [String: Int] == ["opinion_issued": 1])
            #expect(figures["ended"] as? Int == 1 && figures["rated"] as? Int == 1)
            #expect(figures["rating_mean"] as? Double == 4)
            #expect(figures["rating_response_rate_percent"] as? Double == 100)
            let toAccept = figures["time_to_accept"] as? [String: Any]
            #expect(toAccept?["count"] as? Int == 1 && toAccept?["median_seconds"] as? Int == Int(Self.accepting))
            let toConclude = figures["time_to_conclude"] as? [String: Any]
            #expect(toConclude?["median_seconds"] as? Int == Int(Self.concluding))
        }
    }

    /// The CSV form has the case's row with the same figures (columns found by their header, so that new figures
    /// can be added between them).
    static func expectReportCSV(_ client: some TestClientProtocol, counting record: CaseRecord) async throws {
        let csv = try await DeskAPITests.call(
            client, .get, "/api/v1/reports?from=2026-11-01&to=2026-12-01&format=csv")
        #expect(csv.status == .ok)
        #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
        #expect(csv.body.hasPrefix(CaseReport.byteOrderMark))
        let lines = csv.body.dropFirst().split(separator: "\r\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        #expect(lines.count == 3, "a header, the case's row and the totals")
        let header = try #require(lines.first).map(String.init)
        let group = [record.unit?.rawValue ?? "", "2026-11", "aid_request", record.fields["ip_type"] ?? ""]
        let row = try #require(lines.first { $0.prefix(4).map(String.init) == group }, "\(csv.body)")
        let total = try #require(lines.last)
        #expect(total.first == "total")
        for line in [row, total] {
            func cell(_ column: String) -> String? {
                header.firstIndex(of: column).flatMap { $0 < line.count ? String(line[$0]) : nil }
            }
            #expect(cell("received") == "1" && cell("accepted") == "1" && cell("concluded") == "1")
            #expect(cell("concluded:opinion_issued") == "1" && cell("concluded:mediated") == "0")
            #expect(cell("rated") == "1" && cell("rating_mean") == "4")
            #expect(cell("time_to_accept_median_seconds") == String(Int(Self.accepting)))
        }
    }
}
