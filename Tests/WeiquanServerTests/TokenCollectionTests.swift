import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// Tokens in a store's `tokens` collection (how instances on one PostgreSQL database share them), on the
/// in-memory twin.
@Suite struct TokenCollectionTests {
    static let now = TokenRegistryTests.now

    /// The tokens of `store`, as an instance or the CLI sees them.
    func tokens(_ store: any DocumentStore) -> TokenCollection {
        TokenCollection(store: store, coordination: InProcessCoordination(), storeDescription: "memory")
    }

    func create(_ name: String, role: DeskRole = .staff, unit: UnitID? = nil, in store: any DocumentStore)
        async throws -> String
    {
        let secret = TokenRegistry.makeSecret()
        _ = try await TokenAdministration.create(
            name: name, role: role, unit: unit, directory: TokenRegistryTests.directory, in: self.tokens(store),
            now: Self.now, secret: secret
        )
        return secret
    }

    @Test func aCreatedTokenIsAcceptedAndARevokedOneRefusedByEveryInstanceAtItsNextLookup() async throws {
        let store = MemoryDocumentStore()
        let first = TokenRegistry(lookup: self.tokens(store), logger: Logger(label: "test"))
        let second = TokenRegistry(lookup: self.tokens(store), logger: Logger(label: "test"))
        let secret = try await self.create("desk-1", unit: "nanning", in: store)
        let other = try await self.create("desk-2", in: store)
        let holder = StaffIdentity(name: "desk-1", role: .staff, unit: "nanning")
        #expect(await first.identity(bearer: secret) == holder)
        #expect(await second.identity(bearer: secret) == holder)
        #expect(await second.identity(named: "desk-1") == holder)
        _ = try await TokenAdministration.revoke(name: "desk-1", in: self.tokens(store), now: Self.now + 60)
        #expect(await second.identity(bearer: secret) == nil)
        #expect(await first.identity(bearer: secret) == nil)
        #expect(await second.identity(named: "desk-1") == nil)
        #expect(await second.identity(bearer: other)?.name == "desk-2")
        // One document per token, under the hash; the secret is nowhere.
        let stored = try await store.documents(collection: "tokens")
        #expect(Set(stored.map(\.id)) == [TokenRegistry.hash(secret), TokenRegistry.hash(other)])
        #expect(!stored.contains { String(decoding: $0.json, as: UTF8.self).contains(secret) })
    }

    @Test func administrationOnTheStoreKeepsNamesUniqueAndListsOldestFirst() async throws {
        let store = MemoryDocumentStore()
        let tokens = self.tokens(store)
        _ = try await self.create("desk-1", in: store)
        var error = await TokenRegistryTests().administrationError {
            _ = try await self.create("desk-1", role: .admin, in: store)
        }
        #expect(error == .duplicateName("desk-1"))
        error = await TokenRegistryTests().administrationError {
            _ = try await TokenAdministration.revoke(name: "desk-9", in: tokens, now: Self.now)
        }
        #expect(error == .unknownToken("desk-9"))
        _ = try await TokenAdministration.revoke(name: "desk-1", in: tokens, now: Self.now + 1)
        let renewed = try await TokenAdministration.create(
            name: "desk-1", role: .admin, unit: nil, directory: TokenRegistryTests.directory, in: tokens,
            now: Self.now + 2, secret: "wq_renewed"
        )
        let listed = try await TokenAdministration.list(in: tokens)
        #expect(listed.map(\.name) == ["desk-1", "desk-1"])
        #expect(listed.map(\.isActive) == [false, true])
        #expect(listed.last == renewed)
        #expect(tokens.location == "the tokens collection of memory")
    }

    @Test func aStoreErrorRefusesTheTokenAndIsLogged() async throws {
        let log = LogRecorder()
        let store = UnreachableStore()
        let registry = TokenRegistry(lookup: self.tokens(store), logger: log.logger)
        #expect(await registry.identity(bearer: "wq_anything") == nil)
        #expect(await registry.identity(named: "desk-1") == nil)
        let refusals = log.entries("desk token could not be checked; the request is refused")
        #expect(refusals.count == 2)
        #expect(refusals.allSatisfy { $0.level == .error && $0.metadata["error"]?.contains("unavailable") == true })
        // The administration says what failed, and nothing was changed.
        await #expect(throws: StoreError.self) { _ = try await self.create("desk-1", in: store) }
    }

    @Test func aDamagedTokenDocumentIsRefusedAndLogged() async throws {
        let store = MemoryDocumentStore()
        let log = LogRecorder()
        let registry = TokenRegistry(lookup: self.tokens(store), logger: log.logger)
        let misfiled = StoredToken(
            name: "desk-1", role: .admin, unit: nil, hash: TokenRegistry.hash("wq_other"), createdAt: Self.now)
        var future = StoredToken(
            name: "desk-2", role: .admin, unit: nil, hash: TokenRegistry.hash("wq_future"), createdAt: Self.now)
        future.schemaVersion = 2
        try await store.write([
            DocumentChange(collection: "tokens", id: TokenRegistry.hash("wq_broken"), json: Data(#"{"name":1}"#.utf8)),
            DocumentChange(
                collection: "tokens", id: TokenRegistry.hash("wq_misfiled"),
                json: try StoreCoding.encoder.encode(misfiled)),
            try DocumentChange.put(future),
        ])
        #expect(await registry.identity(bearer: "wq_broken") == nil)
        #expect(await registry.identity(bearer: "wq_misfiled") == nil)
        #expect(await registry.identity(bearer: "wq_future") == nil)
        let messages = log.all.compactMap { $0.metadata["error"] }
        #expect(messages.count == 3)
        #expect(messages[0].contains("(corrupt)") && messages[0].contains("is not a valid token"))
        #expect(messages[1].contains("holds the token of another hash"))
        #expect(messages[2].contains("(unsupportedVersion)") && messages[2].contains("schema_version 2"))
    }
}

extension TokenCollectionTests {
    /// Two instances on one store (the in-memory twin standing for PostgreSQL), each with the store's tokens.
    func application(store: any DocumentStore, tokens: any TokenLookup, log: LogRecorder = LogRecorder())
        async throws -> some ApplicationProtocol
    {
        try await WeiquanApplication.build(
            settings: try TestServer.settings(), data: TestServer.data, store: store,
            tokens: TokenRegistry(lookup: tokens, logger: log.logger),
            clock: TestClock(DeskHarness.mondayMorning).function, logger: log.logger
        )
    }

    @Test func aRevocationThroughOneInstanceIsRefusedByTheOtherOverHTTP() async throws {
        let store = MemoryDocumentStore()
        let secret = try await self.create("desk-1", in: store)
        let first = try await self.application(store: store, tokens: self.tokens(store))
        let second = try await self.application(store: store, tokens: self.tokens(store))
        try await first.test(.router) { one in
            try await second.test(.router) { two in
                #expect(try await DeskAPITests.call(one, .get, "/api/v1/handoffs", token: secret).status == .ok)
                #expect(try await DeskAPITests.call(two, .get, "/api/v1/handoffs", token: secret).status == .ok)
                _ = try await TokenAdministration.revoke(name: "desk-1", in: self.tokens(store), now: Self.now)
                let refused = try await DeskAPITests.call(two, .get, "/api/v1/handoffs", token: secret)
                DeskAPITests.expectError(refused, .unauthorized, "unauthorized")
                let alsoRefused = try await DeskAPITests.call(one, .get, "/api/v1/handoffs", token: secret)
                DeskAPITests.expectError(alsoRefused, .unauthorized, "unauthorized")
            }
        }
    }

    @Test func tokensThatCannotBeCheckedAreRefusedOverHTTPAndLogged() async throws {
        let log = LogRecorder()
        let app = try await self.application(
            store: MemoryDocumentStore(), tokens: self.tokens(UnreachableStore()), log: log)
        try await app.test(.router) { client in
            let refused = try await DeskAPITests.call(client, .get, "/api/v1/handoffs", token: "wq_any")
            DeskAPITests.expectError(refused, .unauthorized, "unauthorized")
        }
        #expect(log.entries("desk token could not be checked; the request is refused").count == 1)
    }
}

/// A store whose database cannot be reached: every call throws `.unavailable`.
struct UnreachableStore: DocumentStore {
    static let error = StoreError(code: .unavailable, message: "the database at test cannot be reached")

    func write(_ changes: [DocumentChange]) async throws { throw Self.error }
    func document(collection: String, id: String) async throws -> Data? { throw Self.error }
    func documents(collection: String) async throws -> [(id: String, json: Data)] { throw Self.error }
    func count(collection: String) async throws -> Int { throw Self.error }
    func collections() async throws -> [String] { throw Self.error }
    func checkWritable() async throws { throw Self.error }
}
