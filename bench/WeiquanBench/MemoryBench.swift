import Foundation
import Synchronization
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

#if os(Linux)
/// glibc's `malloc_trim`, which the Glibc module does not export.
@_silgen_name("malloc_trim")
private func mallocTrim(_ pad: Int) -> Int32
/// glibc's `malloc_info`: the allocator's figures as XML.
@_silgen_name("malloc_info")
private func mallocInfo(_ options: Int32, _ stream: UnsafeMutablePointer<FILE>) -> Int32
#endif

/// Resident memory per conversation at rest (issue 15): 100,000 distinct applicants each send one message through
/// the real service path (``ConversationService`` over the file store, its journal and in-memory state, the retry
/// ledger), then the injected clock moves past the retry window and the sweep runs. Prints the growth of the
/// resident set divided by the conversations, with the retry answers still held and after the sweep.
///
/// The store's fsync is off (what is measured is memory, not the disk). Before each reading the C allocator is
/// asked to give freed pages back (`malloc_trim`), so that a reading is what is held, not what was once used.
struct MemoryBench {
    let data: BotData
    var applicants = 100_000
    /// Messages in flight at once (as many webhook requests would be).
    var concurrency = 64

    /// The time the service reads, moved by hand.
    final class ManualTime: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_795_222_800))
        func advance(by seconds: TimeInterval) { self.now.withLock { $0 += seconds } }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("weiquan-memory-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await FileDocumentStore.open(directory: directory, options: .init(fsync: false))
        let time = ManualTime()
        let window = ConversationService.defaultDedupeWindow
        let service = try await ConversationService(
            machine: self.data.makeMachine(), store: store, dedupeWindow: window,
            clock: { time.now.withLock { $0 } })
        // Warm up: caches, lazily made tables, the allocator's first arenas.
        try await self.send(service, time: time, range: 0..<2_000, prefix: "warm")
        time.advance(by: window + 1)
        try await service.sweepRetries()
        let before = Self.resident()
        let heapBefore = Self.heapInUse()
        let clock = ContinuousClock()
        let started = clock.now
        try await self.send(service, time: time, range: 0..<self.applicants, prefix: "applicant")
        let elapsed = started.duration(to: clock.now)
        // The waits' deadlines lapse on the real clock, the reply budget after each message (as in the service).
        while service.pendingReplyDeadlines > 0 { try await Task.sleep(for: .milliseconds(100)) }
        let held = Self.resident()
        let answers = service.retryAnswersHeld
        time.advance(by: window + 1)
        try await service.sweepRetries()
        let atRest = Self.resident()
        let decodedAtRest = service.conversationsHeld
        let heapAtRest = Self.heapInUse()
        let stats = store.statistics
        try await store.close()
        let perHeld = Double(held - before) / Double(self.applicants)
        let perRest = Double(atRest - before) / Double(self.applicants)
        print("")
        print(
            "memory: \(self.applicants) distinct applicants, one message each, file store (fsync off), \(self.concurrency) at a time"
        )
        let cache = ConversationService.defaultConversationCache
        print(
            "  conversations kept decoded: at most \(cache) (server.conversation_cache); after the window \(decodedAtRest)"
        )
        print(
            String(
                format: "  handled in %.1f s (%.0f messages/s)", elapsed.seconds,
                Double(self.applicants) / elapsed.seconds))
        print(
            String(
                format:
                    "  resident before %.1f MB, with retry answers held %.1f MB (%d held), after the window %.1f MB",
                Double(before) / 1e6, Double(held) / 1e6, answers, Double(atRest) / 1e6))
        print(String(format: "  bytes per conversation with its retry answer held: %.0f", perHeld))
        print(String(format: "  bytes per conversation at rest (window passed, swept): %.0f (target < 1,024)", perRest))
        if let heapBefore, let heapAtRest {
            print(
                String(
                    format:
                        "    of which the allocator's heap in use %.0f (the store's chunks of a page or more are mapped apart)",
                    Double(heapAtRest - heapBefore) / Double(self.applicants)))
        }
        print(
            String(
                format: "  journal %.1f MB for %d writes (%.0f bytes a message, sweeps included)",
                Double(stats.journalBytes) / 1e6, stats.writes, Double(stats.journalBytes) / Double(stats.writes)))
    }

    /// Sends one "你好" from each applicant in `range`, `concurrency` at a time.
    func send(_ service: ConversationService, time: ManualTime, range: Range<Int>, prefix: String) async throws {
        var next = range.lowerBound
        await withTaskGroup(of: Void.self) { group in
            func add(_ number: Int) {
                group.addTask {
                    _ = await service.handle(
                        .text("你好"), applicant: Self.openID(prefix, number), key: "msg:\(prefix)-\(number)",
                        budget: .seconds(5))
                }
            }
            while next < min(range.upperBound, range.lowerBound + self.concurrency) {
                add(next)
                next += 1
            }
            while await group.next() != nil {
                if next < range.upperBound {
                    add(next)
                    next += 1
                }
            }
        }
    }

    /// An applicant's id shaped like a WeChat OpenID (28 characters), so that it takes the memory a real one does.
    static func openID(_ prefix: String, _ number: Int) -> ApplicantID {
        let digits = String(number)
        let head = "o" + prefix.prefix(14).padding(toLength: 14, withPad: "_", startingAt: 0)
        return ApplicantID(head + String(repeating: "0", count: max(0, 13 - digits.count)) + digits)
    }

    /// The bytes glibc's allocator has handed out and not had back (its arenas less their free chunks, plus what it
    /// mapped on its own), from `malloc_info`; nil where that is not available.
    static func heapInUse() -> Int? {
        #if os(Linux)
        var buffer: UnsafeMutablePointer<CChar>? = nil
        var size = 0
        guard let stream = open_memstream(&buffer, &size) else { return nil }
        _ = mallocInfo(0, stream)
        fclose(stream)
        guard let buffer else { return nil }
        defer { free(buffer) }
        // The totals over all arenas are the last of each kind, after the arenas' own.
        var totals: [String: Int] = [:]
        for line in String(cString: buffer).split(separator: "\n") {
            let fields = line.split(separator: "\"")
            guard fields.count >= 2, line.hasPrefix("<total type=") || line.hasPrefix("<system type=") else { continue }
            let kind = (line.hasPrefix("<total") ? "total-" : "system-") + fields[1]
            if let sizeIndex = fields.firstIndex(where: { $0.hasSuffix("size=") }), sizeIndex + 1 < fields.count {
                totals[kind] = Int(fields[sizeIndex + 1])
            }
        }
        guard let current = totals["system-current"], let fast = totals["total-fast"], let rest = totals["total-rest"]
        else { return nil }
        return current - fast - rest + (totals["total-mmap"] ?? 0)
        #else
        return nil
        #endif
    }

    /// The resident set in bytes after the allocator gave back what it could.
    static func resident() -> Int {
        #if os(Linux)
        _ = mallocTrim(0)
        #endif
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

extension Duration {
    fileprivate var seconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
    }
}
