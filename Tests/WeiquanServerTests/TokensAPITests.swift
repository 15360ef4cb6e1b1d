import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import WeiquanCore
import WeiquanStore

@testable import WeiquanServer

/// `/api/v1/tokens`: admins list, create and revoke the desk's tokens; nobody else may.
@Suite struct TokensAPITests {
    typealias Reply = DeskAPITests.Reply

    /// The desk's tokens of ``DeskHarness`` in memory, the tokens routes and `/api/v1/me` on them.
    static func withTokens(
        storage: MemoryTokenStorage? = MemoryTokenStorage(Self.seed),
        store: MemoryDocumentStore = MemoryDocumentStore(),
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let harness = try await DeskHarness(store: store)
        let registry = storage.map { TokenRegistry(lookup: $0, logger: Logger(label: "test")) } ?? DeskHarness.tokens
        let router = Router(context: WeiquanRequestContext.self)
        DeskController(desk: harness.desk, tokens: registry).addRoutes(to: router)
        let secrets = Mutex(0)
        TokensController(
            storage: storage, tokens: registry, directory: harness.service.machine.configuration.directory,
            store: store, clock: harness.clock.function,
            makeSecret: { "wq_secret-\(secrets.withLock { $0 += 1; return $0 })" }
        ).addRoutes(to: router)
        try await Application(router: router).test(.router, body)
    }

    static let seed: [StoredToken] = [DeskHarness.staff1, DeskHarness.admin, DeskHarness.volunteer].map { who in
        StoredToken(
            name: who.name, role: who.role, unit: who.unit, hash: TokenRegistry.hash("token-\(who.name)"),
            createdAt: DeskHarness.mondayMorning)
    }

    @Test func adminsCreateListAndRevoke() async throws {
        let store = MemoryDocumentStore()
        try await Self.withTokens(store: store) { client in
            let admin = "token-admin"
            let listed = try await DeskAPITests.call(client, .get, "/api/v1/tokens", token: admin)
            #expect(listed.status == .ok)
            let tokens = try #require(listed.json["tokens"] as? [[String: Any]])
            #expect(tokens.map { $0["name"] as? String } == ["desk-1", "admin", "vol-1"])
            #expect(Set(tokens[0].keys) == ["name", "role", "specialties", "regions", "created_at", "active"])
            #expect(!listed.body.contains(TokenRegistry.hash("token-desk-1")))

            let created = try await DeskAPITests.call(
                client, .post, "/api/v1/tokens", token: admin,
                body:
                    #"{"name": "南宁-志愿者.2", "role": "volunteer", "specialties": ["trademark"], "regions": ["nanning"]}"#
            )
            #expect(created.status == .created && created.headers[.location] == "/api/v1/tokens")
            #expect(created.json["secret"] as? String == "wq_secret-1" && created.json["active"] as? Bool == true)
            #expect(created.json["specialties"] as? [String] == ["trademark"])
            #expect(created.json["regions"] as? [String] == ["nanning"] && created.json["hash"] == nil)
            let me = try await DeskAPITests.call(client, .get, "/api/v1/me", token: "wq_secret-1")
            #expect(me.status == .ok && me.json["role"] as? String == "volunteer")
            let again = try await DeskAPITests.call(client, .get, "/api/v1/tokens", token: admin)
            #expect((again.json["tokens"] as? [[String: Any]])?.count == 4)
            #expect(!again.body.contains("wq_secret-1"), "the secret is shown once")

            let staff = try await DeskAPITests.call(
                client, .post, "/api/v1/tokens", token: admin,
                body: #"{"name": "liuzhou-2", "role": "staff", "unit": "liuzhou"}"#)
            #expect(staff.status == .created && staff.json["unit"] as? String == "liuzhou")

            let name = try #require("南宁-志愿者.2".addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let revoked = try await DeskAPITests.call(client, .post, "/api/v1/tokens/\(name)/revoke", token: admin)
            #expect(revoked.status == .ok && revoked.json["active"] as? Bool == false)
            #expect(revoked.json["revoked_at"] as? String == "2026-11-23T02:00:00Z")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .get, "/api/v1/me", token: "wq_secret-1"), .unauthorized,
                "unauthorized")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .post, "/api/v1/tokens/\(name)/revoke", token: admin), .notFound,
                "not_found")

            let link = try await DeskAPITests.call(client, .post, "/api/v1/tokens/liuzhou-2/sign-in-link", token: admin)
            #expect(link.status == .created && link.json["path"] as? String == "/console/sign-in/link#wq_secret-3")
            #expect(link.json["expires_at"] as? String == "2026-11-23T02:15:00Z")
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .post, "/api/v1/tokens/\(name)/sign-in-link", token: admin),
                .notFound, "not_found")
        }
        let audits = try await store.all(AuditEvent.self).filter { $0.action.rawValue.hasPrefix("token_") }
        #expect(
            audits.map(\.action).sorted { $0.rawValue < $1.rawValue } == [
                .tokenCreated, .tokenCreated, .tokenLinkIssued, .tokenRevoked,
            ])
        #expect(audits.allSatisfy { $0.actor == "admin" && $0.detail?.hasPrefix("token=") == true })
    }

    @Test func refusalsSayWhy() async throws {
        try await Self.withTokens { client in
            let admin = "token-admin"
            func create(_ body: String) async throws -> Reply {
                try await DeskAPITests.call(client, .post, "/api/v1/tokens", token: admin, body: body)
            }
            DeskAPITests.expectError(
                try await create(#"{"name": "desk-1", "role": "staff"}"#), .conflict, "duplicate_name")
            DeskAPITests.expectError(
                try await create(#"{"name": "a b", "role": "staff"}"#), .unprocessableContent, "invalid_name")
            DeskAPITests.expectError(
                try await create(#"{"name": "x", "role": "boss"}"#), .unprocessableContent, "invalid_role")
            DeskAPITests.expectError(
                try await create(#"{"name": "x", "role": "staff", "unit": "atlantis"}"#), .unprocessableContent,
                "unknown_unit")
            DeskAPITests.expectError(
                try await create(#"{"name": "x", "role": "volunteer", "specialties": ["poetry"]}"#),
                .unprocessableContent, "unknown_specialty")
            DeskAPITests.expectError(try await create(#"{"role": "staff"}"#), .badRequest, "bad_request")
            let listed = try await DeskAPITests.call(client, .get, "/api/v1/tokens", token: admin)
            #expect((listed.json["tokens"] as? [[String: Any]])?.count == 3, "nothing was created")
        }
    }

    @Test func onlyAdminsMayTouchTokens() async throws {
        try await Self.withTokens { client in
            for token in ["token-desk-1", "token-vol-1"] {
                DeskAPITests.expectError(
                    try await DeskAPITests.call(client, .get, "/api/v1/tokens", token: token), .forbidden,
                    "forbidden_role")
                DeskAPITests.expectError(
                    try await DeskAPITests.call(
                        client, .post, "/api/v1/tokens", token: token, body: #"{"name": "mine", "role": "admin"}"#),
                    .forbidden, "forbidden_role")
                DeskAPITests.expectError(
                    try await DeskAPITests.call(client, .post, "/api/v1/tokens/admin/revoke", token: token),
                    .forbidden, "forbidden_role")
            }
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .get, "/api/v1/tokens", token: nil), .unauthorized, "unauthorized")
            let me = try await DeskAPITests.call(client, .get, "/api/v1/me", token: "token-admin")
            #expect(me.status == .ok, "nobody revoked the admin")
        }
    }

    @Test func withoutAStorageTheRoutesAreUnavailable() async throws {
        try await Self.withTokens(storage: nil) { client in
            DeskAPITests.expectError(
                try await DeskAPITests.call(client, .get, "/api/v1/tokens", token: "token-admin"), .serviceUnavailable,
                "unavailable")
        }
    }
}
