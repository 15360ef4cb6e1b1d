import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WeChatChannel
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

@Suite struct WebhookRouteTests {
    let replies = TestServer.data.makeMachine().replies

    /// The aid-request answers that lead to the summary.
    static let aidAnswers = [
        "我要申请维权援助", "1", "2", "南宁某某科技有限公司", "13800138000", "1", "1", "201310268509.X", "深圳某某贸易有限公司",
        "他们在网店上销售仿冒我们专利的产品", "1 4", "有购买记录和网页截图",
    ]

    // MARK: - Signatures

    @Test func urlVerificationEchoesOnlyWithTheRightSignature() async throws {
        let app = try await TestServer.application()
        try await app.test(.router) { client in
            let ok = TestServer.uri(extra: "&echostr=4375120948345356249")
            try await client.execute(uri: ok, method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "4375120948345356249")
            }
            let wrong = TestServer.uri(signed: false, extra: "&echostr=4375120948345356249")
            try await client.execute(uri: wrong, method: .get) { response in
                #expect(response.status == .forbidden)
                #expect(!String(buffer: response.body).contains("4375120948345356249"))
            }
            try await client.execute(uri: "/wechat?echostr=1", method: .get) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test func postsWithoutTheRightSignatureAreRefused() async throws {
        let store = MemoryDocumentStore()
        let app = try await TestServer.application(store: store)
        try await app.test(.router) { client in
            let (wrong, _) = try await client.post(Inbound.text("你好", id: 1), uri: TestServer.uri(signed: false))
            #expect(wrong == .forbidden)
            let (missing, _) = try await client.post(Inbound.text("你好", id: 2), uri: "/wechat?timestamp=1&nonce=2")
            #expect(missing == .forbidden)
            // A signature for another nonce does not fit.
            let signature = WeChatSignature.signature(token: TestServer.token, timestamp: "1795222800", nonce: "1")
            let (mismatch, _) = try await client.post(
                Inbound.text("你好", id: 3), uri: "/wechat?signature=\(signature)&timestamp=1795222800&nonce=2"
            )
            #expect(mismatch == .forbidden)
        }
        #expect(try await store.count(collection: Conversation.collection) == 0)
    }

    // MARK: - Message types

    @Test func textGetsAPassiveXMLReply() async throws {
        let app = try await TestServer.application()
        try await app.test(.router) { client in
            let (status, body) = try await client.post(Inbound.text("你好", id: 10))
            #expect(status == .ok)
            #expect(ReplyXML.element("ToUserName", in: body) == "user-a")
            #expect(ReplyXML.element("FromUserName", in: body) == Inbound.account)
            #expect(ReplyXML.element("MsgType", in: body) == "text")
            #expect(body.contains("<CreateTime>1795222800</CreateTime>"))
            #expect(ReplyXML.content(body).hasPrefix(self.replies.render("welcome")))
        }
    }

    @Test func voiceUsesItsRecognitionOrAsksToType() async throws {
        let app = try await TestServer.application()
        try await app.test(.router) { client in
            let (_, recognised) = try await client.post(Inbound.voice(recognition: "谢谢", id: 20))
            #expect(ReplyXML.content(recognised) == self.replies.render("thanks"))
            let (_, silent) = try await client.post(Inbound.voice(recognition: nil, id: 21))
            #expect(ReplyXML.content(silent) == self.replies.render("voice.unrecognised"))
        }
    }

    @Test func mediaBecomesEvidenceOnAnOpenForm() async throws {
        let store = MemoryDocumentStore()
        let app = try await TestServer.application(store: store)
        try await app.test(.router) { client in
            let (_, idle) = try await client.post(Inbound.image(media: "m0", id: 30))
            #expect(ReplyXML.content(idle) == self.replies.render("media.received"))
            _ = try await client.say("申请援助", id: 31)
            _ = try await client.say("1", id: 32)
            _ = try await client.post(Inbound.image(media: "m1", id: 33))
            _ = try await client.post(Inbound.video(id: 34))
            _ = try await client.post(Inbound.video("shortvideo", id: 35))
            let (_, link) = try await client.post(Inbound.link(id: 36))
            #expect(ReplyXML.content(link).hasPrefix(self.replies.render("media.attached", ["count": "4"])))
            let file =
                "<xml>\(Inbound.header("user-a", "file"))<Title><![CDATA[合同.pdf]]></Title>"
                + "<MediaId><![CDATA[file-1]]></MediaId><MsgId>37</MsgId></xml>"
            let (_, filed) = try await client.post(file)
            #expect(ReplyXML.content(filed).hasPrefix(self.replies.render("media.attached", ["count": "5"])))
        }
        let record = try #require(try await store.get(Conversation.self, id: "user-a"))
        #expect(
            record.state.form?.attachments == ["m1", "video-1", "video-1", "https://shop.example/item/1", "file-1"])
    }

    @Test func locationAnswersTheRegionQuestion() async throws {
        let store = MemoryDocumentStore()
        let app = try await TestServer.application(store: store)
        try await app.test(.router) { client in
            for (index, text) in ["申请援助", "1", "1", "张三", "13800138000"].enumerated() {
                _ = try await client.say(text, id: 40 + index)
            }
            _ = try await client.post(Inbound.location(label: "广西壮族自治区桂林市七星区某某路", id: 50))
        }
        let record = try #require(try await store.get(Conversation.self, id: "user-a"))
        #expect(record.state.form?.values["region"] == "桂林市")
    }

    @Test func eventsSubscribeClickUnsubscribeAndOthers() async throws {
        let store = MemoryDocumentStore()
        let app = try await TestServer.application(store: store)
        try await app.test(.router) { client in
            let (_, welcome) = try await client.post(Inbound.event("subscribe", time: 1))
            #expect(ReplyXML.content(welcome).hasPrefix(self.replies.render("welcome.subscribe")))
            let (_, scanned) = try await client.post(
                Inbound.event("subscribe", key: "qrscene_123", from: "user-b", time: 2))
            #expect(ReplyXML.content(scanned).hasPrefix(self.replies.render("welcome.subscribe")))
            let (_, click) = try await client.post(Inbound.event("CLICK", key: "LEGAL_STATUS", time: 3))
            #expect(ReplyXML.content(click) == self.replies.render("number.ask"))
            let (status, unknownKey) = try await client.post(Inbound.event("CLICK", key: "NO_SUCH_KEY", time: 4))
            #expect(status == .ok && unknownKey == "success")
            let (_, view) = try await client.post(Inbound.event("VIEW", key: "https://example.invalid", time: 5))
            #expect(view == "success")
            let (_, location) = try await client.post(Inbound.event("LOCATION", time: 6))
            #expect(location == "success")
            let (_, scan) = try await client.post(Inbound.event("SCAN", key: "123", time: 8))
            #expect(scan == "success")
            let job =
                "<xml>\(Inbound.header("user-a", "event", time: 9))<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event>"
                + "<MsgID>200163836</MsgID><Status><![CDATA[success]]></Status></xml>"
            #expect(try await client.post(job).1 == "success")
            let (_, gone) = try await client.post(Inbound.event("unsubscribe", time: 7))
            #expect(gone == "success")
        }
        let record = try #require(try await store.get(Conversation.self, id: "user-a"))
        #expect(record.closed)
        #expect(record.state == ConversationState())
        let audit = try await store.all(AuditEvent.self)
        #expect(audit.map(\.action.rawValue) == ["conversation_closed"])
    }

    @Test func unsupportedMessageTypesGetSuccess() async throws {
        let app = try await TestServer.application()
        try await app.test(.router) { client in
            let body = "<xml>\(Inbound.header("user-a", "miniprogrampage"))<MsgId>60</MsgId></xml>"
            let (status, reply) = try await client.post(body)
            #expect(status == .ok && reply == "success")
        }
    }

    // MARK: - Bad input

    @Test func oversizedMalformedAndHostileBodiesAreRefused() async throws {
        let store = MemoryDocumentStore()
        let metrics = Metrics()
        let app = try await TestServer.application(store: store, metrics: metrics, bodyLimit: 2048)
        try await app.test(.router) { client in
            let huge = Inbound.text(String(repeating: "长", count: 2000), id: 70)
            #expect(try await client.post(huge).0 == .contentTooLarge)
            #expect(try await client.post("<xml><ToUserName>").0 == .badRequest)
            #expect(try await client.post("not xml at all").0 == .badRequest)
            #expect(try await client.post("").0 == .badRequest)
            let missing = "<xml><ToUserName><![CDATA[a]]></ToUserName><MsgType><![CDATA[text]]></MsgType></xml>"
            #expect(try await client.post(missing).0 == .badRequest)
            let xxe = """
                <?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <xml>\(Inbound.header("user-a", "text"))<Content>&xxe;</Content><MsgId>71</MsgId></xml>
                """
            #expect(try await client.post(xxe).0 == .badRequest)
            let laughs = "<!DOCTYPE x [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><xml>&b;</xml>"
            #expect(try await client.post(laughs).0 == .badRequest)
            // Control characters are stripped, not fatal.
            let (status, reply) = try await client.post(Inbound.text("谢\u{01}谢\u{08}", id: 72))
            #expect(status == .ok)
            #expect(ReplyXML.content(reply) == self.replies.render("thanks"))
        }
        #expect(metrics.value("weiquan_bad_requests_total", label: "413") == 1)
        #expect(metrics.value("weiquan_bad_requests_total", label: "400") == 6)
        // Nothing refused reached the store; the one good message did.
        #expect(try await store.count(collection: Conversation.collection) == 1)
    }

    // MARK: - Retries and ordering

    @Test func theSameMessageThreeTimesFilesOneCaseWithIdenticalReplies() async throws {
        let store = MemoryDocumentStore()
        let clock = TestClock()
        let metrics = Metrics()
        let app = try await TestServer.application(store: store, clock: clock, metrics: metrics)
        try await app.test(.router) { client in
            for (index, text) in Self.aidAnswers.enumerated() { _ = try await client.say(text, id: 100 + index) }
            var bodies: [String] = []
            for _ in 0..<3 {
                bodies.append(try await client.post(Inbound.text("1", id: 200)).1)
                clock.advance(5)  // WeChat retries after its 5-second timeout
            }
            #expect(Set(bodies).count == 1)
            #expect(ReplyXML.content(bodies[0]).contains("WQ202611210001"))
        }
        #expect(try await store.all(CaseRecord.self).map(\.id) == ["WQ202611210001"])
        #expect(metrics.value("weiquan_dedupe_hits_total") == 2)
    }

    @Test func aRetriedEventIsAnsweredOnceByItsEventKey() async throws {
        let metrics = Metrics()
        let app = try await TestServer.application(metrics: metrics)
        try await app.test(.router) { client in
            let first = try await client.post(Inbound.event("subscribe", time: 11)).1
            let retry = try await client.post(Inbound.event("subscribe", time: 11)).1
            #expect(first == retry)
            // The same event a second later is a new event.
            let later = try await client.post(Inbound.event("subscribe", time: 12)).1
            #expect(ReplyXML.content(later) == ReplyXML.content(first))
        }
        #expect(metrics.value("weiquan_dedupe_hits_total") == 1)
    }

    @Test func retriesOfAMessageInFlightWaitForItsAnswer() async throws {
        let store = MemoryDocumentStore()
        let app = try await TestServer.application(store: store)
        try await app.test(.router) { client in
            for (index, text) in Self.aidAnswers.enumerated() { _ = try await client.say(text, id: 300 + index) }
            let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<4 { group.addTask { try await client.post(Inbound.text("确认", id: 400)).1 } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(bodies).count == 1)
            #expect(ReplyXML.content(bodies[0]).contains("WQ202611210001"))
        }
        #expect(try await store.count(collection: CaseRecord.collection) == 1)
    }

    @Test func concurrentMessagesFromOneUserAreAllApplied() async throws {
        let store = MemoryDocumentStore()
        let app = try await TestServer.application(store: store)
        try await app.test(.router) { client in
            _ = try await client.say("申请援助", id: 500)
            _ = try await client.say("1", id: 501)
            // Twenty pictures at once: with one writer per conversation none is lost.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask { _ = try await client.post(Inbound.image(media: "m\(index)", id: 600 + index)) }
                }
                try await group.waitForAll()
            }
        }
        let record = try #require(try await store.get(Conversation.self, id: "user-a"))
        #expect(Set(record.state.form?.attachments ?? []) == Set((0..<20).map { "m\($0)" }))
    }

    @Test func differentUsersKeepTheirOwnConversations() async throws {
        let store = MemoryDocumentStore()
        let app = try await TestServer.application(store: store)
        try await app.test(.router) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for user in 0..<10 {
                    group.addTask {
                        for (index, text) in Self.aidAnswers.enumerated() {
                            _ = try await client.say(text, from: "user-\(user)", id: 10_000 + user * 100 + index)
                        }
                        _ = try await client.say("1", from: "user-\(user)", id: 10_000 + user * 100 + 99)
                    }
                }
                try await group.waitForAll()
            }
        }
        let cases = try await store.all(CaseRecord.self)
        #expect(cases.count == 10)
        #expect(Set(cases.map(\.applicant)).count == 10)
        // Ten cases on one day: sequence numbers 1…10, no gaps, no duplicates.
        #expect(Set(cases.map(\.id)) == Set((1...10).map { CaseID(rawValue: String(format: "WQ2026112100%02d", $0))! }))
    }

    // MARK: - Health and metrics

    @Test func healthAndMetrics() async throws {
        let metrics = Metrics()
        let app = try await TestServer.application(metrics: metrics)
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"status\":\"ok\""))
            }
            _ = try await client.say("你好", id: 700)
            _ = try await client.say("你好", id: 700)
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("weiquan_messages_total{type=\"text\"} 2"))
                #expect(text.contains("weiquan_dedupe_hits_total 1"))
                #expect(text.contains("weiquan_handler_seconds_count 2"))
                #expect(text.contains("# TYPE weiquan_handler_seconds histogram"))
            }
            try await client.execute(uri: "/bench/echo", method: .post, body: ByteBuffer(string: "x")) { response in
                #expect(String(buffer: response.body) == "success")
            }
        }
    }
}
