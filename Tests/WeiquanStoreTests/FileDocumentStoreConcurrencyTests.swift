import Foundation
import Testing

@testable import WeiquanStore

/// Many writers at once: every returned write durable, each write all-or-nothing, group commit at work.
@Suite struct FileDocumentStoreConcurrencyTests {
    /// A counter the flush observer adds to from the writer thread.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int] = []
        private var durations: [Double] = []

        func add(_ value: Int, _ seconds: Double) {
            self.lock.lock()
            self.values.append(value)
            self.durations.append(seconds)
            self.lock.unlock()
        }

        var snapshot: (batches: [Int], seconds: [Double]) {
            self.lock.lock()
            defer { self.lock.unlock() }
            return (self.values, self.durations)
        }
    }

    @Test func aThousandConcurrentWritesAreAllDurable() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            let counter = Counter()
            store.onFlush { counter.add($0, $1) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<100 {
                    group.addTask {
                        for index in 0..<10 {
                            let tag = "\(task)-\(index)"
                            // One write, three documents in two collections.
                            try await store.write([
                                put("messages", "m\(tag)", #"{"tag":"\#(tag)"}"#),
                                put("conversations", "u\(task)", #"{"last":"\#(tag)"}"#),
                                put("dedupe", "d\(tag)", #"{"tag":"\#(tag)"}"#),
                            ])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let statistics = store.statistics
            #expect(statistics.writes == 1000)
            #expect(statistics.lastSequence == 1000)
            #expect(statistics.batches < 1000, "concurrent writes share group commits (\(statistics.batches) batches)")
            let flushed = counter.snapshot
            #expect(flushed.batches.reduce(0, +) == 1000)
            #expect(flushed.batches.count == statistics.batches)
            #expect(flushed.seconds.allSatisfy { $0 >= 0 })
            store.onFlush(nil)
            try await store.close()
            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(try await reopened.count(collection: "messages") == 1000)
            #expect(try await reopened.count(collection: "conversations") == 100)
            try await reopened.close()
        }
    }

    @Test func aGroupCommitTakesAtMostMaxBatchWrites() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory, options: .init(maxBatch: 4))
            let counter = Counter()
            store.onFlush { counter.add($0, $1) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask { try await store.write([put("c", "k\(index)", "{}")]) }
                }
                try await group.waitForAll()
            }
            let batches = counter.snapshot.batches
            #expect(batches.reduce(0, +) == 200)
            #expect(batches.allSatisfy { $0 >= 1 && $0 <= 4 })
            try await store.close()
        }
    }

    @Test func everyWriteComesBackWholeAfterReopen() async throws {
        try await withTemporaryDirectory { directory in
            do {
                let store = try await FileDocumentStore.open(directory: directory)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for task in 0..<64 {
                        group.addTask {
                            for index in 0..<16 {
                                let tag = "\(task)-\(index)"
                                try await store.write([
                                    put("messages", "m\(tag)", #"{"tag":"\#(tag)"}"#),
                                    put("conversations", "u\(task)", #"{"last":\#(index)}"#),
                                    put("dedupe", "d\(tag)", #"{"tag":"\#(tag)"}"#),
                                ])
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(reopened.recovery.recordsReplayed == 1024)
            #expect(try await reopened.count(collection: "messages") == 1024)
            #expect(try await reopened.count(collection: "dedupe") == 1024)
            for task in 0..<64 {
                for index in 0..<16 {
                    let tag = "\(task)-\(index)"
                    #expect(
                        try await reopened.document(collection: "messages", id: "m\(tag)")
                            == json(#"{"tag":"\#(tag)"}"#))
                    #expect(
                        try await reopened.document(collection: "dedupe", id: "d\(tag)") == json(#"{"tag":"\#(tag)"}"#))
                }
                // Each task's writes were in order, so its conversation ends at its last write.
                #expect(
                    try await reopened.document(collection: "conversations", id: "u\(task)") == json(#"{"last":15}"#))
            }
            try await reopened.close()
        }
    }

    @Test func aReadSeesAllOrNothingOfEachWrite() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for index in 0..<300 {
                        try await store.write([put("a", "k\(index)", "{}"), put("b", "k\(index)", "{}")])
                    }
                }
                group.addTask {
                    // Whole writes are applied under one lock: b never lags a by more than the read gap.
                    for _ in 0..<300 {
                        let b = try await store.count(collection: "b")
                        let a = try await store.count(collection: "a")
                        #expect(a >= b)
                    }
                }
                try await group.waitForAll()
            }
            try await store.close()
        }
    }

    @Test func readOnlyOpensWhileCompactionsSwapFiles() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory, options: .init(compactAfterBytes: 1024))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for index in 0..<400 {
                        try await store.write([put("c", "k\(index)", #"{"i":\#(index)}"#)])
                        if index % 40 == 0 {
                            try await store.compact()
                        }
                    }
                }
                group.addTask {
                    var seen = 0
                    for _ in 0..<40 {
                        let reader = try await FileDocumentStore.openReadOnly(directory: directory)
                        let count = try await reader.count(collection: "c")
                        #expect(count >= seen, "a later open never sees less")
                        // What it sees is a prefix of the writes, each document intact.
                        for (id, json) in try await reader.documents(collection: "c") {
                            #expect(json == Data(#"{"i":\#(id.dropFirst())}"#.utf8))
                        }
                        seen = count
                        try await reader.close()
                    }
                }
                try await group.waitForAll()
            }
            try await store.close()
        }
    }
}
