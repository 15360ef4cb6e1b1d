import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// The staff desk over HTTP: tokens, roles, units, JSON errors, and a handoff worked end to end.
@Suite struct DeskAPITests {
    static func application(
        store: any DocumentStore = MemoryDocumentStore(), logger: Logger = Logger(label: "weiquan")
    ) async throws -> some ApplicationProtocol {
        try await WeiquanApplication.build(
            settings: try TestServer.settings(), data: TestServer.data, store: store, tokens: DeskHarness.tokens,
            clock: TestClock(DeskHarness.mondayMorning).function, logger: logger
        )
    }

    struct Reply {
        var status: HTTPResponse.Status
        var json: [String: Any]
        var headers: HTTPFields
        var body: String
    }

    /// The id of the first handoff the desk lists (the test has just asked for a person).
    static func firstHandoffID(_ client: some TestClientProtocol) async throws -> String {
        let list = try await Self.call(client, .get, "/api/v1/handoffs")
        return try #require((list.json["handoffs"] as? [[String: Any]])?.first?["id"] as? String)
    }

    static func call(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String,
        token: String? = "token-desk-1",
        body: String? = nil
    ) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ) { response in
            let object = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
            return Reply(
                status: response.status, json: object as? [String: Any] ?? [:], headers: response.headers,
                body: String(buffer: response.body)
            )
        }
    }

    static func errorCode(_ reply: Reply) -> String? {
        (reply.json["error"] as? [String: Any])?["code"] as? String
    }

    static func errorMessage(_ reply: Reply) -> String? {
        (reply.json["error"] as? [String: Any])?["message"] as? String
    }

    /// Checks that `reply` is the desk's JSON error, exactly `{"error":{"code":…,"message":…}}`, with this
    /// status and code.
    static func expectError(
        _ reply: Reply, _ status: HTTPResponse.Status, _ code: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply.status == status, sourceLocation: sourceLocation)
        #expect(reply.headers[.contentType] == "application/json; charset=utf-8", sourceLocation: sourceLocation)
        #expect(Set(reply.json.keys) == ["error"], sourceLocation: sourceLocation)
        #expect(
            Set((reply.json["error"] as? [String: Any] ?? [:]).keys) == ["code", "message"],
            sourceLocation: sourceLocation)
        #expect(Self.errorCode(reply) == code, sourceLocation: sourceLocation)
        #expect(Self.errorMessage(reply)?.isEmpty == false, sourceLocation: sourceLocation)
        // Only a missing or refused token asks for one.
        #expect(
            (reply.headers[.wwwAuthenticate] == "Bearer") == (status == .unauthorized), sourceLocation: sourceLocation)
    }

    @Test func everyDeskRouteNeedsAToken() async throws {
        let app = try await Self.application()
        try await app.test(.router) { client in
            for (method, path) in [
                (HTTPRequest.Method.get, "/api/v1/handoffs"), (.get, "/api/v1/handoffs/H000001"), (.get, "/api/v1/me"),
                (.post, "/api/v1/handoffs/H000001/claim"), (.post, "/api/v1/handoffs/H000001/messages"),
                (.post, "/api/v1/handoffs/H000001/release"), (.post, "/api/v1/conversations/user-a/takeover"),
            ] {
                let missing = try await Self.call(client, method, path, token: nil)
                #expect(missing.status == .unauthorized, "\(path)")
                #expect(Self.errorCode(missing) == "unauthorized")
                #expect(missing.headers[.wwwAuthenticate] == "Bearer")
                let wrong = try await Self.call(client, method, path, token: "token-nobody")
                #expect(wrong.status == .unauthorized, "\(path)")
                let message = (wrong.json["error"] as? [String: Any])?["message"] as? String
                #expect(message?.isEmpty == false)
            }
            // Not a bearer token at all.
            let basic = try await client.execute(
                uri: "/api/v1/me", method: .get, headers: [.authorization: "Basic ZGVzazoxMjM="]
            ) { $0.status }
            #expect(basic == .unauthorized)
        }
    }

    @Test func rolesAndUnitsAreEnforced() async throws {
        let app = try await Self.application()
        try await app.test(.router) { client in
            #expect(try await client.say("人工", id: 1).contains("排在第 1 位"))
            let me = try await Self.call(client, .get, "/api/v1/me", token: "token-vol-1")
            #expect(me.status == .ok && me.json["role"] as? String == "volunteer")
            let volunteer = try await Self.call(client, .get, "/api/v1/handoffs", token: "token-vol-1")
            #expect(volunteer.status == .forbidden && Self.errorCode(volunteer) == "forbidden_role")
            let list = try await Self.call(client, .get, "/api/v1/handoffs")
            let handoffs = try #require(list.json["handoffs"] as? [[String: Any]])
            let id = try #require(handoffs.first?["id"] as? String)
            let otherUnit = try await Self.call(client, .post, "/api/v1/handoffs/\(id)/claim", token: "token-liuzhou-1")
            #expect(otherUnit.status == .forbidden && Self.errorCode(otherUnit) == "forbidden_unit")
            let theirs = try await Self.call(client, .get, "/api/v1/handoffs", token: "token-liuzhou-1")
            #expect((theirs.json["handoffs"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aHandoffWorkedOverHTTP() async throws {
        let store = MemoryDocumentStore()
        let app = try await Self.application(store: store)
        try await app.test(.router) { client in
            _ = try await client.say("我要申请维权援助", id: 1)
            _ = try await client.say("人工", id: 2)
            let list = try await Self.call(client, .get, "/api/v1/handoffs?status=waiting")
            #expect(list.status == .ok)
            let handoff = try #require((list.json["handoffs"] as? [[String: Any]])?.first)
            let id = try #require(handoff["id"] as? String)
            #expect(handoff["position"] as? Int == 1)
            #expect(handoff["status"] as? String == "waiting")
            let summary = try #require(handoff["summary"] as? [String: Any])
            #expect(summary["intents"] as? [String] == ["aid_request", "human"])
            #expect(summary["form_kind"] as? String == "aid_request")
            #expect(
                (summary["last_messages"] as? [[String: Any]])?.compactMap { $0["text"] as? String } == [
                    "我要申请维权援助", "人工",
                ])

            let claim = try await Self.call(client, .post, "/api/v1/handoffs/\(id)/claim")
            #expect(
                claim.status == .ok && claim.json["status"] as? String == "active"
                    && claim.json["assignee"] as? String == "desk-1")
            let second = try await Self.call(client, .post, "/api/v1/handoffs/\(id)/claim", token: "token-desk-2")
            #expect(second.status == .conflict && Self.errorCode(second) == "already_claimed")

            // The bot is silent; the message joins the transcript.
            let (status, body) = try await client.post(Inbound.text("请问多久能处理？", id: 3))
            #expect(status == .ok && body == "success")
            let sent = try await Self.call(
                client, .post, "/api/v1/handoffs/\(id)/messages", body: #"{"text":"一般 10 个工作日内答复。"}"#)
            #expect(sent.status == .ok)
            let note = try await Self.call(client, .post, "/api/v1/handoffs/\(id)/notes", body: #"{"text":"已核实身份"}"#)
            #expect(note.status == .ok)
            let detail = try await Self.call(client, .get, "/api/v1/handoffs/\(id)")
            let transcript = try #require(detail.json["messages"] as? [[String: Any]])
            #expect(transcript.contains { $0["from"] as? String == "applicant" && $0["text"] as? String == "请问多久能处理？" })
            #expect(
                transcript.contains { $0["from"] as? String == "staff" && $0["text"] as? String == "一般 10 个工作日内答复。" })
            #expect(transcript.contains { $0["from"] as? String == "note" && $0["author"] as? String == "desk-1" })

            let release = try await Self.call(
                client, .post, "/api/v1/handoffs/\(id)/release", body: #"{"resume":true}"#)
            #expect(release.status == .ok && release.json["outcome"] as? String == "released")
            // The bot answers again, in the form it left.
            #expect(try await client.say("1", id: 4).isEmpty == false)
        }
        let outbox = try await store.all(OutboxMessage.self).sorted { $0.id < $1.id }
        #expect(outbox.map(\.author) == [.desk, .staff("desk-1"), .desk])
        #expect(outbox.map(\.content).contains("一般 10 个工作日内答复。"))
        let actions = try await store.all(AuditEvent.self).map(\.action.rawValue)
        for action in ["handoff_requested", "handoff_claimed", "message_sent", "note_added", "handoff_released"] {
            #expect(actions.contains(action), "\(action) not audited")
        }
    }

    @Test func aStoreFailureIsA500AndChangesNothing() async throws {
        let store = ReplyBudgetTests.GatedStore()
        let app = try await Self.application(store: store)
        try await app.test(.router) { client in
            _ = try await client.say("人工", id: 1)
            let id = try await DeskAPITests.firstHandoffID(client)
            store.failWrites(true)
            let failed = try await Self.call(client, .post, "/api/v1/handoffs/\(id)/claim")
            #expect(failed.status == .internalServerError && Self.errorCode(failed) == "internal")
            store.failWrites(false)
            let detail = try await Self.call(client, .get, "/api/v1/handoffs/\(id)")
            #expect(detail.json["status"] as? String == "waiting")
            #expect(try await Self.call(client, .post, "/api/v1/handoffs/\(id)/claim").status == .ok)
        }
    }

    @Test func metricsShowTheQueueAndTheWait() async throws {
        let app = try await Self.application()
        try await app.test(.router) { client in
            _ = try await client.say("人工", id: 1)
            _ = try await client.say("人工", from: "user-b", id: 2)
            func metrics() async throws -> String {
                try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            }
            let queued = try await metrics()
            #expect(queued.contains(#"weiquan_handoffs_waiting{unit="centre"} 2"#))
            #expect(queued.contains(#"weiquan_handoffs_total{status="waiting"} 2"#))
            let id = try await DeskAPITests.firstHandoffID(client)
            _ = try await Self.call(client, .post, "/api/v1/handoffs/\(id)/claim")
            let claimed = try await metrics()
            #expect(claimed.contains(#"weiquan_handoffs_waiting{unit="centre"} 1"#))
            // The clock did not move: the wait falls in the first (30-second) bucket.
            #expect(claimed.contains(#"weiquan_handoff_wait_seconds_bucket{le="30.0"} 1"#))
            #expect(claimed.contains("weiquan_handoff_wait_seconds_count 1"))
        }
    }

    @Test func badRequestsGetStableJSONErrors() async throws {
        let app = try await Self.application()
        try await app.test(.router) { client in
            _ = try await client.say("人工", id: 1)
            let id = try await DeskAPITests.firstHandoffID(client)
            let unknownStatus = try await Self.call(client, .get, "/api/v1/handoffs?status=sleeping")
            #expect(unknownStatus.status == .badRequest && Self.errorCode(unknownStatus) == "bad_request")
            // An empty status would list nothing, which reads as an empty queue.
            for query in ["status=", "status=waiting,,active", "status=waiting,"] {
                let empty = try await Self.call(client, .get, "/api/v1/handoffs?\(query)")
                #expect(empty.status == .badRequest && Self.errorCode(empty) == "bad_request", "\(query)")
            }
            let missing = try await Self.call(client, .get, "/api/v1/handoffs/H123456")
            #expect(missing.status == .notFound && Self.errorCode(missing) == "not_found")
            _ = try await Self.call(client, .post, "/api/v1/handoffs/\(id)/claim")
            for body in ["", "not json", #"{"txt":"x"}"#, #"{"text":42}"#] {
                let reply = try await Self.call(client, .post, "/api/v1/handoffs/\(id)/messages", body: body)
                #expect(reply.status == .badRequest, "\(body)")
                #expect(Self.errorCode(reply) == "bad_request", "\(body)")
            }
            let huge = String(repeating: "x", count: 70 * 1024)
            let tooLarge = try await Self.call(
                client, .post, "/api/v1/handoffs/\(id)/notes", body: #"{"text":"\#(huge)"}"#)
            #expect(tooLarge.status == .contentTooLarge && Self.errorCode(tooLarge) == "too_large")
            let long = String(repeating: "长", count: DeskService.maxMessageLength + 1)
            let tooLong = try await Self.call(
                client, .post, "/api/v1/handoffs/\(id)/messages", body: #"{"text":"\#(long)"}"#)
            #expect(Self.errorCode(tooLong) == "text_too_long")
            let both = try await Self.call(
                client, .post, "/api/v1/handoffs/\(id)/transfer", body: #"{"to_staff":"desk-2","to_unit":"nanning"}"#)
            #expect(both.status == .badRequest)
            let unit = try await Self.call(
                client, .post, "/api/v1/handoffs/\(id)/transfer", body: #"{"to_unit":"atlantis"}"#)
            #expect(unit.status == .unprocessableContent && Self.errorCode(unit) == "unknown_unit")
            // Nothing of that changed the handoff.
            let detail = try await Self.call(client, .get, "/api/v1/handoffs/\(id)")
            #expect(detail.json["status"] as? String == "active" && detail.json["unit"] as? String == "centre")
        }
    }

    @Test func everyErrorKeepsItsStatusAndJSONShape() async throws {
        let store = ReplyBudgetTests.GatedStore()
        let app = try await Self.application(store: store)
        try await app.test(.router) { client in
            _ = try await client.say("人工", id: 1)
            let id = try await DeskAPITests.firstHandoffID(client)

            let missing = try await Self.call(client, .get, "/api/v1/me", token: nil)
            Self.expectError(missing, .unauthorized, "unauthorized")
            // Byte for byte what the desk wrote before: sorted keys, slashes as they are.
            #expect(
                missing.body
                    == #"{"error":{"code":"unauthorized","message":"this route needs a desk token: send 'Authorization: Bearer <token>'"}}"#
            )
            let unknown = try await Self.call(client, .get, "/api/v1/me", token: "token-nobody")
            Self.expectError(unknown, .unauthorized, "unauthorized")
            #expect(Self.errorMessage(unknown) == "the token is unknown or was revoked")
            // The scheme is not case-sensitive, and spaces around the token do not matter.
            let lower = try await client.execute(
                uri: "/api/v1/me", method: .get, headers: [.authorization: "bearer   token-desk-1 "]
            ) { $0.status }
            #expect(lower == .ok)

            Self.expectError(
                try await Self.call(client, .get, "/api/v1/handoffs", token: "token-vol-1"), .forbidden,
                "forbidden_role")
            Self.expectError(try await Self.call(client, .get, "/api/v1/handoffs/H123456"), .notFound, "not_found")
            Self.expectError(
                try await Self.call(client, .get, "/api/v1/handoffs?status=sleeping"), .badRequest, "bad_request")
            #expect(try await Self.call(client, .post, "/api/v1/handoffs/\(id)/claim").status == .ok)
            let second = try await Self.call(client, .post, "/api/v1/handoffs/\(id)/claim", token: "token-desk-2")
            Self.expectError(second, .conflict, "already_claimed")
            let huge = String(repeating: "x", count: 70 * 1024)
            let tooLarge = try await Self.call(
                client, .post, "/api/v1/handoffs/\(id)/notes", body: #"{"text":"\#(huge)"}"#)
            Self.expectError(tooLarge, .contentTooLarge, "too_large")
            #expect(Self.errorMessage(tooLarge) == "the body is larger than 65536 bytes")
            let unit = try await Self.call(
                client, .post, "/api/v1/handoffs/\(id)/transfer", body: #"{"to_unit":"atlantis"}"#)
            Self.expectError(unit, .unprocessableContent, "unknown_unit")

            store.failWrites(true)
            let failed = try await Self.call(client, .post, "/api/v1/handoffs/\(id)/notes", body: #"{"text":"x"}"#)
            Self.expectError(failed, .internalServerError, "internal")
            #expect(Self.errorMessage(failed) == "the request could not be completed; nothing was changed")
            store.failWrites(false)
        }
    }

    @Test func wrongJSONIsNamedInTheMessage() async throws {
        let app = try await Self.application()
        try await app.test(.router) { client in
            _ = try await client.say("人工", id: 1)
            let id = try await DeskAPITests.firstHandoffID(client)
            #expect(try await Self.call(client, .post, "/api/v1/handoffs/\(id)/claim").status == .ok)
            let cases = [
                ("", "the request needs a JSON body"),
                ("not json", "the body is not the JSON this route takes: not valid JSON"),
                (#"{"txt":"x"}"#, "the body is not the JSON this route takes: 'text' is missing"),
                (#"{"text":42}"#, "the body is not the JSON this route takes: 'text' has the wrong type"),
                (#"{"text":null}"#, "the body is not the JSON this route takes: 'text' has the wrong type"),
            ]
            for (body, message) in cases {
                let reply = try await Self.call(client, .post, "/api/v1/handoffs/\(id)/messages", body: body)
                Self.expectError(reply, .badRequest, "bad_request")
                #expect(Self.errorMessage(reply) == message, "\(body)")
            }
            // A body of the wrong shape for an optional one is still refused.
            let release = try await Self.call(
                client, .post, "/api/v1/handoffs/\(id)/release", body: #"{"resume":"yes"}"#)
            #expect(
                Self.errorMessage(release) == "the body is not the JSON this route takes: 'resume' has the wrong type")
        }
    }

    @Test func releaseAndCloseTakeAnEmptyBody() async throws {
        let app = try await Self.application()
        try await app.test(.router) { client in
            func claimed(_ user: String, id: Int) async throws -> String {
                _ = try await client.say("人工", from: user, id: id)
                let list = try await Self.call(client, .get, "/api/v1/handoffs?status=waiting")
                let handoffs = try #require(list.json["handoffs"] as? [[String: Any]])
                let handoff = try #require(handoffs.first { $0["conversation"] as? String == user })
                let id = try #require(handoff["id"] as? String)
                #expect(try await Self.call(client, .post, "/api/v1/handoffs/\(id)/claim").status == .ok)
                return id
            }
            let first = try await claimed("user-a", id: 1)
            let release = try await Self.call(client, .post, "/api/v1/handoffs/\(first)/release")
            #expect(release.status == .ok && release.json["outcome"] as? String == "released")
            let second = try await claimed("user-b", id: 2)
            let close = try await Self.call(client, .post, "/api/v1/handoffs/\(second)/close")
            #expect(close.status == .ok && close.json["status"] as? String == "ended")
            // Dates are ISO 8601.
            let requested = try #require(close.json["requested_at"] as? String)
            #expect(ISO8601DateFormatter().date(from: requested) == DeskHarness.mondayMorning)
        }
    }

    @Test func refusalsAreNoticedAndFailuresLoggedAsErrors() async throws {
        let log = LogRecorder()
        let store = ReplyBudgetTests.GatedStore()
        let app = try await Self.application(store: store, logger: log.logger)
        let id = try await app.test(.router) { client in
            _ = try await client.say("人工", id: 1)
            let id = try await DeskAPITests.firstHandoffID(client)
            _ = try await Self.call(client, .get, "/api/v1/me", token: nil)
            _ = try await Self.call(client, .get, "/api/v1/handoffs", token: "token-vol-1")
            // Not found is not a refusal.
            _ = try await Self.call(client, .get, "/api/v1/handoffs/H123456")
            store.failWrites(true)
            _ = try await Self.call(client, .post, "/api/v1/handoffs/\(id)/claim")
            return id
        }
        let refused = log.entries("desk request refused")
        #expect(refused.map(\.level) == [.notice, .notice])
        #expect(refused.map { $0.metadata["code"] } == ["unauthorized", "forbidden_role"])
        #expect(refused.map { $0.metadata["path"] } == ["/api/v1/me", "/api/v1/handoffs"])
        let failed = log.entries("desk request failed")
        #expect(failed.map(\.level) == [.error])
        #expect(failed.first?.metadata["path"] == "/api/v1/handoffs/\(id)/claim")
        #expect(failed.first?.metadata["error"]?.isEmpty == false)
    }
}
