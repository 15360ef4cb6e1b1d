import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore
import WeiquanTestSupport

/// The whole application: pictures sent through the webhook during an aid request are fetched from the (fake)
/// WeChat media API and served back to staff through `/api/v1/cases/{id}/evidence/{n}` byte for byte.
@Suite struct EvidenceAPITests {
    static func settings(apiBase: String) throws -> ServerSettings {
        try ConfigurationDocument.load(
            file: nil,
            environment: [
                "WEIQUAN_WECHAT_TOKEN": TestServer.token, "WEIQUAN_WECHAT_APPID": "wx-e2e",
                "WEIQUAN_WECHAT_APPSECRET": "e2e-secret", "WEIQUAN_WECHAT_API_BASE": apiBase,
                "WEIQUAN_SERVER_PORT": "0", "WEIQUAN_EVIDENCE_MAX_BYTES": "4000",
            ]
        ).decode(ServerSettings.self)
    }

    /// The bytes, content type and status of a GET as `token`.
    static func download(_ client: some TestClientProtocol, _ path: String, token: String = "token-desk-1")
        async throws -> (status: HTTPResponse.Status, contentType: String?, bytes: [UInt8])
    {
        try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
            (response.status, response.headers[.contentType], Array(response.body.readableBytesView))
        }
    }

    @Test func picturesSentWithAnAidRequestAreServedBackByteForByteToWhoMaySeeTheCase() async throws {
        let api = try await FakeWeChatAPIServer.start(appID: "wx-e2e", secret: "e2e-secret")
        api.addMedia("MEDIA_one", contentType: "image/jpeg", bytes: EvidenceSamples.jpeg)
        api.addMedia("MEDIA_big", contentType: "image/png", bytes: EvidenceSamples.png)
        let store = ObservedStore()
        let app = try await WeiquanApplication.build(
            settings: try Self.settings(apiBase: api.baseURL), data: TestServer.data, store: store,
            tokens: DeskHarness.tokens, clock: TestClock(DeskHarness.mondayMorning).function)
        try await app.test(.router) { client in
            var reply = ""
            let answers = ConversationClusterTests.aidRequest
            for (index, text) in answers.enumerated() {
                if index == 4 {
                    _ = try await client.post(Inbound.image(from: "user-evidence", media: "MEDIA_one", id: 90))
                    _ = try await client.post(Inbound.image(from: "user-evidence", media: "MEDIA_big", id: 91))
                }
                reply = try await client.say(text, from: "user-evidence", id: 100 + index)
            }
            let id = String(try #require(reply.firstMatch(of: /WQ\d{12}/)).output)
            try await store.waitUntil("both pictures are done") {
                try await store.all(EvidenceJob.self).allSatisfy(\.isFinished)
            }

            let first = try await Self.download(client, "/api/v1/cases/\(id)/evidence/1")
            #expect(first.status == .ok && first.contentType == "image/jpeg")
            #expect(first.bytes == EvidenceSamples.jpeg)
            // Larger than evidence.max_bytes (4000 here): the case says so, the download says why.
            let second = try await Self.download(client, "/api/v1/cases/\(id)/evidence/2")
            #expect(second.status == .gone)
            #expect(String(decoding: second.bytes, as: UTF8.self).contains("too_large"))
            let listing = try await DeskAPITests.call(client, .get, "/api/v1/cases/\(id)/evidence")
            let items = try #require(listing.json["evidence"] as? [[String: Any]])
            #expect(items.map { $0["status"] as? String } == ["fetched", "failed"])
            #expect(items.first?["sha256"] as? String == EvidenceSamples.jpegSHA256)
            #expect(items.last?["reason"] as? String == "too_large")

            #expect(try await Self.download(client, "/api/v1/cases/\(id)/evidence/3").status == .notFound)
            #expect(try await Self.download(client, "/api/v1/cases/\(id)/evidence/x").status == .notFound)
            // Another unit's staff do not see the case, nor its evidence; a volunteer may not look at all.
            let other = try await Self.download(client, "/api/v1/cases/\(id)/evidence/1", token: "token-liuzhou-1")
            #expect(other.status == .notFound)
            let volunteer = try await Self.download(client, "/api/v1/cases/\(id)/evidence/1", token: "token-vol-1")
            #expect(volunteer.status == .forbidden)
        }
        await api.stop()
        let record = try #require(try await store.all(CaseRecord.self).first)
        #expect(record.evidence.map(\.status) == [.fetched, .failed])
        #expect(record.evidence.first?.sha256 == EvidenceSamples.jpegSHA256)
        let downloads = try await store.all(AuditEvent.self).filter { $0.detail == "evidence=1" }
        #expect(downloads.map(\.actor) == ["desk-1"])
    }
}
