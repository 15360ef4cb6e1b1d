import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import WeiquanCore
import WeiquanStore

import WeiquanFiles
import WeiquanRegistry
@testable import WeiquanServer

/// `GET /api/v1/openapi.json`: served without a token as JSON, and its `paths` are exactly the desk's routes.
///
/// The routes are read from a router that ``DeskController``, ``CasesController``, ``EvidenceController``,
/// ``ReportsController``, ``PrivacyController``, ``KnowledgeController``, ``TokensController``, ``PracticeController`` and ``OpenAPIController`` registered on, so a route added to one of them without its entry
/// in `Resources/openapi.json` (or an entry left behind) fails here. A new controller under `/api/v1` has to be
/// added to ``registeredRoutes()``.
/// `scripts/api-contract-test.sh` checks the answers against the document on a running server.
@Suite struct OpenAPIDocumentTests {
    /// The document as the application serves it, parsed.
    static func served() async throws -> [String: Any] {
        let app = try await DeskAPITests.application()
        return try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
                return try #require(object as? [String: Any])
            }
        }
    }

    /// The `method path` pairs the desk's controllers register, paths relative to `/api/v1` as in the document.
    static func registeredRoutes() async throws -> Set<String> {
        let harness = try await DeskHarness()
        let router = Router(context: WeiquanRequestContext.self)
        DeskController(desk: harness.desk, tokens: DeskHarness.tokens).addRoutes(to: router)
        let cases = CaseService(service: harness.service, logger: Logger(label: "test"))
        CasesController(cases: cases, tokens: DeskHarness.tokens).addRoutes(to: router)
        EvidenceController(cases: cases, blobs: MemoryBlobStore(), tokens: DeskHarness.tokens).addRoutes(to: router)
        ReportsController(service: harness.service, tokens: DeskHarness.tokens).addRoutes(to: router)
        let privacy = PrivacyService(service: harness.service, blobs: MemoryBlobStore(), logger: Logger(label: "test"))
        PrivacyController(privacy: privacy, tokens: DeskHarness.tokens).addRoutes(to: router)
        let questions = QuestionService(service: harness.service, redact: QuestionService.withholdingReplies)
        QuestionsController(questions: questions, tokens: DeskHarness.tokens).addRoutes(to: router)
        OpenAPIController().addRoutes(to: router)
        TokensController(
            storage: nil, tokens: DeskHarness.tokens, directory: harness.service.machine.configuration.directory,
            store: harness.store
        ).addRoutes(to: router)
        PracticeController(
            practice: PracticeService(service: harness.service, clock: { Date() }), tokens: DeskHarness.tokens
        )
        .addRoutes(to: router)
        DeskEventsController(
            changes: harness.service.handoffs.changes, tokens: DeskHarness.tokens, clock: ContinuousClock()
        )
        .addRoutes(to: router)
        RepliesController(replies: [], tokens: DeskHarness.tokens).addRoutes(to: router)
        let registry = LiveRegistry(
            shelf: RegistryDocuments(store: MemoryDocumentStore(), blobs: MemoryBlobStore()),
            fallback: TestServer.data.registry, fallbackIsDemo: true, logger: Logger(label: "test"))
        RegistryController(
            registry: registry, staleDays: 60, today: { CalendarDay(dayNumber: 20_000) }, tokens: DeskHarness.tokens
        )
        .addRoutes(to: router)
        let knowledge = try await KnowledgeBase(store: harness.store)
        KnowledgeController(service: KnowledgeService(knowledge: knowledge), tokens: DeskHarness.tokens)
            .addRoutes(to: router)
        let prefix = "/api/v1"
        return Set(
            router.routes.map { route in
                let path = "\(route.path)"
                #expect(path.hasPrefix(prefix + "/"), "\(route) is outside \(prefix)")
                return "\(route.method.rawValue.lowercased()) \(path.dropFirst(prefix.count))"
            }
        )
    }

    @Test func servedWithoutATokenAsOpenAPI31() async throws {
        let document = try await Self.served()
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        let servers = try #require(document["servers"] as? [[String: Any]])
        #expect(servers.first?["url"] as? String == "/api/v1")
        let schemes = (document["components"] as? [String: Any])?["securitySchemes"] as? [String: Any]
        let bearer = try #require(schemes?["bearer"] as? [String: Any])
        #expect(bearer["scheme"] as? String == "bearer")
    }

    @Test func pathsAreExactlyTheRegisteredRoutes() async throws {
        let document = try await Self.served()
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        let documented = Set(
            paths.flatMap { path, item in item.keys.filter(methods.contains).map { "\($0) \(path)" } }
        )
        let registered = try await Self.registeredRoutes()
        #expect(registered.count >= 20)
        #expect(registered.subtracting(documented).isEmpty, "routes without an entry in the document")
        #expect(documented.subtracting(registered).isEmpty, "entries in the document without a route")
    }
}
