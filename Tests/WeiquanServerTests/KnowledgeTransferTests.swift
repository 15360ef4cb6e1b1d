import Foundation
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// `weiquan kb export` and `import`, through the functions the commands call: the seed file goes in, an export comes
/// back in unchanged, a bad file or a dry run writes nothing.
@Suite struct KnowledgeTransferTests {
    static let now = DeskHarness.mondayMorning

    static func seed() throws -> Data {
        try Data(contentsOf: RepositoryPaths.root.appendingPathComponent("intents/knowledge-seed.json"))
    }

    static func importFile(
        _ data: Data, into store: any DocumentStore, dryRun: Bool = false, at now: Date = Self.now
    ) async throws -> KnowledgeTransfer.ImportReport {
        try await KnowledgeTransfer.importFile(
            data, into: store, dryRun: dryRun, actor: "import", now: now, makeID: { UUID().uuidString })
    }

    @Test func theSeedImportsAndAnExportComesBackUnchanged() async throws {
        let store = MemoryDocumentStore()
        let report = try await Self.importFile(try Self.seed(), into: store)
        #expect(report == .init(created: 22, updated: 0, unchanged: 0, dryRun: false))
        #expect(report.description == "created 22, updated 0, left 0 unchanged")
        let entries = try await store.all(KnowledgeEntry.self)
        #expect(entries.count == 22 && entries.filter { $0.status == .retired }.count == 1)
        #expect(entries.allSatisfy { $0.createdBy == "import" && $0.createdAt == Self.now })
        let audits = try await store.all(AuditEvent.self)
        #expect(audits.count == 22 && audits.allSatisfy { $0.action == .kbCreated && $0.actor == "import" })

        // Imported again later: nothing changes, not even the times.
        let again = try await Self.importFile(try Self.seed(), into: store, at: Self.now + 3_600)
        #expect(again == .init(created: 0, updated: 0, unchanged: 22, dryRun: false))

        // The export goes into another store and comes out the same, byte for byte.
        let exported = try await KnowledgeTransfer.export(from: store, format: .json)
        #expect(exported.hasPrefix("[\n{") && exported.split(separator: "\n").count == 24)
        let copy = MemoryDocumentStore()
        #expect(try await Self.importFile(Data(exported.utf8), into: copy).created == 22)
        #expect(try await KnowledgeTransfer.export(from: copy, format: .json) == exported)
        #expect(try await copy.all(KnowledgeEntry.self) == entries)
        // …and into the store it came from, it changes nothing.
        #expect(try await Self.importFile(Data(exported.utf8), into: store).unchanged == 22)
    }

    @Test func anImportUpdatesByIDAndGivesIDsToNewEntries() async throws {
        let store = MemoryDocumentStore()
        _ = try await Self.importFile(try Self.seed(), into: store)
        let file = #"""
            [{"id": "kb-trademark-renewal", "title": "商标到期如何续展", "question": "有效期多久？", "answer": "十年。"},
             {"title": "新的条目", "question": "问", "answer": "答", "tags": ["新"]}]
            """#
        let later = Self.now + 60
        let report = try await Self.importFile(Data(file.utf8), into: store, at: later)
        #expect(report == .init(created: 1, updated: 1, unchanged: 0, dryRun: false))
        let renewal = try #require(try await store.get(KnowledgeEntry.self, id: "kb-trademark-renewal"))
        #expect(renewal.answer == "十年。" && renewal.createdAt == Self.now && renewal.updatedAt == later)
        #expect(renewal.tags.isEmpty && renewal.ipType == nil)
        let fresh = try #require(try await store.all(KnowledgeEntry.self).first { $0.title == "新的条目" })
        #expect(fresh.id.isWellFormed && fresh.id.rawValue.hasPrefix("kb-") && fresh.status == .published)
        let actions = try await store.all(AuditEvent.self).filter { $0.at == later }.map(\.action)
        #expect(actions.sorted { $0.rawValue < $1.rawValue } == [.kbCreated, .kbUpdated])
    }

    @Test func aDryRunAndABadFileWriteNothing() async throws {
        let store = MemoryDocumentStore()
        let dry = try await Self.importFile(try Self.seed(), into: store, dryRun: true)
        #expect(dry == .init(created: 22, updated: 0, unchanged: 0, dryRun: true))
        #expect(dry.description == "dry run, nothing written: would create 22, update 0, leave 0 unchanged")
        #expect(try await store.collections().isEmpty)

        let long = String(repeating: "答", count: 601)
        let bad =
            #"[{"id": "ok", "title": "好", "question": "问", "answer": "答"}, {"id": "bad", "title": "坏", "question": "问", "answer": "\#(long)"}]"#
        await #expect(
            throws: KnowledgeImportError(problems: ["entry 2 (bad): 'answer' has 601 characters; at most 600"])
        ) {
            try await Self.importFile(Data(bad.utf8), into: store)
        }
        await #expect(throws: KnowledgeImportError.self) {
            try await Self.importFile(Data(#"{"entries": [{"title": "缺答案", "question": "问"}]}"#.utf8), into: store)
        }
        await #expect(throws: KnowledgeImportError.self) {
            try await Self.importFile(Data("not json".utf8), into: store)
        }
        #expect(try await store.collections().isEmpty)
    }

    @Test func markdownHasOneSectionPerEntry() async throws {
        let store = MemoryDocumentStore()
        _ = try await Self.importFile(try Self.seed(), into: store)
        let markdown = try await KnowledgeTransfer.export(from: store, format: .markdown)
        let headings = markdown.split(separator: "\n").filter { $0.hasPrefix("## ") }
        #expect(headings.count == 22)
        #expect(headings.contains("## 美国337调查如何应对"))
        #expect(markdown.hasPrefix("# 优秀问答\n\n22 entries: 21 published, 1 retired."))
    }
}
