import Dispatch
import Foundation
import Synchronization
import Testing
import WeiquanCore

@testable import WeiquanServer

@Suite struct TokenFileTests {
    /// A fresh directory under the system's temporary directory, removed afterwards.
    private func withTemporaryDirectory(_ body: (URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("weiquan-token-file-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory)
    }

    /// A file's bytes.
    private func bytes(of url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// A date with whole milliseconds, which survives the store's date format unchanged.
    private func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// A token with a made-up hash (this module has no crypto; the hash is whatever the caller gives).
    func token(
        _ name: String, role: DeskRole = .staff, unit: UnitID? = "nanning", at milliseconds: Int64 = 1_795_222_800_000
    ) -> StoredToken {
        StoredToken(
            name: name, role: role, unit: unit, hash: String(repeating: "ab", count: 32), createdAt: date(milliseconds)
        )
    }

    /// Runs `body` and returns the `TokenFileError` it threw.
    func tokenFileError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> TokenFileError?
    {
        do {
            try body()
            Issue.record("expected a TokenFileError, nothing was thrown", sourceLocation: sourceLocation)
        } catch let error as TokenFileError {
            return error
        } catch {
            Issue.record("expected a TokenFileError, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    @Test func aMissingFileMeansNoTokens() async throws {
        try await withTemporaryDirectory { directory in
            let file = TokenFile(directory: directory.appendingPathComponent("not-yet"))
            let tokens = try file.load()
            #expect(tokens.isEmpty)
            #expect(file.signature() == nil)
            #expect(file.url.lastPathComponent == "tokens.json")
        }
    }

    @Test func updateThenLoadRoundTrips() async throws {
        try await withTemporaryDirectory { directory in
            let file = TokenFile(directory: directory.appendingPathComponent("data"))
            var first = self.token("desk-1")
            let second = self.token("南宁-值班", role: .admin, unit: nil, at: 1_795_222_900_250)
            let count = try file.update { tokens in
                tokens.append(first)
                tokens.append(second)
                return tokens.count
            }
            #expect(count == 2)
            #expect(try file.load() == [first, second])
            try file.update { tokens in tokens[0].revokedAt = date(1_795_223_000_500) }
            first.revokedAt = date(1_795_223_000_500)
            #expect(try file.load() == [first, second])
            #expect(try file.load().map(\.isActive) == [false, true])
        }
    }

    @Test func theFileIsReadableJSONWithOnlyWhatWasGiven() async throws {
        try await withTemporaryDirectory { directory in
            let file = TokenFile(directory: directory)
            let secret = "wq_the-secret-never-reaches-the-file"
            try file.update { tokens in
                tokens.append(self.token("desk-1"))
                tokens.append(
                    StoredToken(
                        name: "vol", role: .volunteer, unit: nil, hash: "00ff", createdAt: date(0),
                        revokedAt: date(1_000)))
            }
            let text = String(decoding: try bytes(of: file.url), as: UTF8.self)
            #expect(!text.contains(secret))
            #expect(text.split(separator: "\n").count == 4)  // "[", one line per token, "]"
            let array = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            #expect(array.count == 2)
            #expect(Set(array[0].keys) == ["schema_version", "name", "role", "unit", "hash", "created_at"])
            #expect(Set(array[1].keys) == ["schema_version", "name", "role", "hash", "created_at", "revoked_at"])
            #expect(array[0]["created_at"] as? String == "2026-11-21T01:00:00.000Z")
            #expect(array[0]["hash"] as? String == String(repeating: "ab", count: 32))
            #expect(array[0]["schema_version"] as? Int == 1)
            #expect(array[1]["role"] as? String == "volunteer")
            #expect(array[1]["revoked_at"] as? String == "1970-01-01T00:00:01.000Z")
        }
    }

    @Test(arguments: [
        ("{\"tokens\": []}", "the file"),
        ("[{\"name\": \"x\"", "not JSON"),
        ("", "not JSON"),
        (
            #"[{"schema_version":1,"name":"a","role":"root","hash":"00","created_at":"2026-11-21T01:00:00Z"}]"#,
            "token 1, \"role\""
        ),
        (
            #"[{"schema_version":1,"name":"a","role":"staff","created_at":"2026-11-21T01:00:00Z"}]"#,
            "token 1 lacks \"hash\""
        ),
        (
            #"[{"schema_version":1,"name":"a","role":"staff","hash":"00","created_at":"yesterday"}]"#,
            "token 1, \"created_at\""
        ),
    ])
    func aCorruptFileGivesATypedErrorNamingThePath(content: String, detail: String) async throws {
        try await withTemporaryDirectory { directory in
            let file = TokenFile(directory: directory)
            try Data(content.utf8).write(to: file.url)
            let error = try #require(self.tokenFileError { _ = try file.load() })
            #expect(error.code == .corrupt)
            #expect(error.path == file.url.path)
            #expect(error.message.contains(file.url.path))
            #expect(error.message.contains(detail), "\(error.message)")
            #expect(error.description.hasPrefix("token file error (corrupt): "))
            // A writer refuses too, and leaves the file as it was.
            #expect(self.tokenFileError { try file.update { $0.append(self.token("desk-2")) } }?.code == .corrupt)
            #expect(String(decoding: try bytes(of: file.url), as: UTF8.self) == content)
        }
    }

    @Test func twoActiveTokensWithOneNameAreCorrupt() async throws {
        try await withTemporaryDirectory { directory in
            let file = TokenFile(directory: directory)
            var revoked = self.token("desk-1")
            revoked.revokedAt = date(5)
            try Data(try TokenFile.encode([revoked, self.token("desk-1")])).write(to: file.url)
            #expect(try file.load().count == 2)
            try Data(try TokenFile.encode([self.token("desk-1"), self.token("desk-1")])).write(to: file.url)
            let error = try #require(self.tokenFileError { _ = try file.load() })
            #expect(error.code == .corrupt)
            #expect(error.message.contains("two active tokens are named desk-1"))
        }
    }

    @Test func aNewerSchemaVersionIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let file = TokenFile(directory: directory)
            var token = self.token("desk-1")
            token.schemaVersion = 2
            try Data(try TokenFile.encode([token])).write(to: file.url)
            let error = try #require(self.tokenFileError { _ = try file.load() })
            #expect(error.code == .unsupportedVersion)
            #expect(error.message.contains(file.url.path))
        }
    }

    @Test func concurrentUpdatesLoseNothing() async throws {
        try await withTemporaryDirectory { directory in
            let file = TokenFile(directory: directory.appendingPathComponent("data"))
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 8) { worker in
                for index in 0..<25 {
                    do {
                        try file.update { tokens in tokens.append(self.token("w\(worker)-\(index)")) }
                    } catch {
                        failures.record("\(error)")
                    }
                }
            }
            #expect(failures.all.isEmpty)
            let names = try file.load().map(\.name)
            #expect(names.count == 200)
            #expect(Set(names).count == 200)
            for worker in 0..<8 {
                // Each worker's appends are in its own order.
                #expect(names.filter { $0.hasPrefix("w\(worker)-") } == (0..<25).map { "w\(worker)-\($0)" })
            }
        }
    }

    @Test func theSignatureChangesWithEveryUpdate() async throws {
        try await withTemporaryDirectory { directory in
            let file = TokenFile(directory: directory)
            #expect(file.signature() == nil)
            try file.update { $0.append(self.token("desk-1")) }
            let first = try #require(file.signature())
            #expect(file.signature() == first)
            try file.update { $0[0].revokedAt = date(7) }
            let second = try #require(file.signature())
            #expect(second != first)
            try file.update { $0.append(self.token("desk-2")) }
            #expect(file.signature() != second)
        }
    }

    @Test func anUpdateThatChangesNothingOrThrowsWritesNothing() async throws {
        try await withTemporaryDirectory { directory in
            let file = TokenFile(directory: directory)
            try file.update { $0.append(self.token("desk-1")) }
            let signature = file.signature()
            let count = try file.update { $0.count }
            #expect(count == 1)
            #expect(file.signature() == signature)
            struct Refused: Error {}
            #expect(throws: Refused.self) {
                try file.update { tokens in
                    tokens.append(self.token("desk-2"))
                    throw Refused()
                }
            }
            #expect(file.signature() == signature)
            #expect(try file.load().map(\.name) == ["desk-1"])
        }
    }

    @Test func filesThatCannotBeWrittenGiveAnIOErrorNamingThem() async throws {
        try await withTemporaryDirectory { directory in
            // The data directory is a file: it cannot be created, nor can a lock be taken in it.
            let occupied = directory.appendingPathComponent("occupied")
            try Data("x".utf8).write(to: occupied)
            let inside = TokenFile(directory: occupied.appendingPathComponent("data"))
            let created = try #require(self.tokenFileError { try inside.update { $0.append(self.token("desk-1")) } })
            #expect(created.code == .io)
            #expect(
                created.message.contains("cannot create the data directory \(occupied.path)/data"), "\(created.message)"
            )
            let lockPath = occupied.appendingPathComponent("tokens.lock").path
            let locked = try #require(
                self.tokenFileError { try TokenFile(directory: occupied).update { $0.append(self.token("desk-1")) } }
            )
            #expect(locked.code == .io)
            #expect(locked.path == lockPath)
            #expect(locked.message.hasPrefix("open failed for \(lockPath): "), "\(locked.message)")
            // The temporary's name is taken by a directory: the file stays as it was.
            let file = TokenFile(directory: directory)
            try file.update { $0.append(self.token("desk-1")) }
            let signature = file.signature()
            let temporary = directory.appendingPathComponent("tokens.json.tmp")
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: false)
            let written = try #require(self.tokenFileError { try file.update { $0.append(self.token("desk-2")) } })
            #expect(written.code == .io)
            #expect(written.path == temporary.path)
            #expect(written.message.contains(temporary.path))
            #expect(written.description.hasPrefix("token file error (io): "))
            #expect(file.signature() == signature)
            #expect(try file.load().map(\.name) == ["desk-1"])
        }
    }

    @Test func theFilesAreReadableByTheOwnerOnly() async throws {
        try await withTemporaryDirectory { directory in
            let file = TokenFile(directory: directory)
            // A leftover temporary with a wider mode does not pass it on.
            try Data("junk".utf8).write(to: directory.appendingPathComponent("tokens.json.tmp"))
            try FileManager.default.setAttributes(
                [.posixPermissions: 0o644], ofItemAtPath: directory.appendingPathComponent("tokens.json.tmp").path)
            try file.update { $0.append(self.token("desk-1")) }
            for name in ["tokens.json", "tokens.lock"] {
                let attributes = try FileManager.default.attributesOfItem(
                    atPath: directory.appendingPathComponent(name).path)
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(name)")
            }
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("tokens.json.tmp").path))
        }
    }
}

/// Errors collected from several threads.
private final class Failures: Sendable {
    private let messages = Mutex<[String]>([])

    func record(_ message: String) { self.messages.withLock { $0.append(message) } }

    var all: [String] { self.messages.withLock { $0 } }
}
