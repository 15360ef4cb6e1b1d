import Foundation
import Logging
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer

/// Volunteers' profiles on their tokens: `weiquan token create --specialty patent --region nanning`, kept in
/// `tokens.json` (and the store's collection) only when given, so token files written before still load.
@Suite struct VolunteerTokenTests {
    static let now = Date(timeIntervalSince1970: 1_795_399_200)

    func directory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("weiquan-tokens-\(UUID().uuidString)")
    }

    @Test func aProfileIsStoredAndGrantedAndOldFilesLoad() async throws {
        let directory = self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = TokenFile(directory: directory)
        let configuration = TestServer.data.configuration
        let token = try await TokenAdministration.create(
            name: "vol-a", role: .volunteer, unit: nil, specialties: ["patent", "trademark"], regions: ["nanning"],
            directory: configuration.directory, in: file, now: Self.now, secret: "wq_secret_a")
        #expect(token.specialties == ["patent", "trademark"] && token.regions == ["nanning"])
        _ = try await TokenAdministration.create(
            name: "desk-a", role: .staff, unit: nil, directory: configuration.directory, in: file, now: Self.now,
            secret: "wq_secret_b")
        let text = try String(contentsOf: file.url, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.contains { $0.contains("vol-a") && $0.contains(#""specialties":["patent","trademark"]"#) })
        #expect(lines.contains { $0.contains("desk-a") && !$0.contains("specialties") && !$0.contains("regions") })
        let registry = TokenRegistry(file: file, logger: Logger(label: "test"))
        let identity = await registry.identity(bearer: "wq_secret_a")
        #expect(identity?.specialties == ["patent", "trademark"] && identity?.regions == ["nanning"])

        // A file written before profiles existed.
        let old =
            #"[{"created_at":"2026-11-23T02:00:00Z","hash":"abc","name":"old","role":"volunteer","schema_version":1}]"#
        try Data(old.utf8).write(to: file.url)
        let loaded = try file.load()
        #expect(loaded.first?.specialties == [] && loaded.first?.regions == [])
    }

    @Test func unknownSpecialtiesAndRegionsAreRefused() async throws {
        let directory = self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = TokenFile(directory: directory)
        let units = TestServer.data.configuration.directory
        await #expect(throws: TokenAdministrationError.unknownSpecialty("law")) {
            try await TokenAdministration.create(
                name: "v", role: .volunteer, unit: nil, specialties: ["law"], directory: units, in: file, now: Self.now,
                secret: "s")
        }
        await #expect(throws: TokenAdministrationError.unknownUnit("atlantis", known: units.units.map(\.id))) {
            try await TokenAdministration.create(
                name: "v", role: .volunteer, unit: nil, regions: ["atlantis"], directory: units, in: file,
                now: Self.now, secret: "s")
        }
    }
}
