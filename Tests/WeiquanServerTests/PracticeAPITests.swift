import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanStore

@testable import WeiquanServer

/// `POST /api/v1/try`: staff talk to the bot without WeChat, and nothing the bot would do is done.
@Suite struct PracticeAPITests {
    typealias Reply = DeskAPITests.Reply

    static func say(
        _ client: some TestClientProtocol, _ text: String?, reset: Bool? = nil, token: String = "token-desk-1"
    ) async throws -> Reply {
        var body: [String: Any] = [:]
        if let text { body["text"] = text }
        if let reset { body["reset"] = reset }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        return try await DeskAPITests.call(client, .post, "/api/v1/try", token: token, body: json)
    }

    static func notes(_ reply: Reply) -> [String] { reply.json["notes"] as? [String] ?? [] }
    static func replies(_ reply: Reply) -> [String] { reply.json["replies"] as? [String] ?? [] }

    @Test func aHandoffIsDescribedNotOpened() async throws {
        let store = MemoryDocumentStore()
        let app = try await DeskAPITests.application(store: store)
        try await app.test(.router) { client in
            let hello = try await Self.say(client, "你好")
            #expect(hello.status == .ok && hello.json["owner"] as? String == "bot")
            #expect(Set(hello.json.keys) == ["replies", "notes", "owner"])
            #expect(Self.replies(hello).first?.isEmpty == false && Self.notes(hello).isEmpty)

            let person = try await Self.say(client, "人工")
            #expect(person.json["owner"] as? String == "queue")
            #expect(Self.replies(person).first?.contains("排在第 1 位") == true, "\(person.body)")
            #expect(Self.notes(person).contains { $0.contains("练习模式") && $0.contains("转人工") })
            let queue = try await DeskAPITests.call(client, .get, "/api/v1/handoffs")
            #expect((queue.json["handoffs"] as? [Any])?.isEmpty == true, "the desk's queue stays empty")

            let left = try await Self.say(client, "取消")
            #expect(left.json["owner"] as? String == "bot")

            let transcript = try await DeskAPITests.call(client, .get, "/api/v1/try")
            let lines = try #require(transcript.json["messages"] as? [[String: Any]])
            #expect(lines.first?["from"] as? String == "applicant" && lines.first?["text"] as? String == "你好")
            #expect(lines.contains { $0["from"] as? String == "note" } && transcript.json["owner"] as? String == "bot")
            let empty = try await DeskAPITests.call(client, .get, "/api/v1/try", token: "token-admin")
            #expect((empty.json["messages"] as? [Any])?.isEmpty == true)
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .get, "/api/v1/try", token: "token-vol-1"), .forbidden,
                "forbidden_role")
        }
        #expect(try await store.all(HandoffRecord.self).isEmpty)
        #expect(try await store.all(AuditEvent.self).isEmpty)
        #expect(try await store.all(Conversation.self).isEmpty)
        let practice = try #require(try await store.get(PracticeConversation.self, id: "desk-1"))
        #expect(practice.handoffsOpened == 1 && practice.conversation.applicant == "practice:desk-1")
    }

    @Test func aCaseIsDescribedNotFiled() async throws {
        let store = MemoryDocumentStore()
        let app = try await DeskAPITests.application(store: store)
        try await app.test(.router) { client in
            var last: Reply?
            for text in ConversationClusterTests.aidRequest {
                last = try await Self.say(client, text)
                #expect(last?.status == .ok)
            }
            let filed = try #require(last)
            #expect(Self.notes(filed).contains { $0.contains("此处会登记案件") }, "\(filed.body)")
            // The admin's practice is their own: it starts with a greeting, not the desk-1's form.
            let other = try await Self.say(client, "你好", token: "token-admin")
            #expect(other.status == .ok && Self.notes(other).isEmpty)
            let fresh = try await Self.say(client, nil, reset: true)
            #expect(fresh.status == .ok && Self.replies(fresh).isEmpty && Self.notes(fresh).count == 1)
        }
        #expect(try await store.all(CaseRecord.self).isEmpty)
        #expect(try await store.all(AuditEvent.self).isEmpty)
        let practice = try #require(try await store.get(PracticeConversation.self, id: "desk-1"))
        #expect(practice.cases.isEmpty, "reset forgets the practice cases")
        #expect(try await store.get(PracticeConversation.self, id: "admin") != nil)
    }

    @Test func refusals() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            DeskAPITests.expectError(
                try await Self.say(client, "你好", token: "token-vol-1"), .forbidden, "forbidden_role")
            DeskAPITests.expectError(try await Self.say(client, "  "), .badRequest, "bad_request")
            DeskAPITests.expectError(try await Self.say(client, nil), .badRequest, "bad_request")
            DeskAPITests.expectError(
                try await Self.say(client, String(repeating: "长", count: 2_001)), .badRequest, "text_too_long")
        }
    }
}
