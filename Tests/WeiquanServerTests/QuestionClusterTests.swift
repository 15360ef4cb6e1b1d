import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// The volunteer queue on two instances of one store (``ClusterTwin``, and PostgreSQL when a test server is there):
/// two volunteers claiming one question on different instances at once, and a question worked from both.
@Suite struct QuestionClusterTests {
    static func seed(_ store: any DocumentStore) async throws {
        for number in 1...3 {
            let applicant = ApplicantID("oOpenID-cluster-\(number)")
            try await store.put(
                QuestionHarness.question(
                    number, applicant: applicant, askedAt: DeskHarness.mondayMorning.addingTimeInterval(-3_600)))
            try await store.put(Conversation(applicant: applicant, updatedAt: DeskHarness.mondayMorning))
        }
    }

    static func claim(
        _ client: some TestClientProtocol, _ id: String, as volunteer: String
    ) async throws -> DeskAPITests.Reply {
        try await DeskAPITests.call(
            client, .post, "/api/v1/questions/\(id)/claim", token: "token-\(volunteer)",
            body: #"{"conflict_declared":true}"#)
    }

    @Test(arguments: ConversationClusterTests.Backend.available)
    func twoVolunteersClaimingAtOnceOnDifferentInstancesOneWins(_ backend: ConversationClusterTests.Backend)
        async throws
    {
        let store = try await ConversationClusterTests.withTwoInstances(on: backend, seed: Self.seed) { a, b in
            for number in 1...3 {
                let id = String(format: "Q%06d", number)
                async let first = Self.claim(a, id, as: "vol-1")
                async let second = Self.claim(b, id, as: "vol-2")
                let replies = try await [first, second]
                #expect(replies.map(\.status.code).sorted() == [200, 409], "\(id)")
                #expect(replies.compactMap(DeskAPITests.errorCode) == ["already_claimed"])
            }
        }
        let questions = try await store.all(QuestionRecord.self)
        #expect(questions.count == 3)
        for question in questions {
            #expect(question.status == .claimed && question.timeline.filter { $0.action == .claimed }.count == 1)
        }
        let claims = try await store.all(AuditEvent.self).filter { $0.action == .questionClaimed }
        #expect(claims.count == 3)
    }

    @Test(arguments: ConversationClusterTests.Backend.available)
    func aQuestionIsWorkedFromBothInstancesOnFreshData(_ backend: ConversationClusterTests.Backend) async throws {
        let store = try await ConversationClusterTests.withTwoInstances(on: backend, seed: Self.seed) { a, b in
            #expect(try await Self.claim(a, "Q000001", as: "vol-1").status == .ok)
            let answered = try await DeskAPITests.call(
                b, .post, "/api/v1/questions/Q000001/answer", token: "token-vol-1", body: #"{"text":"可以提出异议。"}"#)
            #expect(answered.status == .ok)
            let approve = #"{"decision":"approve"}"#
            async let first = DeskAPITests.call(b, .post, "/api/v1/questions/Q000001/review", body: approve)
            async let second = DeskAPITests.call(
                a, .post, "/api/v1/questions/Q000001/review", token: "token-desk-2", body: approve)
            #expect(try await [first, second].map(\.status.code).sorted() == [200, 409])
        }
        // Delivered once, whichever instance approved it.
        let sent = try await store.all(OutboxMessage.self).filter { $0.applicant == "oOpenID-cluster-1" }
        #expect(sent.count == 1 && sent.first?.content.contains("可以提出异议。") == true)
        let record = try #require(try await store.get(QuestionRecord.self, id: "Q000001"))
        #expect(record.status == .delivered)
    }
}
