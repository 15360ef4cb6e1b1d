import Foundation
import Testing
import WeiquanCore
import WeiquanPostgres
import WeiquanStore
import WeiquanTestSupport
@testable import WeiquanRegistry

@Suite struct RegistryShelfTests {
    enum Shelf: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case directory, documents, postgres
        var testDescription: String { self.rawValue }
        static var available: [Shelf] {
            TestPostgres.shouldRun ? [.directory, .documents, .postgres] : [.directory, .documents]
        }

        func with(_ body: (any RegistryShelf) async throws -> Void) async throws {
            switch self {
            case .directory:
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "registry-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: directory) }
                try await body(RegistryDirectory(dataDirectory: directory))
            case .documents:
                try await body(RegistryDocuments(store: MemoryDocumentStore(), blobs: MemoryBlobStore()))
            case .postgres:
                try await TestPostgres.withRunningDatabase { database in
                    let store = PostgresDocumentStore(database: database)
                    try await store.migrate()
                    try await body(RegistryDocuments(store: store, blobs: store.blobs))
                }
            }
        }
    }

    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    @Test(arguments: Shelf.available)
    func importingTheSameFileAgainChangesNothing(_ shelf: Shelf) async throws {
        try await shelf.with { shelf in
            let run = RegistryImport(shelf: shelf, importer: RegistryImporter(currentYear: 2026))
            let bytes = try Fixtures.bytes("cnipa-bulk.csv")
            let first = try await run.run(bytes, file: "cnipa-bulk.csv", asOf: Fixtures.asOf, now: Self.now)
            #expect(first.outcome == .imported)
            let kept = try await shelf.sources()
            #expect(kept.map(\.name) == ["cnipa-bulk"])
            #expect(kept.first?.asOf == "2026-11-01")
            #expect(kept.first?.patents == 3)
            let again = try await run.run(
                bytes, file: "cnipa-bulk.csv", asOf: Fixtures.asOf, now: Self.now.addingTimeInterval(60))
            #expect(again.outcome == .unchanged)
            #expect(try await shelf.sources() == kept)
        }
    }

    @Test(arguments: Shelf.available)
    func aNewVersionOfASourceReplacesItAndEachSourceKeepsItsAsOfDay(_ shelf: Shelf) async throws {
        try await shelf.with { shelf in
            let run = RegistryImport(shelf: shelf, importer: RegistryImporter(currentYear: 2026))
            let bytes = try Fixtures.bytes("cnipa-bulk.csv")
            _ = try await run.run(bytes, file: "cnipa-bulk.csv", asOf: Fixtures.asOf, now: Self.now)
            _ = try await run.run(
                try Fixtures.bytes("trademark-flow.csv"), file: "trademark-flow.csv",
                asOf: CalendarDay(year: 2026, month: 10, day: 1), now: Self.now)
            let newer = CalendarDay(year: 2026, month: 11, day: 15)!
            let replaced = try await run.run(bytes, file: "cnipa-bulk.csv", asOf: newer, now: Self.now)
            #expect(replaced.outcome == .imported)
            let sources = try await shelf.sources()
            #expect(sources.map(\.name) == ["cnipa-bulk", "trademark-flow"])
            #expect(sources.map(\.asOf) == ["2026-11-15", "2026-10-01"])
            let (registry, _) = try await RegistryLoader.load(from: shelf)
            #expect(registry.patentCount == 3)
            #expect(registry.trademarkCount == 2)
            #expect(registry.record(written: "201310268509.X", today: Fixtures.today)?.dataDate == "2026-11-15")
            #expect(try await shelf.remove(named: "cnipa-bulk"))
            #expect(try await !shelf.remove(named: "cnipa-bulk"))
            #expect(try await RegistryLoader.load(from: shelf).0.patentCount == 0)
        }
    }

    @Test(arguments: Shelf.available)
    func aFileWithNothingImportableKeepsNothing(_ shelf: Shelf) async throws {
        try await shelf.with { shelf in
            let run = RegistryImport(shelf: shelf, importer: RegistryImporter(currentYear: 2026))
            let bytes = Fixtures.csv(["申请号,法律状态公告日,法律状态", "201410041011.5,2015-01-07,公开"])
            let result = try await run.run(bytes, file: "bad.csv", asOf: Fixtures.asOf, now: Self.now)
            #expect(result.outcome == .empty)
            #expect(try await shelf.sources().isEmpty)
        }
    }

    @Test func anUnknownFormatIsAClearError() async throws {
        let run = RegistryImport(
            shelf: RegistryDocuments(store: MemoryDocumentStore(), blobs: MemoryBlobStore()),
            importer: RegistryImporter(currentYear: 2026))
        await #expect(throws: RegistryImportError.self) {
            try await run.run([1, 2, 3], file: "export.xlsx", asOf: Fixtures.asOf, now: Self.now)
        }
    }

    @Test func damagedDataOnTheShelfIsAClearError() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let shelf = RegistryDirectory(dataDirectory: directory)
        let run = RegistryImport(shelf: shelf, importer: RegistryImporter(currentYear: 2026))
        _ = try await run.run(try Fixtures.bytes("cnipa-bulk.csv"), file: "a.csv", asOf: Fixtures.asOf, now: Self.now)
        let source = try #require(try await shelf.sources().first)
        let path = shelf.url.appendingPathComponent("\(source.dataSHA256).wqreg").path
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        await #expect(throws: RegistryShelfError.self) { try await RegistryLoader.load(from: shelf) }
    }

    @Test(arguments: Shelf.available)
    func aStoreCopyCarriesTheSourcesFromADirectoryAndBack(_ shelf: Shelf) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let embedded = RegistryDirectory(dataDirectory: directory)
        let run = RegistryImport(shelf: embedded, importer: RegistryImporter(currentYear: 2026))
        for name in ["cnipa-bulk.csv", "trademark-flow.csv"] {
            _ = try await run.run(try Fixtures.bytes(name), file: name, asOf: Fixtures.asOf, now: Self.now)
        }
        try await shelf.with { target in
            #expect(try await target.copy(from: embedded) == 2)
            #expect(try await target.sources() == embedded.sources())
            let (copied, _) = try await RegistryLoader.load(from: target)
            #expect(copied.patentCount == 3)
            #expect(copied.trademarkCount == 2)
            let back = RegistryDirectory(
                dataDirectory: directory.appendingPathComponent("back-\(shelf.rawValue)"))
            #expect(try await back.copy(from: target) == 2)
            #expect(try await back.sources() == embedded.sources())
        }
    }

    @Test func aSourceWhoseDataIsMissingFromTheStoreIsAClearError() async throws {
        let blobs = MemoryBlobStore()
        let shelf = RegistryDocuments(store: MemoryDocumentStore(), blobs: blobs)
        let run = RegistryImport(shelf: shelf, importer: RegistryImporter(currentYear: 2026))
        _ = try await run.run(try Fixtures.bytes("cnipa-bulk.csv"), file: "a.csv", asOf: Fixtures.asOf, now: Self.now)
        let source = try #require(try await shelf.sources().first)
        try await blobs.delete(sha256: source.dataSHA256)
        await #expect(throws: RegistryShelfError.self) { try await RegistryLoader.load(from: shelf) }
    }

    @Test func aRegistryDirectoryThatCannotBeMadeIsAClearErrorAndKeepsNothing() async throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: parent) }
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        // A file where the registry's directory should be.
        try Data("not a directory".utf8).write(to: parent.appendingPathComponent("registry"))
        let shelf = RegistryDirectory(dataDirectory: parent)
        let run = RegistryImport(shelf: shelf, importer: RegistryImporter(currentYear: 2026))
        await #expect(throws: RegistryShelfError.self) {
            try await run.run(try Fixtures.bytes("cnipa-bulk.csv"), file: "a.csv", asOf: Fixtures.asOf, now: Self.now)
        }
        #expect(try Data(contentsOf: parent.appendingPathComponent("registry")) == Data("not a directory".utf8))
    }
}
