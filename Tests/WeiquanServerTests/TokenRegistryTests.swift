import Foundation
import Logging
import Synchronization
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore
import WeiquanTestSupport

@Suite struct TokenRegistryTests {
    static let directory = OrgDirectory(
        regions: [Region(name: "南宁市")],
        units: [
            OrgUnit(id: "centre", name: "中心", level: .centre),
            OrgUnit(id: "nanning", name: "南宁分中心", level: .subCentre, regions: ["南宁市"], parent: "centre"),
        ]
    )

    static let now = Date(timeIntervalSince1970: 1_795_222_800)

    /// A tokens file in a fresh temporary directory, removed afterwards.
    func withTokenFile<T>(_ body: (TokenFile) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "weiquan-tokens-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(TokenFile(directory: directory))
    }

    func create(
        _ name: String, role: DeskRole = .staff, unit: UnitID? = nil, in file: any TokenStorage, secret: String? = nil
    ) async throws -> String {
        let secret = secret ?? TokenRegistry.makeSecret()
        _ = try await TokenAdministration.create(
            name: name, role: role, unit: unit, directory: Self.directory, in: file, now: Self.now, secret: secret
        )
        return secret
    }

    /// Runs `body` and returns the `TokenAdministrationError` it threw.
    func administrationError(
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async -> TokenAdministrationError? {
        do {
            try await body()
            Issue.record("expected a TokenAdministrationError, nothing was thrown", sourceLocation: sourceLocation)
        } catch let error as TokenAdministrationError {
            return error
        } catch {
            Issue.record("expected a TokenAdministrationError, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    @Test func aCreatedTokenIdentifiesItsHolder() async throws {
        try await self.withTokenFile { file in
            let secret = try await self.create("desk-1", role: .staff, unit: "nanning", in: file)
            let admin = try await self.create("主任", role: .admin, in: file)
            let registry = TokenRegistry(file: file, logger: Logger(label: "test"))
            #expect(
                await registry.identity(bearer: secret) == StaffIdentity(name: "desk-1", role: .staff, unit: "nanning"))
            #expect(await registry.identity(bearer: admin) == StaffIdentity(name: "主任", role: .admin, unit: nil))
            #expect(await registry.identity(named: "desk-1")?.unit == "nanning")
            #expect(await registry.identity(named: "desk-2") == nil)
        }
    }

    @Test func aWrongTokenIsNobody() async throws {
        try await self.withTokenFile { file in
            let secret = try await self.create("desk-1", in: file)
            let registry = TokenRegistry(file: file, logger: Logger(label: "test"))
            #expect(await registry.identity(bearer: secret + "x") == nil)
            #expect(await registry.identity(bearer: String(secret.dropLast())) == nil)
            #expect(await registry.identity(bearer: "") == nil)
            #expect(await registry.identity(bearer: TokenRegistry.hash(secret)) == nil)
        }
    }

    @Test func aRevocationTakesEffectOnTheNextLookup() async throws {
        try await self.withTokenFile { file in
            let secret = try await self.create("desk-1", unit: "nanning", in: file)
            let other = try await self.create("desk-2", in: file)
            let registry = TokenRegistry(file: file, logger: Logger(label: "test"))
            #expect(await registry.identity(bearer: secret)?.name == "desk-1")
            let revoked = try await TokenAdministration.revoke(name: "desk-1", in: file, now: Self.now + 60)
            #expect(revoked.revokedAt == Self.now + 60)
            #expect(await registry.identity(bearer: secret) == nil)
            #expect(await registry.identity(named: "desk-1") == nil)
            #expect(await registry.identity(bearer: other)?.name == "desk-2")
            // Revoked twice: there is no active token by that name any more.
            #expect(
                await self.administrationError {
                    _ = try await TokenAdministration.revoke(name: "desk-1", in: file, now: Self.now)
                }
                    == .unknownToken("desk-1"))
            // The name is free again, for a new secret.
            let renewed = try await self.create("desk-1", in: file)
            #expect(await registry.identity(bearer: renewed)?.name == "desk-1")
            #expect(await registry.identity(bearer: secret) == nil)
            #expect(try await TokenAdministration.list(in: file).map(\.name) == ["desk-1", "desk-2", "desk-1"])
        }
    }

    @Test func aTokenCreatedAfterTheRegistryIsFound() async throws {
        try await self.withTokenFile { file in
            let registry = TokenRegistry(file: file, logger: Logger(label: "test"))
            #expect(await registry.identity(named: "desk-1") == nil)
            let secret = try await self.create("desk-1", role: .volunteer, in: file)
            #expect(
                await registry.identity(bearer: secret) == StaffIdentity(name: "desk-1", role: .volunteer, unit: nil))
        }
    }

    @Test func anUnreadableNewFileKeepsThePreviousTokensAndIsLoggedOnce() async throws {
        try await self.withTokenFile { file in
            let secret = try await self.create("desk-1", in: file)
            let log = LogRecorder()
            let registry = TokenRegistry(file: file, logger: log.logger)
            #expect(await registry.identity(bearer: secret)?.name == "desk-1")
            try Data("[{".utf8).write(to: file.url)
            #expect(await registry.identity(bearer: secret)?.name == "desk-1")
            #expect(await registry.identity(bearer: secret)?.name == "desk-1")
            #expect(await registry.identity(named: "desk-1")?.name == "desk-1")
            #expect(log.all.count == 1)
            #expect(
                log.all.first.map { ([$0.message] + $0.metadata.values).joined(separator: " ") }?.contains(
                    file.url.path) == true)
            // A missing file is no tokens at all.
            try FileManager.default.removeItem(at: file.url)
            #expect(await registry.identity(bearer: secret) == nil)
            #expect(log.all.count == 1)
        }
    }

    @Test func anUnreadableFileAtStartIsLoggedAndAcceptsNobody() async throws {
        try await self.withTokenFile { file in
            let secret = try await self.create("desk-1", in: file)
            try Data("{}".utf8).write(to: file.url)
            let log = LogRecorder()
            let registry = TokenRegistry(file: file, logger: log.logger)
            #expect(await registry.identity(bearer: secret) == nil)
            #expect(log.all.count == 1)
        }
    }

    @Test func aDuplicateNameIsRefused() async throws {
        try await self.withTokenFile { file in
            _ = try await self.create("desk-1", in: file)
            let error = await self.administrationError { _ = try await self.create("desk-1", role: .admin, in: file) }
            #expect(error == .duplicateName("desk-1"))
            #expect(error?.description.contains("desk-1") == true)
            #expect(try await TokenAdministration.list(in: file).count == 1)
        }
    }

    @Test func anUnknownUnitIsRefused() async throws {
        try await self.withTokenFile { file in
            let error = await self.administrationError { _ = try await self.create("desk-1", unit: "guilin", in: file) }
            #expect(error == .unknownUnit("guilin", known: ["centre", "nanning"]))
            #expect(error?.description.contains("centre, nanning") == true)
            let tokens = try await TokenAdministration.list(in: file)
            #expect(tokens.isEmpty)
        }
    }

    @Test(arguments: ["", " desk", "desk 1", "desk\t1", "a/b", String(repeating: "x", count: 65)])
    func anInvalidNameIsRefused(name: String) async throws {
        try await self.withTokenFile { file in
            #expect(await self.administrationError { _ = try await self.create(name, in: file) } == .invalidName(name))
        }
    }

    @Test(arguments: ["desk-1", "南宁_值班.2", "A", String(repeating: "x", count: 64)])
    func aValidNameIsAccepted(name: String) async throws {
        try await self.withTokenFile { file in
            let secret = try await self.create(name, in: file)
            #expect(
                await TokenRegistry(tokens: try await TokenAdministration.list(in: file)).identity(bearer: secret)?.name
                    == name)
        }
    }

    @Test func theHashIsLowercaseHexSHA256() {
        #expect(TokenRegistry.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(TokenRegistry.hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func secretsAreWellFormed() {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        let secret = TokenRegistry.makeSecret(using: &first)
        #expect(secret == TokenRegistry.makeSecret(using: &second))
        #expect(secret.count == 46)
        #expect(secret.hasPrefix("wq_"))
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(secret.dropFirst(3).allSatisfy(alphabet.contains))
        #expect(TokenRegistry.makeSecret(using: &first) != secret)
        let system = TokenRegistry.makeSecret()
        #expect(system.count == 46)
        #expect(system != TokenRegistry.makeSecret())
    }

    @Test func theFileNeverHoldsTheSecret() async throws {
        try await self.withTokenFile { file in
            let secret = try await self.create("desk-1", unit: "nanning", in: file)
            _ = try await TokenAdministration.revoke(name: "desk-1", in: file, now: Self.now)
            let text = String(decoding: try Data(contentsOf: file.url), as: UTF8.self)
            #expect(!text.contains(secret))
            #expect(!text.contains(String(secret.dropFirst(3))))
            #expect(text.contains(TokenRegistry.hash(secret)))
        }
    }

    @Test func fixedTokensIgnoreRevokedOnes() async {
        let registry = TokenRegistry(tokens: [
            StoredToken(
                name: "old", role: .staff, unit: nil, hash: TokenRegistry.hash("wq_old"), createdAt: Self.now,
                revokedAt: Self.now),
            StoredToken(name: "new", role: .admin, unit: nil, hash: TokenRegistry.hash("wq_new"), createdAt: Self.now),
        ])
        #expect(await registry.identity(bearer: "wq_old") == nil)
        #expect(await registry.identity(named: "old") == nil)
        #expect(await registry.identity(bearer: "wq_new")?.role == .admin)
    }
}
