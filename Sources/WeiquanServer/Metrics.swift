import Foundation
import Synchronization

/// Counters and histograms, rendered in the Prometheus text format at `/metrics`.
public final class Metrics: Sendable {
    /// Upper bounds (seconds) of the latency histograms' buckets.
    public static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
    /// Upper bounds (seconds) for waits measured in minutes, such as a handoff's wait for a person.
    public static let waitBounds: [Double] = [30, 60, 120, 300, 600, 1200, 1800, 3600]

    private struct Histogram {
        var bounds: [Double]
        var buckets: [Int]
        var count = 0
        var sum = 0.0

        init(bounds: [Double]) {
            self.bounds = bounds
            self.buckets = [Int](repeating: 0, count: bounds.count)
        }
    }

    /// A gauge read when `/metrics` is rendered: its values by label.
    private struct Gauge {
        var label: String
        var read: @Sendable () -> [String: Int]
    }

    private struct State {
        var counters: [String: [String: Int]] = [:]
        var histograms: [String: Histogram] = [:]
        var gauges: [String: Gauge] = [:]
    }

    private let state = Mutex(State())

    /// What each metric means, for the `# HELP` lines.
    static let help: [String: String] = [
        "weiquan_messages_total": "Inbound WeChat messages by type.",
        "weiquan_replies_total": "Replies by kind (text, success, duplicate, error).",
        "weiquan_dedupe_hits_total": "Retries answered from the dedupe memory without running the conversation.",
        "weiquan_late_replies_total": "Messages whose handling took longer than WeChat's 5-second window.",
        "weiquan_signature_failures_total": "Requests refused for a missing or wrong signature.",
        "weiquan_bad_requests_total": "Requests refused as malformed (400) or too large (413).",
        "weiquan_cases_filed_total": "Cases filed, by kind.",
        "weiquan_handler_seconds": "Time to handle one webhook message.",
        "weiquan_store_flush_seconds": "Time of one group commit of the store (write and fsync).",
        "weiquan_outbox_sent_total": "Messages delivered through the customer-service API.",
        "weiquan_outbox_failed_total": "Outbox messages given up, by WeChat error code.",
        "weiquan_outbox_held_total": "Outbox messages held because the applicant's 48-hour window was closed.",
        "weiquan_outbox_delivered_in_reply_total": "Held outbox messages delivered with a passive reply.",
        "weiquan_token_refreshes_total": "Access-token refreshes.",
        "weiquan_token_refresh_failures_total": "Failed access-token refreshes.",
        "weiquan_outbox_withheld_total": "Bot or queue messages not sent because staff (or the bot) owned the conversation by then.",
        "weiquan_handoffs_total": "Handoffs opened, by status: waiting (queued), question or callback (outside office hours).",
        "weiquan_handoff_wait_seconds": "Time from asking for a person to a staff member's claim.",
        "weiquan_handoffs_waiting": "Applicants waiting for a person now, by unit.",
    ]

    public init() {}

    /// Adds `amount` to a counter; `label` is the value of the metric's one label, if it has one.
    public func increment(_ name: String, label: String = "", by amount: Int = 1) {
        self.state.withLock { $0.counters[name, default: [:]][label, default: 0] += amount }
    }

    /// Records one observation (seconds) in a histogram.
    /// - Parameter bounds: The buckets' upper bounds, fixed by the histogram's first observation.
    public func observe(_ name: String, seconds: Double, bounds: [Double] = Metrics.bounds) {
        self.state.withLock { state in
            var histogram = state.histograms[name] ?? Histogram(bounds: bounds)
            if let index = histogram.bounds.firstIndex(where: { seconds <= $0 }) { histogram.buckets[index] += 1 }
            histogram.count += 1
            histogram.sum += seconds
            state.histograms[name] = histogram
        }
    }

    /// A counter's value (for tests).
    public func value(_ name: String, label: String = "") -> Int {
        self.state.withLock { $0.counters[name]?[label] ?? 0 }
    }

    /// A gauge whose values (by `label`) are read from `read` whenever the metrics are rendered.
    public func gauge(_ name: String, label: String, _ read: @escaping @Sendable () -> [String: Int]) {
        self.state.withLock { $0.gauges[name] = Gauge(label: label, read: read) }
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> String {
        let state = self.state.withLock { $0 }
        var lines: [String] = []
        for name in state.gauges.keys.sorted() {
            guard let gauge = state.gauges[name] else { continue }
            lines.append("# HELP \(name) \(Self.help[name] ?? name)")
            lines.append("# TYPE \(name) gauge")
            for (label, value) in gauge.read().sorted(by: { $0.key < $1.key }) {
                lines.append("\(name){\(gauge.label)=\"\(Self.escape(label))\"} \(value)")
            }
        }
        let labelNames = [
            "weiquan_messages_total": "type", "weiquan_replies_total": "kind", "weiquan_bad_requests_total": "status",
            "weiquan_cases_filed_total": "kind", "weiquan_outbox_failed_total": "code", "weiquan_handoffs_total": "status",
        ]
        for name in state.counters.keys.sorted() {
            lines.append("# HELP \(name) \(Self.help[name] ?? name)")
            lines.append("# TYPE \(name) counter")
            for (label, value) in (state.counters[name] ?? [:]).sorted(by: { $0.key < $1.key }) {
                if label.isEmpty {
                    lines.append("\(name) \(value)")
                } else {
                    lines.append("\(name){\(labelNames[name] ?? "label")=\"\(Self.escape(label))\"} \(value)")
                }
            }
        }
        for name in state.histograms.keys.sorted() {
            guard let histogram = state.histograms[name] else { continue }
            lines.append("# HELP \(name) \(Self.help[name] ?? name)")
            lines.append("# TYPE \(name) histogram")
            var cumulative = 0
            for (index, bound) in histogram.bounds.enumerated() {
                cumulative += histogram.buckets[index]
                lines.append("\(name)_bucket{le=\"\(bound)\"} \(cumulative)")
            }
            lines.append("\(name)_bucket{le=\"+Inf\"} \(histogram.count)")
            lines.append("\(name)_sum \(histogram.sum)")
            lines.append("\(name)_count \(histogram.count)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
