import Foundation
import Testing

@testable import WeiquanStore

/// Reopening a file store: after a clean close, after a crash, with a torn tail, and refusing damage.
@Suite struct FileDocumentStoreRecoveryTests {
    private static let collections = ["notes", "tallies", "c"]

    /// Writes a few documents of several kinds, including a delete and an overwrite.
    private func fill(_ store: FileDocumentStore) async throws {
        try await store.put(Note(id: "n1", text: "first", created: date(1_000)))
        try await store.put(contentsOf: [Tally(id: "t1", value: 1), Tally(id: "t2", value: 2)])
        try await store.write([put("c", "x", #"{"v":1}"#), put("c", "y", #"{"v":2}"#)])
        try await store.write([.delete(collection: "c", id: "y"), put("c", "x", #"{"v":3}"#)])
    }

    @Test func everythingIsBackAfterClose() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            #expect(store.recovery.createdNewStore)
            try await self.fill(store)
            let before = try await contents(of: store, collections: Self.collections)
            try await store.close()

            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(try await contents(of: reopened, collections: Self.collections) == before)
            #expect(try await reopened.get(Note.self, id: "n1")?.text == "first")
            #expect(reopened.recovery.generation == 1)
            #expect(reopened.recovery.recordsReplayed == 4)
            #expect(reopened.recovery.lastSequence == 4)
            #expect(reopened.recovery.tornBytesDropped == 0)
            #expect(!reopened.recovery.createdNewStore)
            try await reopened.close()
        }
    }

    @Test func everyReturnedWriteIsBackAfterDroppingTheStore() async throws {
        try await withTemporaryDirectory { directory in
            var before: [String: [String: String]] = [:]
            do {
                let store = try await FileDocumentStore.open(directory: directory)
                try await self.fill(store)
                before = try await contents(of: store, collections: Self.collections)
                // Dropped here without close(), as a crash would.
            }
            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(try await contents(of: reopened, collections: Self.collections) == before)
            try await reopened.close()
        }
    }

    @Test func oddNamesSurviveTheJournalAndTheSnapshot() async throws {
        let ids = ["quote\"d", "back\\slash", "line\nbreak", "\u{1}\u{1F}", "表情😀", "é", "e\u{301}x"]
        let collection = "odd \"collection\"\t/"
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try await store.write(ids.map { put(collection, $0, #"{"id":"\#($0.count)"}"#) })
            let before = try await contents(of: store, collections: [collection])
            try await store.close()
            let fromJournal = try await FileDocumentStore.open(directory: directory)
            #expect(try await contents(of: fromJournal, collections: [collection]) == before)
            try await fromJournal.compact()
            try await fromJournal.close()
            let fromSnapshot = try await FileDocumentStore.open(directory: directory)
            #expect(fromSnapshot.recovery.snapshotDocuments == ids.count)
            #expect(try await contents(of: fromSnapshot, collections: [collection]) == before)
            try await fromSnapshot.close()
        }
    }

    /// Tails a crash (or a disk) can leave after the last complete line.
    static let tornTails: [(name: String, bytes: [UInt8])] = [
        ("half a line", Array(#"{"seq":5,"changes":[{"c":"c","id":"z","doc":{"v":"#.utf8)),
        ("a whole line without its line feed", Array(#"{"seq":5,"changes":[{"c":"c","id":"z","doc":{"v":9}}]}"#.utf8)),
        ("garbage ending in a line feed", Array("\u{0}\u{0}garbage\u{7F}\n".utf8)),
        ("zero bytes", [UInt8](repeating: 0, count: 300)),
        ("an empty line", [0x0A]),
    ]

    @Test(arguments: 0..<FileDocumentStoreRecoveryTests.tornTails.count)
    func aTornTailIsDroppedAndCutOff(tail: Int) async throws {
        let torn = Self.tornTails[tail].bytes
        try await withTemporaryDirectory { directory in
            let journal = directory.appendingPathComponent("journal-1.jsonl")
            let store = try await FileDocumentStore.open(directory: directory)
            try await self.fill(store)
            let before = try await contents(of: store, collections: Self.collections)
            try await store.close()
            let intact = try bytes(of: journal)
            try append(torn, to: journal)

            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(try await contents(of: reopened, collections: Self.collections) == before)
            #expect(reopened.recovery.tornBytesDropped == torn.count)
            #expect(reopened.recovery.tornFile == "journal-1.jsonl")
            #expect(reopened.recovery.recordsReplayed == 4)
            #expect(try bytes(of: journal) == intact, "the torn tail is cut off the file")

            // Writes go on after the cut and survive another reopen.
            try await reopened.write([put("c", "after", #"{"v":"after"}"#)])
            try await reopened.close()
            let again = try await FileDocumentStore.open(directory: directory)
            #expect(again.recovery.tornBytesDropped == 0)
            #expect(again.recovery.lastSequence == 5)
            #expect(try await again.document(collection: "c", id: "after") == json(#"{"v":"after"}"#))
            #expect(try await again.document(collection: "c", id: "x") == json(#"{"v":3}"#))
            try await again.close()
        }
    }

    @Test func aTornMultiDocumentWriteDropsAllOfIt() async throws {
        try await withTemporaryDirectory { directory in
            let journal = directory.appendingPathComponent("journal-1.jsonl")
            let store = try await FileDocumentStore.open(directory: directory)
            try await store.write([put("c", "before", "{}")])
            try await store.write([
                put("c", "a", #"{"part":1}"#), put("tallies", "b", #"{"part":2}"#), put("c", "d", #"{"part":3}"#),
            ])
            try await store.close()
            // Cut the last line anywhere before its end: none of its three documents may come back.
            let full = try bytes(of: journal)
            let lastLineStart = try #require(full.dropLast().lastIndex(of: 0x0A)) + 1
            for cut in stride(from: lastLineStart + 1, to: full.count, by: 7) {
                try Data(full[..<cut]).write(to: journal)
                let reopened = try await FileDocumentStore.open(directory: directory)
                #expect(try await reopened.document(collection: "c", id: "before") != nil)
                #expect(try await reopened.document(collection: "c", id: "a") == nil)
                #expect(try await reopened.document(collection: "tallies", id: "b") == nil)
                #expect(try await reopened.document(collection: "c", id: "d") == nil)
                #expect(reopened.recovery.tornBytesDropped == cut - lastLineStart)
                try await reopened.close()
            }
        }
    }

    @Test func aDamagedLineInTheMiddleIsRefusedWithFileAndLine() async throws {
        try await withTemporaryDirectory { directory in
            let journal = directory.appendingPathComponent("journal-1.jsonl")
            let store = try await FileDocumentStore.open(directory: directory)
            try await self.fill(store)
            try await store.close()
            var lines = try journalLines(journal)
            lines[2] = String(lines[2].prefix(20)) + "#garbage"
            try writeJournal(lines, to: journal)
            let before = try bytes(of: journal)

            let error = await storeError { _ = try await FileDocumentStore.open(directory: directory) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains(journal.path + " line 3") == true, "\(error?.message ?? "")")
            #expect(error?.path == journal.path)
            #expect(try bytes(of: journal) == before, "nothing was cut off")

            let readOnlyError = await storeError { _ = try await FileDocumentStore.openReadOnly(directory: directory) }
            #expect(readOnlyError?.code == .corrupt)
            #expect(readOnlyError?.message.contains("line 3") == true)
        }
    }

    @Test func aDamagedLastLineFollowedByAnotherIsNotATornTail() async throws {
        try await withTemporaryDirectory { directory in
            let journal = directory.appendingPathComponent("journal-1.jsonl")
            let store = try await FileDocumentStore.open(directory: directory)
            try await self.fill(store)
            try await store.close()
            try append(Array("garbage\n{\"seq\":5,\"changes\":[]}\n".utf8), to: journal)
            let error = await storeError { _ = try await FileDocumentStore.open(directory: directory) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("line 5") == true, "\(error?.message ?? "")")
        }
    }

    @Test func aSequenceGapIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let journal = directory.appendingPathComponent("journal-1.jsonl")
            let store = try await FileDocumentStore.open(directory: directory)
            try await self.fill(store)
            try await store.close()
            var lines = try journalLines(journal)
            lines.remove(at: 1)
            try writeJournal(lines, to: journal)
            let error = await storeError { _ = try await FileDocumentStore.open(directory: directory) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("line 2 has seq 3 where 2 was expected") == true, "\(error?.message ?? "")")
        }
    }

    @Test func aJournalWithoutSnapshotIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try await self.fill(store)
            try await store.close()
            try FileManager.default.removeItem(at: directory.appendingPathComponent("snapshot-1.json"))
            let error = await storeError { _ = try await FileDocumentStore.open(directory: directory) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("journal-1.jsonl has no snapshot") == true, "\(error?.message ?? "")")
            #expect(try storeFileNames(in: directory) == ["journal-1.jsonl"], "nothing was created or deleted")
        }
    }

    @Test func aMissingJournalInTheRunIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            var options = FileDocumentStore.Options()
            options.crashPoint = .afterJournalSwitch
            let store = try await FileDocumentStore.open(directory: directory, options: options)
            try await store.write([put("c", "a", "{}")])
            _ = await storeError { try await store.compact() }  // journal-2 started, no snapshot-2
            try await store.write([put("c", "b", "{}")])
            let first = await storeError { try await store.compact() }  // journal-3 started
            #expect(first != nil)
            try await store.write([put("c", "c", "{}")])
            try await store.close()
            #expect(
                try storeFileNames(in: directory) == [
                    "journal-1.jsonl", "journal-2.jsonl", "journal-3.jsonl", "snapshot-1.json",
                ])
            try FileManager.default.removeItem(at: directory.appendingPathComponent("journal-2.jsonl"))
            let error = await storeError { _ = try await FileDocumentStore.open(directory: directory) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("journal-2.jsonl is missing") == true, "\(error?.message ?? "")")
        }
    }

    @Test func aSnapshotFromANewerVersionIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try await store.close()
            let snapshot = directory.appendingPathComponent("snapshot-1.json")
            let text = String(decoding: try Data(contentsOf: snapshot), as: UTF8.self)
            try Data(text.replacingOccurrences(of: #""schemaVersion":1"#, with: #""schemaVersion":2"#).utf8).write(
                to: snapshot)
            let error = await storeError { _ = try await FileDocumentStore.open(directory: directory) }
            #expect(error?.code == .unsupportedVersion)
            #expect(error?.message.contains("snapshot-1.json") == true)
        }
    }

    @Test func aDamagedSnapshotIsRefusedWithItsLine() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try await self.fill(store)
            try await store.compact()
            try await store.close()
            let snapshot = directory.appendingPathComponent("snapshot-2.json")
            var lines = String(decoding: try Data(contentsOf: snapshot), as: UTF8.self).components(separatedBy: "\n")
            #expect(lines[2] == #""x":{"v":3}"#)
            lines[2] = #""x":{"v":#}"#
            try Data(lines.joined(separator: "\n").utf8).write(to: snapshot)
            let error = await storeError { _ = try await FileDocumentStore.open(directory: directory) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("snapshot-2.json is damaged at line 3") == true, "\(error?.message ?? "")")
        }
    }

    @Test func leftoverTemporarySnapshotsAreIgnoredAndRemoved() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try await self.fill(store)
            try await store.close()
            try Data("{\"schemaVers".utf8).write(to: directory.appendingPathComponent("snapshot-2.json.tmp"))
            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(reopened.recovery.removedFiles == ["snapshot-2.json.tmp"])
            #expect(try await reopened.count(collection: "c") == 1)
            try await reopened.close()
            #expect(try storeFileNames(in: directory) == ["journal-1.jsonl", "snapshot-1.json"])
        }
    }
}
