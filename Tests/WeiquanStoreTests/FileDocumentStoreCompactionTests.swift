import Foundation
import Testing

@testable import WeiquanStore

/// Compaction: the same state before and after, old generations gone, and a crash at any step recoverable.
@Suite struct FileDocumentStoreCompactionTests {
    private static let collections = ["c", "d"]

    private func fill(_ store: FileDocumentStore, from start: Int, count: Int) async throws {
        for index in start..<(start + count) {
            try await store.write([
                put("c", "k\(index % 7)", #"{"last":\#(index)}"#),
                put("d", "id\(index)", #"{"n":\#(index),"text":"第\#(index)条"}"#),
            ])
            if index % 5 == 0 {
                try await store.write([.delete(collection: "d", id: "id\(index - 1)")])
            }
        }
    }

    @Test func compactionKeepsTheStateAndRemovesTheOldGeneration() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try await self.fill(store, from: 1, count: 40)
            let before = try await contents(of: store, collections: Self.collections)
            try await store.compact()
            #expect(try await contents(of: store, collections: Self.collections) == before)
            #expect(try storeFileNames(in: directory) == ["journal-2.jsonl", "snapshot-2.json"])
            #expect(store.statistics.generation == 2)
            #expect(store.statistics.compactions == 1)
            #expect(store.statistics.journalBytes == 0)

            // Writes after the compaction go to the new journal, sequence numbers continue.
            try await self.fill(store, from: 41, count: 5)
            let after = try await contents(of: store, collections: Self.collections)
            let lastSequence = store.statistics.lastSequence
            try await store.close()

            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(try await contents(of: reopened, collections: Self.collections) == after)
            #expect(reopened.recovery.generation == 2)
            #expect(reopened.recovery.journalFiles == ["journal-2.jsonl"])
            #expect(reopened.recovery.recordsReplayed == 6)
            #expect(reopened.recovery.lastSequence == lastSequence)
            try await reopened.close()
        }
    }

    @Test func compactionStartsByItselfPastTheThreshold() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory, options: .init(compactAfterBytes: 4096))
            try await self.fill(store, from: 1, count: 200)
            let before = try await contents(of: store, collections: Self.collections)
            try await store.close()
            // How many depends on timing: no compaction starts while one runs.
            #expect(store.statistics.compactions >= 1)
            #expect(store.statistics.lastCompactionError == nil)
            let names = try storeFileNames(in: directory)
            #expect(names.count == 2, "one generation left: \(names)")

            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(try await contents(of: reopened, collections: Self.collections) == before)
            #expect(reopened.recovery.generation == store.statistics.generation)
            #expect(reopened.recovery.generation > 1)
            try await reopened.close()
        }
    }

    /// The files a crash at each step leaves (compacting generation 1 into 2).
    private static func expectedFiles(_ point: CompactionCrashPoint) -> [String] {
        switch point {
        case .afterJournalSwitch: ["journal-1.jsonl", "journal-2.jsonl", "snapshot-1.json"]
        case .afterSnapshotWritten: ["journal-1.jsonl", "journal-2.jsonl", "snapshot-1.json", "snapshot-2.json.tmp"]
        case .afterSnapshotRenamed: ["journal-1.jsonl", "journal-2.jsonl", "snapshot-1.json", "snapshot-2.json"]
        case .afterOldJournalsRemoved: ["journal-2.jsonl", "snapshot-1.json", "snapshot-2.json"]
        }
    }

    @Test(arguments: CompactionCrashPoint.allCases, [false, true])
    func aCrashDuringCompactionLeavesARecoverableDirectory(point: CompactionCrashPoint, writesAfter: Bool) async throws
    {
        try await withTemporaryDirectory { directory in
            var options = FileDocumentStore.Options()
            options.crashPoint = point
            var expected: [String: [String: String]] = [:]
            do {
                let store = try await FileDocumentStore.open(directory: directory, options: options)
                try await self.fill(store, from: 1, count: 30)
                let error = await storeError { try await store.compact() }
                #expect(error?.message.contains("simulated crash") == true)
                if writesAfter {
                    // Writes acknowledged from the new journal before the snapshot was in place.
                    try await self.fill(store, from: 31, count: 10)
                }
                expected = try await contents(of: store, collections: Self.collections)
                // Dropped without close(): the files stay as the crash left them.
            }
            #expect(try storeFileNames(in: directory) == Self.expectedFiles(point))

            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(try await contents(of: reopened, collections: Self.collections) == expected)
            switch point {
            case .afterJournalSwitch, .afterSnapshotWritten:
                #expect(reopened.recovery.generation == 1)
                #expect(reopened.recovery.journalFiles == ["journal-1.jsonl", "journal-2.jsonl"])
            case .afterSnapshotRenamed, .afterOldJournalsRemoved:
                #expect(reopened.recovery.generation == 2)
                #expect(reopened.recovery.journalFiles == ["journal-2.jsonl"])
            }
            // More writes, then everything again after a clean close, with one generation left.
            try await self.fill(reopened, from: 100, count: 5)
            let final = try await contents(of: reopened, collections: Self.collections)
            try await reopened.close()
            let names = try storeFileNames(in: directory)
            #expect(names.count == 2, "\(names)")
            let again = try await FileDocumentStore.open(directory: directory)
            #expect(try await contents(of: again, collections: Self.collections) == final)
            try await again.close()
        }
    }

    /// A store of `writes` writes, closed, then opened and compacted once: its first journal as it was before the
    /// compaction removed it, and the state.
    private func compacted(
        in directory: URL, writes: Int
    ) async throws -> (oldJournal: Data, state: [String: [String: String]]) {
        let store = try await FileDocumentStore.open(directory: directory)
        try await self.fill(store, from: 1, count: writes)
        try await store.close()
        let oldJournal = try Data(contentsOf: directory.appendingPathComponent("journal-1.jsonl"))
        let compacting = try await FileDocumentStore.open(directory: directory)
        try await compacting.compact()
        let state = try await contents(of: compacting, collections: Self.collections)
        try await compacting.close()
        return (oldJournal, state)
    }

    @Test func aStaleJournalThatTheSnapshotCoversIsRemoved() async throws {
        // The state a compaction that wrote its snapshot before starting the next journal would leave.
        try await withTemporaryDirectory { directory in
            let (oldJournal, expected) = try await self.compacted(in: directory, writes: 10)
            try oldJournal.write(to: directory.appendingPathComponent("journal-1.jsonl"))
            try FileManager.default.removeItem(at: directory.appendingPathComponent("journal-2.jsonl"))

            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(try await contents(of: reopened, collections: Self.collections) == expected)
            #expect(reopened.recovery.removedFiles == ["journal-1.jsonl"])
            try await reopened.write([put("c", "new", "{}")])
            try await reopened.close()
            #expect(try storeFileNames(in: directory) == ["journal-2.jsonl", "snapshot-2.json"])
        }
    }

    /// What a crash while a compaction cuts down the older journal leaves (it is freed a step at a time): a
    /// shorter journal ending mid-line, which the snapshot covers and opening removes.
    @Test(arguments: [1, 2, 3])
    func aStaleJournalCutDownMidLineIsRemoved(keptEighths: Int) async throws {
        try await withTemporaryDirectory { directory in
            let (oldJournal, expected) = try await self.compacted(in: directory, writes: 40)
            let cut = oldJournal.prefix(oldJournal.count * keptEighths / 8 + 5)
            #expect(cut.last != UInt8(ascii: "\n"))
            try cut.write(to: directory.appendingPathComponent("journal-1.jsonl"))

            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(try await contents(of: reopened, collections: Self.collections) == expected)
            #expect(reopened.recovery.removedFiles == ["journal-1.jsonl"])
            try await reopened.close()
            #expect(try storeFileNames(in: directory) == ["journal-2.jsonl", "snapshot-2.json"])
        }
    }

    @Test func aStaleJournalWithWritesTheSnapshotLacksIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try await self.fill(store, from: 1, count: 3)
            try await store.compact()
            try await store.close()
            let snapshot = String(
                decoding: try Data(contentsOf: directory.appendingPathComponent("snapshot-2.json")), as: UTF8.self)
            let sequence = try #require(snapshot.firstRange(of: #""seq":"#)).upperBound
            let lastSequence = try #require(Int(snapshot[sequence...].prefix { $0.isNumber }))
            // An older journal that goes beyond the newer snapshot (which a correct compaction never leaves).
            try writeJournal(
                [#"{"seq":\#(lastSequence + 1),"changes":[{"c":"c","id":"lost","doc":{}}]}"#],
                to: directory.appendingPathComponent("journal-1.jsonl"))
            let error = await storeError { _ = try await FileDocumentStore.open(directory: directory) }
            #expect(error?.code == .corrupt)
            #expect(
                error?.message.contains("journal-1.jsonl holds writes up to seq \(lastSequence + 1)") == true,
                "\(error?.message ?? "")")
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("journal-1.jsonl").path))
        }
    }

    @Test func writesGoOnWhileCompactionsRun() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory, options: .init(compactAfterBytes: 2048))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for index in 0..<50 {
                            try await store.write([put("c", "w\(worker)-\(index)", #"{"w":\#(worker),"i":\#(index)}"#)])
                        }
                    }
                }
                group.addTask {
                    for _ in 0..<5 {
                        try await store.compact()
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.count(collection: "c") == 400)
            try await store.close()
            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(try await reopened.count(collection: "c") == 400)
            #expect(reopened.recovery.lastSequence == 400)
            try await reopened.close()
        }
    }
}
