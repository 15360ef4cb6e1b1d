import Foundation
import Testing

@testable import WeiquanStore

#if canImport(Glibc)
import Glibc
#endif

/// The store's threads name themselves for the kernel and take the scheduling policy they are given.
@Suite struct StoreThreadTests {
    /// What a thread saw of itself: its kernel name and its scheduling policy's number.
    struct Seen: Sendable, Equatable {
        var name: String
        var policy: Int32
    }

    #if os(Linux)
    /// The calling thread's kernel name and policy.
    static func seenFromInside() -> Seen {
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return Seen(name: name.trimmingCharacters(in: .newlines), policy: sched_getscheduler(0))
    }

    /// The kernel names of this process's threads.
    static func threadNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").compactMap { task in
            try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)
                .trimmingCharacters(in: .newlines)
        }
    }

    @Test func aStartedThreadIsNamedAndTakesItsPolicyAndCanChangeIt() async {
        let seen: [Seen] = await withCheckedContinuation { continuation in
            StoreThread.start(name: "weiquan-test-thread-name-cut", policy: .batch) {
                var seen = [Self.seenFromInside()]
                StoreThread.apply(.normal)
                seen.append(Self.seenFromInside())
                StoreThread.apply(.batch)
                seen.append(Self.seenFromInside())
                continuation.resume(returning: seen)
            }
        }
        // The kernel keeps 15 bytes of a name.
        #expect(seen.map(\.name) == Array(repeating: "weiquan-test-th", count: 3))
        #expect(seen.map(\.policy) == [StoreThread.Policy.batch.linuxPolicy, 0, 3])
    }

    /// The calling thread's nice value.
    static func nice() -> Int32 {
        getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
    }

    @Test func aBackgroundThreadRunsUnderTheBatchPolicyAtALowerPriority() async {
        let callerNice = Self.nice()
        let seen: (Seen, Int32) = await withCheckedContinuation { continuation in
            StoreThread.start(name: "weiquan-test-bg", policy: .background) {
                continuation.resume(returning: (Self.seenFromInside(), Self.nice()))
            }
        }
        #expect(seen.0 == Seen(name: "weiquan-test-bg", policy: 3))
        // Raised to 10 (a run started under `nice` 10 or more has nothing to raise).
        if callerNice < StoreThread.backgroundNice {
            #expect(seen.1 == StoreThread.backgroundNice)
        }
        // The caller's own thread is left as it was.
        #expect(Self.nice() == callerNice)
    }

    @Test func anOpenFileStoreHasANamedWriterThread() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try await store.write([put("notes", "a", #"{"n":1}"#)])
            #expect(try Self.threadNames().contains("weiquan-writer"))
            try await store.close()
        }
    }
    #endif
}
