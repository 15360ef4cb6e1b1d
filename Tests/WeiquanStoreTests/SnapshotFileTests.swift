import Foundation
import Testing

@testable import WeiquanStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A snapshot synced as it is written: the same bytes, the syncs made, and a failing sync stopping the write.
@Suite struct SnapshotFileTests {
    /// About 3.6 MB of documents in two collections.
    static let table: DocumentTable = {
        let text = String(repeating: "维权援助", count: 100)
        var collections: [String: [String: Data]] = ["a": [:], "b": [:]]
        for index in 0..<3_000 {
            collections[index % 3 == 0 ? "a" : "b"]?["id\(index)"] = Data(#"{"n":\#(index),"t":"\#(text)"}"#.utf8)
        }
        return DocumentTable(collections: collections)
    }()

    static func contents(of table: DocumentTable) -> [String: [String: Data]] {
        var table = table
        var collections: [String: [String: Data]] = [:]
        for name in table.collectionNames {
            collections[name] = Dictionary(
                uniqueKeysWithValues: table.documents(collection: name).map { ($0.id, $0.json) })
        }
        return collections
    }

    @Test func syncedEveryMegabyteItIsTheSameFile() async throws {
        try await withTemporaryDirectory { directory in
            let plain = directory.appendingPathComponent("plain.json").path
            let synced = directory.appendingPathComponent("synced.json").path
            let plainSyncs = try SnapshotFile.write(Self.table, generation: 2, sequence: 9, to: plain, sync: true)
            let syncs = try SnapshotFile.write(
                Self.table, generation: 2, sequence: 9, to: synced, sync: true, syncEvery: 1 << 20)
            #expect(plainSyncs == 0)
            // Each 1 MB buffer written is then synced; the last, partial one only by the final sync.
            #expect(syncs == 3)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: synced))
            #expect(bytes == (try Data(contentsOf: URL(fileURLWithPath: plain))))
            let parsed = try SnapshotFile.parse(Array(bytes), path: synced)
            #expect(parsed.generation == 2)
            #expect(parsed.sequence == 9)
            #expect(Self.contents(of: DocumentTable(collections: parsed.collections)) == Self.contents(of: Self.table))
        }
    }

    /// A snapshot naming one document twice is damaged, not read with either copy.
    @Test func aDocumentIdTwiceInACollectionIsRefusedWithItsLine() throws {
        let text = """
            {"schemaVersion":1,"generation":2,"seq":3,"collections":{
            "cases":{
            "a":{"n":1},
            "a":{"n":2}
            }}}

            """
        #expect {
            try SnapshotFile.parse(Array(text.utf8), path: "snapshot-2.json")
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .corrupt && error.message.contains("line 4")
                && error.message.contains("document id \"a\" appears twice")
        }
        let once = try SnapshotFile.parse(
            Array(text.replacingOccurrences(of: "\"a\":{\"n\":2}", with: "\"b\":{\"n\":2}").utf8),
            path: "snapshot-2.json")
        let table = DocumentTable(collections: once.collections)
        #expect(table.document(collection: "cases", id: "a") == Data("{\"n\":1}".utf8))
        #expect(table.document(collection: "cases", id: "b") == Data("{\"n\":2}".utf8))
    }

    @Test func withoutSyncNothingIsSyncedOnTheWay() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("snapshot.json").path
            let syncs = try SnapshotFile.write(
                Self.table, generation: 2, sequence: 9, to: path, sync: false, syncEvery: 1 << 20)
            #expect(syncs == 0)
        }
    }

    /// A FIFO cannot be synced (EINVAL): the first sync on the way fails the write, with what failed and where,
    /// and nothing after it is written.
    @Test func aFailingSyncOnTheWayStopsTheSnapshot() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("fifo").path
            #expect(mkfifo(path, 0o600) == 0)
            let reader = open(path, O_RDONLY | O_NONBLOCK)
            #expect(reader >= 0)
            defer { close(reader) }
            // A writer of the test's own holds the pipe open, so the reader sees its end only once the snapshot's
            // writer and this one have both closed; then the reader blocks instead of polling.
            var holder = open(path, O_WRONLY | O_NONBLOCK)
            #expect(holder >= 0)
            defer { if holder >= 0 { close(holder) } }
            #expect(fcntl(reader, F_SETFL, fcntl(reader, F_GETFL) & ~O_NONBLOCK) == 0)
            let received = ReceivedBytes()
            let drained = Thread {
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while case let count = read(reader, &buffer, buffer.count), count > 0 {
                    received.add(count)
                }
                received.finish()
            }
            drained.start()
            do {
                try SnapshotFile.write(Self.table, generation: 2, sequence: 9, to: path, sync: true, syncEvery: 1 << 20)
                Issue.record("a FIFO was synced")
            } catch let error as StoreError {
                #expect(error.code == .io)
                #expect(error.message.contains("fsync"), "\(error.message)")
                #expect(error.message.contains(path), "\(error.message)")
            }
            close(holder)
            holder = -1
            let total = await received.total()
            #expect(total >= 1 << 20 && total < 2 << 20, "only the first megabyte before its sync: \(total) bytes")
        }
    }
}

/// Bytes a reader thread received, read once it has finished.
private final class ReceivedBytes: @unchecked Sendable {
    private let condition = NSCondition()
    private var count = 0
    private var done = false
    private var waiter: CheckedContinuation<Int, Never>?

    func add(_ bytes: Int) {
        self.condition.lock()
        self.count += bytes
        self.condition.unlock()
    }

    func finish() {
        self.condition.lock()
        self.done = true
        let waiter = self.waiter
        self.waiter = nil
        let count = self.count
        self.condition.unlock()
        waiter?.resume(returning: count)
    }

    func total() async -> Int {
        await withCheckedContinuation { continuation in
            self.condition.lock()
            if self.done {
                let count = self.count
                self.condition.unlock()
                continuation.resume(returning: count)
            } else {
                self.waiter = continuation
                self.condition.unlock()
            }
        }
    }
}
