import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

@Suite struct DurabilityTests {
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("weiquan-server-\(UUID().uuidString)")
    }

    // The application closes its store when it stops (StoreCloser), releasing the lock for the next one.

    @Test func aRestartContinuesTheFormWhereItWas() async throws {
        let directory = self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let answers = WebhookRouteTests.aidAnswers
        do {
            let store = try await FileDocumentStore.open(directory: directory)
            let app = try await TestServer.application(store: store)
            try await app.test(.router) { client in
                for (index, text) in answers.prefix(6).enumerated() { _ = try await client.say(text, id: 1 + index) }
            }
        }
        let store = try await FileDocumentStore.open(directory: directory)
        let app = try await TestServer.application(store: store)
        try await app.test(.router) { client in
            // The seventh answer (the IP type) is taken as an answer to the question that was open.
            let reply = try await client.say(answers[6], id: 7)
            #expect(reply.contains("201310268509.X"))
            for (index, text) in answers.dropFirst(7).enumerated() { _ = try await client.say(text, id: 8 + index) }
            _ = try await client.say("1", id: 50)
        }
        let reader = try await FileDocumentStore.openReadOnly(directory: directory)
        #expect(try await reader.all(CaseRecord.self).map(\.fields["phone"]) == ["13800138000"])
    }

    @Test func theRetryMemorySurvivesARestart() async throws {
        let directory = self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first: String
        do {
            let store = try await FileDocumentStore.open(directory: directory)
            let app = try await TestServer.application(store: store)
            first = try await app.test(.router) { client in
                for (index, text) in WebhookRouteTests.aidAnswers.enumerated() {
                    _ = try await client.say(text, id: 1 + index)
                }
                return try await client.post(Inbound.text("1", id: 99)).1
            }
        }
        #expect(ReplyXML.content(first).contains("WQ202611210001"))
        let store = try await FileDocumentStore.open(directory: directory)
        let app = try await TestServer.application(store: store)
        try await app.test(.router) { client in
            let again = try await client.post(Inbound.text("1", id: 99)).1
            #expect(again == first)
        }
        let reader = try await FileDocumentStore.openReadOnly(directory: directory)
        #expect(try await reader.count(collection: CaseRecord.collection) == 1)
    }

    /// The whole service on a real loopback socket: an aid request from first message to filed case,
    /// then the case read back from the store on disk.
    @Test func anAidRequestOverARealSocket() async throws {
        let directory = self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await FileDocumentStore.open(directory: directory)
        let app = try await TestServer.application(store: store)
        let confirmation = try await app.test(.live) { client in
            for (index, text) in WebhookRouteTests.aidAnswers.enumerated() {
                let reply = try await client.say(text, id: 1 + index)
                #expect(!reply.isEmpty, "no reply to \(text)")
            }
            try await client.execute(uri: "/healthz", method: .get) { response in #expect(response.status == .ok) }
            return try await client.say("1", id: 100)
        }
        #expect(confirmation.contains("WQ202611210001"))
        let reader = try await FileDocumentStore.openReadOnly(directory: directory)
        let record = try #require(try await reader.get(CaseRecord.self, id: "WQ202611210001"))
        #expect(record.kind == .aidRequest)
        #expect(record.unit == "nanning")
        #expect(record.applicant == "user-a")
        #expect(record.fields["ip_number"] == "201310268509.X")
        #expect(record.consent?.noticeVersion == "2026-11")
    }
}
