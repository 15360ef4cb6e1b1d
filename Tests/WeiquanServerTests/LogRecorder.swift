import Logging
import Synchronization

/// Collects what a logger writes, with level and metadata, so that a test can read it back.
final class LogRecorder: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    /// A logger writing into this recorder (and nowhere else).
    var logger: Logger {
        Logger(label: "test") { _ in Handler(recorder: self) }
    }

    var all: [Entry] { self.entries.withLock { $0 } }

    /// The entries with this message.
    func entries(_ message: String) -> [Entry] { self.all.filter { $0.message == message } }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = self.metadata.merging(event.metadata ?? [:]) { _, new in new }
            let entry = Entry(
                level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }
            )
            self.recorder.entries.withLock { $0.append(entry) }
        }
    }
}
