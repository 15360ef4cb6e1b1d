import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import WeiquanCore
import WeiquanRegistry
import WeiquanPostgres
import WeiquanStore
import WeiquanTestSupport
@testable import WeiquanServer

@Suite struct LiveRegistryTests {
    static let today = CalendarDay(year: 2026, month: 11, day: 30)!
    static let demo = InMemoryLegalStatusRegistry(records: [
        LegalStatusRecord(
            number: "201310268509.X", kind: .patent, bucket: .expired, officialWording: "演示", dataDate: "2026-01-01"),
        LegalStatusRecord(
            number: "200410053749.9", kind: .patent, bucket: .inForce, officialWording: "演示", dataDate: "2026-01-01"),
    ])
    static let export = Array(
        "申请号,申请日,法律状态公告日,法律状态\n201310268509.X,2013-06-29,2016-05-04,授权\n".utf8)

    static func importExport(into shelf: any RegistryShelf, asOf: String = "2026-11-01") async throws {
        let run = RegistryImport(shelf: shelf, importer: RegistryImporter(currentYear: 2026))
        _ = try await run.run(Self.export, file: "cnipa.csv", asOf: CalendarDay(asOf), now: Date())
    }

    @Test func anImportIsAnsweredFromAfterTheNextRefreshAndTheDemoStopsAnswering() async throws {
        let shelf = RegistryDocuments(store: MemoryDocumentStore(), blobs: MemoryBlobStore())
        let live = LiveRegistry(
            shelf: shelf, fallback: Self.demo, fallbackIsDemo: true, logger: Logger(label: "test"))
        #expect(await !live.refresh())
        #expect(live.record(kind: .patent, number: "201310268509.X", today: Self.today)?.officialWording == "演示")
        try await Self.importExport(into: shelf)
        // Not yet: the service answers from what it loaded until it refreshes.
        #expect(live.record(kind: .patent, number: "201310268509.X", today: Self.today)?.officialWording == "演示")
        #expect(await live.refresh())
        let record = live.record(kind: .patent, number: "201310268509.X", today: Self.today)
        #expect(record?.officialWording == "授权")
        #expect(record?.bucket == .inForce)
        // A demo record must not pass for real data once real data is in.
        #expect(live.record(kind: .patent, number: "200410053749.9", today: Self.today) == nil)
        #expect(await !live.refresh())
        #expect(live.sources.map(\.name) == ["cnipa"])
    }

    @Test func aConfiguredRegistryFileStillAnswersWhatTheImportDoesNotHold() async throws {
        let shelf = RegistryDocuments(store: MemoryDocumentStore(), blobs: MemoryBlobStore())
        let live = LiveRegistry(
            shelf: shelf, fallback: Self.demo, fallbackIsDemo: false, logger: Logger(label: "test"))
        try await Self.importExport(into: shelf)
        await live.refresh()
        #expect(live.record(kind: .patent, number: "201310268509.X", today: Self.today)?.officialWording == "授权")
        #expect(live.record(kind: .patent, number: "200410053749.9", today: Self.today)?.officialWording == "演示")
    }

    @Test func sourcesThatCannotBeReadLeaveTheRegistryAnsweringAsBefore() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let shelf = RegistryDirectory(dataDirectory: directory)
        let live = LiveRegistry(shelf: shelf, fallback: Self.demo, fallbackIsDemo: true, logger: Logger(label: "test"))
        try await Self.importExport(into: shelf)
        #expect(await live.refresh())
        // A newer version whose data file is then damaged.
        try await Self.importExport(into: shelf, asOf: "2026-11-20")
        let source = try #require(try await shelf.sources().first)
        try Data([0]).write(to: shelf.url.appendingPathComponent("\(source.dataSHA256).wqreg"))
        #expect(await !live.refresh())
        #expect(live.record(kind: .patent, number: "201310268509.X", today: Self.today)?.dataDate == "2026-11-01")
    }

    @Test(.enabled(if: TestPostgres.shouldRun))
    func anImportOnOneInstanceIsAnsweredByAnotherOnTheSameDatabase() async throws {
        try await TestPostgres.withDatabase { url in
            let a = TestPostgres.database(
                url: url, instanceID: "a", connections: 2, lockConnections: 2)
            let b = TestPostgres.database(
                url: url, instanceID: "b", connections: 2, lockConnections: 2)
            try await a.withRunning {
                try await b.withRunning {
                    let storeA = PostgresDocumentStore(database: a)
                    try await storeA.migrate()
                    let storeB = PostgresDocumentStore(database: b)
                    let liveB = LiveRegistry(
                        shelf: RegistryDocuments(store: storeB, blobs: storeB.blobs), fallback: Self.demo,
                        fallbackIsDemo: true, logger: Logger(label: "test"))
                    #expect(await !liveB.refresh())
                    try await Self.importExport(into: RegistryDocuments(store: storeA, blobs: storeA.blobs))
                    #expect(await liveB.refresh())
                    let record = liveB.record(kind: .patent, number: "201310268509.X", today: Self.today)
                    #expect(record?.officialWording == "授权")
                    #expect(record?.dataDate == "2026-11-01")
                }
            }
        }
    }
}

/// `GET /api/v1/registry`: what staff and managers see of the data the bot answers from.
@Suite struct RegistryAPITests {
    static func application(shelf: any RegistryShelf) async throws -> some ApplicationProtocol {
        try await WeiquanApplication.build(
            settings: try TestServer.settings(), data: TestServer.data, store: MemoryDocumentStore(),
            tokens: DeskHarness.tokens, clock: TestClock(DeskHarness.mondayMorning).function, registryShelf: shelf,
            logger: Logger(label: "test"))
    }

    @Test func withNothingImportedTheDemoAnswers() async throws {
        let app = try await Self.application(
            shelf: RegistryDocuments(store: MemoryDocumentStore(), blobs: MemoryBlobStore()))
        try await app.test(.router) { client in
            let reply = try await DeskAPITests.call(client, .get, "/api/v1/registry")
            #expect(reply.status == .ok)
            #expect(reply.json["demo_answering"] as? Bool == true)
            #expect((reply.json["sources"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func sourcesWithTheirAsOfDayAndAgeForStaffOnly() async throws {
        let shelf = RegistryDocuments(store: MemoryDocumentStore(), blobs: MemoryBlobStore())
        try await LiveRegistryTests.importExport(into: shelf, asOf: "2026-01-05")
        let app = try await Self.application(shelf: shelf)
        try await app.test(.router) { client in
            let reply = try await DeskAPITests.call(client, .get, "/api/v1/registry")
            #expect(reply.status == .ok)
            #expect(reply.json["demo_answering"] as? Bool == false)
            #expect(reply.json["patents"] as? Int == 1)
            let source = try #require((reply.json["sources"] as? [[String: Any]])?.first)
            #expect(source["name"] as? String == "cnipa")
            #expect(source["as_of"] as? String == "2026-01-05")
            #expect(source["stale"] as? Bool == true)
            #expect((source["age_days"] as? Int ?? 0) > 60)
            let volunteer = try await DeskAPITests.call(client, .get, "/api/v1/registry", token: "token-vol-1")
            DeskAPITests.expectError(volunteer, .forbidden, "forbidden_role")
            let nobody = try await DeskAPITests.call(client, .get, "/api/v1/registry", token: nil)
            #expect(nobody.status == .unauthorized)
        }
    }
}
