import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceLifecycle
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanPostgres
import WeiquanServer
import WeiquanStore
import WeiquanTestSupport

/// Two instances of the whole application on one store, over real sockets: what must hold across instances. Each
/// test runs twice: on ``ClusterTwin`` (a shared in-memory store that enforces create-only writes, one lock per key,
/// word of each other's writes) and on PostgreSQL (two `PostgresDatabase`s on one fresh database, each with its
/// `PostgresDocumentStore` and `PostgresCoordination`), skipped without a test server.
@Suite struct ConversationClusterTests {
    /// Where the two instances keep their state.
    enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case twin
        case postgres

        var testDescription: String { self.rawValue }

        /// The backends this run can use: PostgreSQL only with a test server (or when one is required).
        static var available: [Backend] { TestPostgres.shouldRun ? [.twin, .postgres] : [.twin] }
    }

    /// An aid request from the first message to the confirmation of its summary.
    static let aidRequest = WebhookRouteTests.aidAnswers + ["1"]

    /// Two live applications on one `backend`; `body` gets a client for each and the store they share. `seed` writes
    /// what the test needs to the store before the instances start.
    static func withTwoInstances(
        on backend: Backend, seed: @escaping @Sendable (any DocumentStore) async throws -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol) async throws -> Void
    ) async throws -> any DocumentStore {
        switch backend {
        case .twin:
            let cluster = ClusterTwin()
            try await seed(cluster.store)
            try await Self.withInstances(
                (cluster.member("a").store, cluster.member("a").coordination, []),
                (cluster.member("b").store, cluster.member("b").coordination, []), body)
            return cluster.store
        case .postgres:
            return try await TestPostgres.withDatabase { url in
                let a = TestPostgres.database(
                    url: url, instanceID: "a", connections: 4, lockConnections: 8)
                let b = TestPostgres.database(
                    url: url, instanceID: "b", connections: 4, lockConnections: 8)
                try await a.withRunning {
                    try await b.withRunning {
                        let storeA = PostgresDocumentStore(database: a)
                        try await storeA.migrate()
                        try await seed(storeA)
                        let coordinationA = PostgresCoordination(database: a)
                        let coordinationB = PostgresCoordination(database: b)
                        try await Self.withInstances(
                            (storeA, coordinationA, [coordinationA]),
                            (PostgresDocumentStore(database: b), coordinationB, [coordinationB]), body)
                    }
                }
                // What the test reads afterwards: a store on a database of its own, running until the caller is done.
                return try await Self.snapshot(of: url)
            }
        }
    }

    /// Two applications, live, on the given stores and coordinations (with the services these need running).
    private static func withInstances(
        _ first: (any DocumentStore, any Coordination, [any Service]),
        _ second: (any DocumentStore, any Coordination, [any Service]),
        _ body: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol) async throws -> Void
    ) async throws {
        let clock = TestClock(DeskHarness.mondayMorning)
        func build(_ instance: (any DocumentStore, any Coordination, [any Service])) async throws
            -> some ApplicationProtocol
        {
            try await WeiquanApplication.build(
                settings: try TestServer.settings(port: 0), data: TestServer.data, store: instance.0,
                tokens: DeskHarness.tokens, coordination: instance.1, backing: instance.2, clock: clock.function
            )
        }
        let a = try await build(first)
        let b = try await build(second)
        try await a.test(.live) { clientA in
            try await b.test(.live) { clientB in try await body(clientA, clientB) }
        }
    }

    /// Every document of the database at `url`, copied into memory before the database is dropped.
    private static func snapshot(of url: PostgresStoreURL) async throws -> any DocumentStore {
        let database = TestPostgres.database(url: url)
        return try await database.withRunning {
            let source = PostgresDocumentStore(database: database)
            let copy = MemoryDocumentStore()
            for collection in try await source.collections() {
                let documents = try await source.documents(collection: collection)
                try await copy.write(documents.map { DocumentChange(collection: collection, id: $0.id, json: $0.json) })
            }
            return copy
        }
    }

    @Test(arguments: Backend.available)
    func oneApplicantsMessagesAlternatingBetweenInstancesRunInOrder(_ backend: Backend) async throws {
        let store = try await Self.withTwoInstances(on: backend) { a, b in
            var last = ""
            for (index, text) in Self.aidRequest.enumerated() {
                last = try await (index % 2 == 0 ? a : b).say(text, from: "user-x", id: 100 + index)
            }
            #expect(last.contains("WQ20261123"))
        }
        let cases = try await store.all(CaseRecord.self)
        #expect(cases.map(\.id.rawValue) == ["WQ202611230001"])
        #expect(cases.first?.applicant == "user-x")
    }

    @Test(arguments: Backend.available)
    func aRetryOnTheOtherInstanceGetsTheSameBytesAndFilesNothingTwice(_ backend: Backend) async throws {
        let store = try await Self.withTwoInstances(on: backend) { a, b in
            let answers = Self.aidRequest
            for (index, text) in answers.dropLast().enumerated() {
                _ = try await a.say(text, from: "user-r", id: 200 + index)
            }
            let last = Inbound.text(answers[answers.count - 1], from: "user-r", id: 299)
            let (_, first) = try await a.post(last)
            let (_, retry) = try await b.post(last)
            #expect(ReplyXML.content(first).contains("WQ20261123"))
            #expect(retry == first)
            // The instance that answered keeps only that it did: its text is read back from the retry record.
            let (_, again) = try await a.post(last)
            #expect(again == first)
        }
        #expect(try await store.count(CaseRecord.self) == 1)
    }

    @Test(arguments: Backend.available)
    func applicantsFilingAtOnceOnTwoInstancesGetGapFreeNumbers(_ backend: Backend) async throws {
        let store = try await Self.withTwoInstances(on: backend) { a, b in
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
        let cases = try await store.all(CaseRecord.self)
        #expect(Set(cases.map(\.applicant)).count == 8)
        #expect(cases.map(\.id.rawValue).sorted() == (1...8).map { String(format: "WQ2026112300%02d", $0) })
    }

    @Test(arguments: Backend.available)
    func twoStaffClaimingAtOnceOnDifferentInstancesOneWins(_ backend: Backend) async throws {
        _ = try await Self.withTwoInstances(on: backend) { a, b in
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

    @Test(arguments: Backend.available)
    func aTakeoverOnOneInstanceSilencesTheBotOnTheOther(_ backend: Backend) async throws {
        _ = try await Self.withTwoInstances(on: backend) { a, b in
            _ = try await a.say("你好", from: "user-t", id: 1)
            let taken = try await DeskAPITests.call(b, .post, "/api/v1/conversations/user-t/takeover")
            #expect(taken.status == .ok)
            // The next message reaches the first instance, which reads the conversation fresh: staff own it.
            let (_, body) = try await a.post(Inbound.text("在吗", from: "user-t", id: 2))
            #expect(body == "success")
        }
    }

    @Test(arguments: Backend.available)
    func aCaseIsWorkedFromBothInstancesOnFreshData(_ backend: Backend) async throws {
        let store = try await Self.withTwoInstances(on: backend) { a, b in
            let id = try await CasesAPITests.file(a, user: "user-k", first: 500)
            #expect(try await CasesAPITests.transition(b, id, #"{"action":"accept"}"#).status == .ok)
            // The other instance reads the case fresh under the applicant's lock: accepting again is refused.
            let again = try await CasesAPITests.transition(a, id, #"{"action":"accept"}"#)
            #expect(again.status == .conflict)
            let concluded = try await CasesAPITests.transition(
                a, id, #"{"action":"conclude","outcome":{"kind":"mediated"}}"#)
            #expect(concluded.status == .ok)
        }
        let record = try #require(try await store.all(CaseRecord.self).first)
        #expect(record.status == .concluded && record.timeline.map(\.action) == [.accepted, .concluded])
        let notices = try await store.all(OutboxMessage.self).filter { $0.applicant == "user-k" }.map(\.content)
        #expect(notices.count == 2 && notices.last?.contains("已结案") == true)
    }
}
