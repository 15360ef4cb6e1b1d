import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// Two instances of the whole application on one store (``ClusterTwin``: a shared store that enforces create-only
/// writes, one lock per key and word of each other's writes), over real sockets: what must hold across instances.
@Suite struct ConversationClusterTests {
    /// An aid request from the first message to the confirmation of its summary.
    static let aidRequest = WebhookRouteTests.aidAnswers + ["1"]

    /// Two applications, one per member of a fresh cluster, both live; `body` gets a client for each.
    static func withTwoInstances(
        _ cluster: ClusterTwin = ClusterTwin(),
        _ body: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol) async throws -> Void
    ) async throws {
        let clock = TestClock(DeskHarness.mondayMorning)
        func build(_ member: ClusterTwin.Member) async throws -> some ApplicationProtocol {
            try await WeiquanApplication.build(
                settings: try TestServer.settings(port: 0), data: TestServer.data, store: member.store,
                tokens: DeskHarness.tokens, coordination: member.coordination, clock: clock.function
            )
        }
        let a = try await build(cluster.member("a"))
        let b = try await build(cluster.member("b"))
        try await a.test(.live) { first in
            try await b.test(.live) { second in try await body(first, second) }
        }
    }

    @Test func oneApplicantsMessagesAlternatingBetweenInstancesRunInOrder() async throws {
        let cluster = ClusterTwin()
        try await Self.withTwoInstances(cluster) { a, b in
            var last = ""
            for (index, text) in Self.aidRequest.enumerated() {
                last = try await (index % 2 == 0 ? a : b).say(text, from: "user-x", id: 100 + index)
            }
            #expect(last.contains("WQ20261123"))
        }
        let cases = try await cluster.store.all(CaseRecord.self)
        #expect(cases.map(\.id.rawValue) == ["WQ202611230001"])
        #expect(cases.first?.applicant == "user-x")
    }

    @Test func aRetryOnTheOtherInstanceGetsTheSameBytesAndFilesNothingTwice() async throws {
        let cluster = ClusterTwin()
        try await Self.withTwoInstances(cluster) { a, b in
            let answers = Self.aidRequest
            for (index, text) in answers.dropLast().enumerated() {
                _ = try await a.say(text, from: "user-r", id: 200 + index)
            }
            let last = Inbound.text(answers[answers.count - 1], from: "user-r", id: 299)
            let (_, first) = try await a.post(last)
            let (_, retry) = try await b.post(last)
            #expect(ReplyXML.content(first).contains("WQ20261123"))
            #expect(retry == first)
        }
        #expect(try await cluster.store.count(CaseRecord.self) == 1)
    }

    @Test func applicantsFilingAtOnceOnTwoInstancesGetGapFreeNumbers() async throws {
        let cluster = ClusterTwin()
        try await Self.withTwoInstances(cluster) { a, b in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for user in 0..<8 {
                    group.addTask {
                        for (index, text) in Self.aidRequest.enumerated() {
                            // Each applicant's messages alternate between the instances too.
                            let client = (user + index) % 2 == 0 ? a : b
                            _ = try await client.say(text, from: "user-\(user)", id: 10_000 + user * 100 + index)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let cases = try await cluster.store.all(CaseRecord.self)
        #expect(Set(cases.map(\.applicant)).count == 8)
        #expect(cases.map(\.id.rawValue).sorted() == (1...8).map { String(format: "WQ2026112300%02d", $0) })
    }

    @Test func twoStaffClaimingAtOnceOnDifferentInstancesOneWins() async throws {
        try await Self.withTwoInstances { a, b in
            _ = try await a.say("人工", from: "user-c", id: 1)
            let id = try await DeskAPITests.firstHandoffID(a)
            async let first = DeskAPITests.call(a, .post, "/api/v1/handoffs/\(id)/claim", token: "token-desk-1")
            async let second = DeskAPITests.call(b, .post, "/api/v1/handoffs/\(id)/claim", token: "token-desk-2")
            let statuses = try await [first.status, second.status].map(\.code).sorted()
            #expect(statuses == [200, 409])
            // Either instance shows the one assignee.
            let shown = try await DeskAPITests.call(b, .get, "/api/v1/handoffs/\(id)")
            #expect(["desk-1", "desk-2"].contains(shown.json["assignee"] as? String ?? ""))
        }
    }

    @Test func aTakeoverOnOneInstanceSilencesTheBotOnTheOther() async throws {
        try await Self.withTwoInstances { a, b in
            _ = try await a.say("你好", from: "user-t", id: 1)
            let taken = try await DeskAPITests.call(b, .post, "/api/v1/conversations/user-t/takeover")
            #expect(taken.status == .ok)
            // The next message reaches the first instance, which reads the conversation fresh: staff own it.
            let (_, body) = try await a.post(Inbound.text("在吗", from: "user-t", id: 2))
            #expect(body == "success")
        }
    }
}
