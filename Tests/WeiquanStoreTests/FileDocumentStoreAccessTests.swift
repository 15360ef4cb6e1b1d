import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@testable import WeiquanStore

/// Who may open a store directory, read-only opens, closing, and the health check.
@Suite struct FileDocumentStoreAccessTests {
    @Test func aSecondWriterIsLockedOut() async throws {
        try await withTemporaryDirectory { directory in
            let first = try await FileDocumentStore.open(directory: directory)
            let error = await storeError { _ = try await FileDocumentStore.open(directory: directory) }
            #expect(error?.code == .locked)
            #expect(error?.message.contains(directory.path) == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("pid \(getpid())") == true, "\(error?.message ?? "")")
            try await first.close()
            // The lock goes with close().
            let second = try await FileDocumentStore.open(directory: directory)
            try await second.close()
        }
    }

    @Test func aDroppedStoreReleasesItsLock() async throws {
        try await withTemporaryDirectory { directory in
            do {
                let store = try await FileDocumentStore.open(directory: directory)
                try await store.write([put("c", "a", "{}")])
            }
            let again = try await FileDocumentStore.open(directory: directory)
            #expect(try await again.count(collection: "c") == 1)
            try await again.close()
        }
    }

    @Test func aReaderSeesTheWritersDurableDataAndCannotWrite() async throws {
        try await withTemporaryDirectory { directory in
            let writer = try await FileDocumentStore.open(directory: directory)
            try await writer.put(Note(id: "n1", text: "one", created: date(1)))

            let reader = try await FileDocumentStore.openReadOnly(directory: directory)
            #expect(reader.isReadOnly)
            #expect(try await reader.get(Note.self, id: "n1")?.text == "one")
            #expect(await storeError { try await reader.write([put("c", "x", "{}")]) }?.code == .readOnly)
            #expect(await storeError { try await reader.compact() }?.code == .readOnly)
            #expect(await storeError { try await reader.checkWritable() }?.code == .readOnly)

            try await writer.put(Note(id: "n2", text: "two", created: date(2)))
            try await writer.compact()
            try await writer.put(Note(id: "n3", text: "three", created: date(3)))
            #expect(try await reader.count(Note.self) == 1, "a reader shows the state as of its open")
            let later = try await FileDocumentStore.openReadOnly(directory: directory)
            #expect(try await later.all(Note.self).map(\.id) == ["n1", "n2", "n3"])
            #expect(later.recovery.generation == 2)
            try await later.close()
            try await reader.close()
            try await writer.close()
        }
    }

    @Test func aReaderIgnoresATornTailWithoutChangingAnything() async throws {
        try await withTemporaryDirectory { directory in
            let writer = try await FileDocumentStore.open(directory: directory)
            try await writer.write([put("c", "a", #"{"v":1}"#)])
            try await writer.close()
            let journal = directory.appendingPathComponent("journal-1.jsonl")
            let torn = Array(#"{"seq":2,"changes":[{"c":"c","#.utf8)
            try append(torn, to: journal)
            try Data("partial".utf8).write(to: directory.appendingPathComponent("snapshot-5.json.tmp"))
            let listing = try storeFileNames(in: directory)
            let journalBytes = try bytes(of: journal)

            let reader = try await FileDocumentStore.openReadOnly(directory: directory)
            #expect(try await reader.document(collection: "c", id: "a") == json(#"{"v":1}"#))
            #expect(reader.recovery.tornBytesDropped == torn.count)
            #expect(reader.recovery.removedFiles.isEmpty)
            try await reader.close()
            #expect(try storeFileNames(in: directory) == listing)
            #expect(try bytes(of: journal) == journalBytes, "a reader never truncates")
        }
    }

    @Test func readOnlyOpensOfMissingAndEmptyDirectories() async throws {
        try await withTemporaryDirectory { directory in
            let missing = await storeError {
                _ = try await FileDocumentStore.openReadOnly(directory: directory.appendingPathComponent("nothing"))
            }
            #expect(missing?.code == .notFound)
            #expect(missing?.message.contains("nothing") == true)
            let empty = try await FileDocumentStore.openReadOnly(directory: directory)
            #expect(empty.recovery.createdNewStore)
            #expect(try await empty.count(collection: "c") == 0)
            try await empty.close()
            #expect(try storeFileNames(in: directory).isEmpty, "a reader creates nothing")
        }
    }

    @Test func closingRefusesLaterUse() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try await store.write([put("c", "a", "{}")])
            try await store.close()
            try await store.close()
            #expect(await storeError { try await store.write([put("c", "b", "{}")]) }?.code == .closed)
            #expect(await storeError { _ = try await store.document(collection: "c", id: "a") }?.code == .closed)
            #expect(await storeError { _ = try await store.count(collection: "c") }?.code == .closed)
            #expect(await storeError { try await store.compact() }?.code == .closed)
            #expect(await storeError { try await store.checkWritable() }?.code == .closed)
        }
    }

    @Test func checkWritableFailsWhenTheDirectoryIsRemoved() async throws {
        try await withTemporaryDirectory { parent in
            let directory = parent.appendingPathComponent("data")
            let store = try await FileDocumentStore.open(directory: directory)
            try await store.write([put("c", "a", "{}")])
            try await store.checkWritable()
            try FileManager.default.removeItem(at: directory)

            let error = await storeError { try await store.checkWritable() }
            #expect(error?.code == .io)
            #expect(error?.message.contains(directory.path) == true, "\(error?.message ?? "")")
            // A write now would only reach a deleted file: it is refused, and so is every later one.
            #expect(await storeError { try await store.write([put("c", "b", "{}")]) }?.code == .unusable)
            #expect(await storeError { try await store.checkWritable() }?.code == .unusable)
            #expect(try await store.document(collection: "c", id: "b") == nil)
            try await store.close()
        }
    }

    @Test func checkWritableFailsWhenTheJournalIsRemoved() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try FileManager.default.removeItem(at: directory.appendingPathComponent("journal-1.jsonl"))
            let error = await storeError { try await store.checkWritable() }
            #expect(error?.code == .io)
            #expect(error?.message.contains("journal-1.jsonl") == true)
            try await store.close()
        }
    }

    @Test(.enabled(if: geteuid() != 0, "root writes into read-only directories anyway"))
    func checkWritableFailsWhenTheDirectoryIsReadOnly() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path) }
            let error = await storeError { try await store.checkWritable() }
            #expect(error?.code == .io)
            #expect(error?.message.contains("not writable") == true)
            try await store.close()
        }
    }

    @Test func anUnsyncedStoreStillWorks() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(
                directory: directory, options: .init(fsync: false, maxBatch: 3))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<50 {
                    group.addTask { try await store.write([put("c", "k\(index)", "{}")]) }
                }
                try await group.waitForAll()
            }
            try await store.compact()
            try await store.close()
            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(try await reopened.count(collection: "c") == 50)
            try await reopened.close()
        }
    }
}
