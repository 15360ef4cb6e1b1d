import Foundation
import WeiquanStore

/// Write latency at a fixed rate while a compaction runs: "at once" (the snapshot synced once at its end, the older
/// journal removed in one go, as before issue 15) against "in steps" (the defaults: the snapshot synced every 2 MB as
/// it is written, the older journal cut down 8 MB at a time before removal), alternating in the same run, each on a
/// new store of the same size.
///
/// A store is filled with `megabytes` of 1 KB documents (fsync on, no automatic compaction), then one writer puts a
/// small document every 0.5 ms (2,000/s) and, after a quarter of a second, a compaction starts. Each write's latency
/// runs from the moment it was due, so a write held up delays the ones behind it in the figures too. Printed: the
/// writes due while the compaction ran (and 0.2 s after), their p50, p99 and maximum, and the compaction's time.
struct CompactionBench {
    var megabytes = 100
    var rounds = 2

    func run() async throws {
        print("")
        print(
            "compaction: \(self.megabytes) MB store, one writer at 2,000 writes/s (fsync), latency from each due time"
        )
        for round in 1...self.rounds {
            for inSteps in [false, true] {
                let result = try await self.measure(inSteps: inSteps)
                let label = inSteps ? "in steps" : "at once"
                print(
                    String(
                        format: "round %d  %-8@  writes %5d  p50 %6.2f ms  p99 %7.2f ms  max %7.2f ms  "
                            + "compaction %5.0f ms",
                        round, label as NSString, result.latencies.count, result.percentile(0.5),
                        result.percentile(0.99), result.latencies.last ?? 0, result.compactionMilliseconds)
                )
            }
        }
    }

    struct Result {
        /// Sorted, in milliseconds.
        var latencies: [Double]
        var compactionMilliseconds: Double

        func percentile(_ fraction: Double) -> Double {
            guard !self.latencies.isEmpty else { return 0 }
            return self.latencies[min(self.latencies.count - 1, Int(Double(self.latencies.count) * fraction))]
        }
    }

    private func measure(inSteps: Bool) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("weiquan-compaction-bench-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = FileDocumentStore.Options(fsync: true, compactAfterBytes: Int.max / 2)
        if !inSteps {
            options.snapshotSyncEveryBytes = 0
            options.removalStepBytes = 0
        }
        let store = try await FileDocumentStore.open(directory: directory, options: options)
        let filler = Data(
            (#"{"text":""# + String(repeating: "x", count: 1_000) + #""}"#).utf8)
        let documents = self.megabytes * 1_000
        for start in stride(from: 0, to: documents, by: 1_000) {
            try await store.write(
                (start..<min(documents, start + 1_000)).map {
                    DocumentChange(collection: "filler", id: "d\($0)", json: filler)
                })
        }

        let clock = ContinuousClock()
        let interval = Duration.microseconds(500)
        let began = clock.now
        let compaction = Compaction()
        let writer = Task {
            var due = began
            var latencies: [(due: ContinuousClock.Instant, milliseconds: Double)] = []
            while true {
                if let ended = compaction.ended, due > ended + .milliseconds(200) { break }
                if clock.now < due {
                    try await clock.sleep(until: due)
                }
                try await store.write([
                    DocumentChange(collection: "small", id: "s\(latencies.count % 1_000)", json: Data(#"{"n":1}"#.utf8))
                ])
                let latency = due.duration(to: clock.now)
                latencies.append(
                    (due, Double(latency.components.attoseconds) / 1e15 + Double(latency.components.seconds) * 1e3))
                due += interval
            }
            return latencies
        }
        try await clock.sleep(until: began + .milliseconds(250))
        let started = clock.now
        compaction.started = started
        try await store.compact()
        let ended = clock.now
        compaction.ended = ended
        let latencies = try await writer.value
        try await store.close()
        let during = latencies.filter { $0.due >= started }.map(\.milliseconds).sorted()
        let seconds = started.duration(to: ended)
        return Result(
            latencies: during,
            compactionMilliseconds: Double(seconds.components.seconds) * 1e3 + Double(seconds.components.attoseconds)
                / 1e15)
    }
}

/// When the compaction started and ended, set by the benchmark and read by its writer task.
private final class Compaction: @unchecked Sendable {
    private let lock = NSLock()
    private var startedAt: ContinuousClock.Instant?
    private var endedAt: ContinuousClock.Instant?

    var started: ContinuousClock.Instant? {
        get { self.lock.withLock { self.startedAt } }
        set { self.lock.withLock { self.startedAt = newValue } }
    }

    var ended: ContinuousClock.Instant? {
        get { self.lock.withLock { self.endedAt } }
        set { self.lock.withLock { self.endedAt = newValue } }
    }
}
