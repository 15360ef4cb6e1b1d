import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// `/api/v1/questions` over HTTP: what each role may do and see — volunteers' answers never carry the applicant's
/// OpenID or words — and a question worked from the claim to the answer delivered once.
@Suite struct QuestionsAPITests {
    static let openID = "oOpenID-secret-1"

    /// The application on `store`, with the volunteers' tokens, at `clock`'s time.
    static func application(
        store: any DocumentStore, clock: TestClock = TestClock(DeskHarness.mondayMorning)
    ) async throws -> some ApplicationProtocol {
        try await WeiquanApplication.build(
            settings: try TestServer.settings(), data: TestServer.data, store: store, tokens: QuestionHarness.tokens,
            clock: clock.function
        )
    }

    /// A store with questions filed an hour before Monday morning: Q000001 (Nanning, trademark), Q000002 (Liuzhou,
    /// patent, urgent).
    static func seeded() async throws -> MemoryDocumentStore {
        let store = MemoryDocumentStore()
        let asked = DeskHarness.mondayMorning.addingTimeInterval(-3_600)
        try await store.put(QuestionHarness.question(1, applicant: ApplicantID(Self.openID), askedAt: asked))
        try await store.put(
            QuestionHarness.question(
                2, applicant: "oOpenID-secret-2", askedAt: asked.addingTimeInterval(60), ipType: "patent",
                region: "柳州市", urgent: true))
        for applicant in [Self.openID, "oOpenID-secret-2"] {
            try await store.put(Conversation(applicant: ApplicantID(applicant), updatedAt: asked))
        }
        return store
    }

    static func call(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, as who: String,
        body: String? = nil
    ) async throws -> DeskAPITests.Reply {
        try await DeskAPITests.call(client, method, "/api/v1/questions" + path, token: "token-\(who)", body: body)
    }

    /// Checks that a volunteer's answer has nothing of the applicant but what redaction left.
    static func expectNothingPersonal(_ reply: DeskAPITests.Reply, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in ["oOpenID", "张三", QuestionHarness.phone, "原文", #""applicant""#, #""text":"我"#] {
            #expect(
                !reply.body.contains(secret), "a volunteer saw \(secret): \(reply.body)", sourceLocation: sourceLocation
            )
        }
    }

    @Test func aQuestionIsClaimedAskedAboutAnsweredReviewedAndDeliveredOnce() async throws {
        let store = try await Self.seeded()
        let app = try await Self.application(store: store)
        try await app.test(.router) { client in
            let queue = try await Self.call(client, .get, "?urgent_first=true", as: "vol-1")
            #expect(queue.status == .ok && queue.json["total"] as? Int == 2)
            let ids = (queue.json["questions"] as? [[String: Any]])?.map { $0["id"] as? String }
            #expect(ids == ["Q000002", "Q000001"])
            Self.expectNothingPersonal(queue)

            let undeclared = try await Self.call(client, .post, "/Q000001/claim", as: "vol-1", body: "{}")
            DeskAPITests.expectError(undeclared, .unprocessableContent, "conflict_not_declared")
            let claimed = try await Self.call(
                client, .post, "/Q000001/claim", as: "vol-1", body: #"{"conflict_declared":true}"#)
            #expect(claimed.status == .ok && claimed.json["status"] as? String == "claimed")
            Self.expectNothingPersonal(claimed)
            let late = try await Self.call(
                client, .post, "/Q000001/claim", as: "vol-2", body: #"{"conflict_declared":true}"#)
            DeskAPITests.expectError(late, .conflict, "already_claimed")
            DeskAPITests.expectError(try await Self.call(client, .get, "/Q000001", as: "vol-2"), .notFound, "not_found")

            let asked = try await Self.call(
                client, .post, "/Q000001/follow-up", as: "vol-1", body: #"{"text":"对方的商标是哪一年申请的？"}"#)
            #expect(asked.status == .ok && asked.json["status"] as? String == "awaiting_applicant")
            let waiting = try await Self.call(client, .post, "/Q000001/answer", as: "vol-1", body: #"{"text":"先答"}"#)
            DeskAPITests.expectError(waiting, .conflict, "illegal_transition")
            // The bot records the reply in the applicant's message write (the lead's part); here, directly.
            var question = try #require(try await store.get(QuestionRecord.self, id: "Q000001"))
            try question.recordReply(text: "2019年，电话\(QuestionHarness.phone)", at: DeskHarness.mondayMorning)
            try await store.put(question)
            let reread = try await Self.call(client, .get, "/Q000001", as: "vol-1")
            #expect(reread.status == .ok && reread.body.contains("对方的商标是哪一年申请的？"))
            Self.expectNothingPersonal(reread)

            let answered = try await Self.call(
                client, .post, "/Q000001/answer", as: "vol-1", body: #"{"text":"自初审公告之日起三个月内可以提出异议。"}"#)
            #expect(answered.status == .ok && answered.json["status"] as? String == "answered")
            Self.expectNothingPersonal(answered)
            let byVolunteer = try await Self.call(
                client, .post, "/Q000001/review", as: "vol-1", body: #"{"decision":"approve"}"#)
            DeskAPITests.expectError(byVolunteer, .forbidden, "forbidden_role")
            let staffView = try await Self.call(client, .get, "/Q000001", as: "desk-1")
            #expect(staffView.json["applicant"] as? String == Self.openID && staffView.body.contains("张三"))
            #expect(staffView.body.contains(QuestionHarness.phone) && staffView.json["timeline"] != nil)
            let approved = try await Self.call(
                client, .post, "/Q000001/review", as: "desk-1", body: #"{"decision":"approve"}"#)
            #expect(approved.status == .ok && approved.json["status"] as? String == "delivered")
            let twice = try await Self.call(
                client, .post, "/Q000001/review", as: "admin", body: #"{"decision":"approve"}"#)
            DeskAPITests.expectError(twice, .conflict, "illegal_transition")

            let mine = try await Self.call(client, .get, "/stats", as: "vol-1")
            let figures = try #require((mine.json["volunteers"] as? [[String: Any]])?.first)
            #expect(figures["volunteer"] as? String == "vol-1" && figures["delivered"] as? Int == 1)
            let all = try await Self.call(client, .get, "/stats", as: "desk-1")
            #expect((all.json["volunteers"] as? [[String: Any]])?.map { $0["volunteer"] as? String } == ["vol-1"])
        }
        // The follow-up and the answer went to the applicant through the outbox, the answer once.
        let sent = try await store.all(OutboxMessage.self).filter { $0.applicant.rawValue == Self.openID }
            .sorted { $0.id < $1.id }.map(\.content)
        #expect(sent.count == 2)
        #expect(sent.first?.contains("对方的商标是哪一年申请的？") == true)
        #expect(sent.last?.contains("仅供参考，不构成法律意见") == true && sent.last?.contains("志愿者团队") == true)
        let conversation = try #require(try await store.get(Conversation.self, id: Self.openID))
        #expect(conversation.questionWait == QuestionWait(question: "Q000001", kind: .rating))
    }

    @Test func eachRoleIsRefusedWhatIsNotItsOwn() async throws {
        let store = try await Self.seeded()
        let app = try await Self.application(store: store)
        try await app.test(.router) { client in
            let staffClaim = try await Self.call(
                client, .post, "/Q000001/claim", as: "desk-1", body: #"{"conflict_declared":true}"#)
            DeskAPITests.expectError(staffClaim, .forbidden, "forbidden_role")
            for path in ["/Q000001/renew", "/Q000001/answer", "/Q000001/follow-up"] {
                let body = path.hasSuffix("renew") ? nil : #"{"text":"x"}"#
                DeskAPITests.expectError(
                    try await Self.call(client, .post, path, as: "admin", body: body), .forbidden, "forbidden_role")
            }
            // Profiles: the patent volunteer sees the patent question only; the Liuzhou volunteer Liuzhou's.
            let patent = try await Self.call(client, .get, "", as: "vol-patent")
            #expect((patent.json["questions"] as? [[String: Any]])?.map { $0["id"] as? String } == ["Q000002"])
            DeskAPITests.expectError(
                try await Self.call(client, .get, "/Q000001", as: "vol-liuzhou"), .notFound, "not_found")
            let outOfScope = try await Self.call(
                client, .post, "/Q000001/claim", as: "vol-liuzhou", body: #"{"conflict_declared":true}"#)
            DeskAPITests.expectError(outOfScope, .notFound, "not_found")
            // Staff of Liuzhou see their unit's question only.
            let liuzhou = try await Self.call(client, .get, "", as: "liuzhou-1")
            #expect(liuzhou.json["total"] as? Int == 1)
            DeskAPITests.expectError(
                try await Self.call(client, .get, "/Q000001", as: "liuzhou-1"), .notFound, "not_found")
            // Not claimed yet: nothing to renew, answer or put back.
            DeskAPITests.expectError(
                try await Self.call(client, .post, "/Q000001/renew", as: "vol-1"), .conflict, "not_claimed")
            let putBack = try await Self.call(
                client, .post, "/Q000001/put-back", as: "desk-1", body: #"{"reason":"x"}"#)
            DeskAPITests.expectError(putBack, .conflict, "not_claimed")
            let returned = try await Self.call(
                client, .post, "/Q000001/review", as: "desk-1", body: #"{"decision":"return"}"#)
            DeskAPITests.expectError(returned, .unprocessableContent, "missing_field")
            let unknown = try await Self.call(
                client, .post, "/Q000001/review", as: "desk-1", body: #"{"decision":"ok"}"#)
            DeskAPITests.expectError(unknown, .badRequest, "bad_request")
            DeskAPITests.expectError(
                try await Self.call(client, .get, "/Q999999", as: "desk-1"), .notFound, "not_found")
            DeskAPITests.expectError(
                try await Self.call(client, .get, "?status=lost", as: "desk-1"), .badRequest, "bad_request")
            DeskAPITests.expectError(
                try await Self.call(client, .get, "?mine=yes", as: "vol-1"), .badRequest, "bad_request")
            DeskAPITests.expectError(
                try await Self.call(client, .get, "?region=atlantis", as: "desk-1"), .notFound, "not_found")
            let noToken = try await DeskAPITests.call(client, .get, "/api/v1/questions", token: nil)
            DeskAPITests.expectError(noToken, .unauthorized, "unauthorized")
        }
    }
}
