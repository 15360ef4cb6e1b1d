import CoreMetrics
import Foundation
import Prometheus
import Synchronization

/// Counters, histograms and gauges, recorded through swift-metrics and rendered in the Prometheus text format
/// at `/metrics`.
///
/// Each `Metrics` has its own registry and makes its handlers with its own ``factory``; the process-wide
/// `MetricsSystem` is never bootstrapped, so applications built in one process (as the tests do) count apart.
/// A metric appears from its first use, with the help text, label names and buckets of its ``MetricDefinition``.
///
/// The methods that take a name as a string expect a name from ``MetricDefinition/catalogue`` and the value of
/// its one label, if it has one. A name outside the catalogue is defined by its first use (its help text is its
/// name, its label is called `label`), and later uses follow that definition. A use that does not fit the
/// definition (a histogram incremented, a label too many) records nothing.
public final class Metrics: Sendable {
    /// Upper bounds (seconds) of the latency histograms' buckets.
    public static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
    /// Upper bounds (seconds) for waits measured in minutes, such as a handoff's wait for a person.
    public static let waitBounds: [Double] = [30, 60, 120, 300, 600, 1200, 1800, 3600]

    /// Where the metrics live; ``render()`` writes it out.
    package let registry: PrometheusCollectorRegistry
    /// Makes the swift-metrics handlers in ``registry``, with the help texts of the definitions.
    package let factory: PrometheusCatalogueFactory

    /// One time series: a metric and its label values.
    private struct Series: Hashable {
        var name: String
        var labels: [String]
    }

    /// A gauge read when the metrics are rendered.
    private struct GaugeSource {
        var definition: MetricDefinition
        var read: @Sendable () -> [String: Int]
        /// The label values it has shown, so that one that is gone reads 0 rather than its last value.
        var shown: Set<String> = []
    }

    private struct State {
        var counters: [Series: CoreMetrics.Counter] = [:]
        var recorders: [Series: Recorder] = [:]
        var gauges: [Series: CoreMetrics.Gauge] = [:]
        var gaugeSources: [String: GaugeSource] = [:]
    }

    private let state = Mutex(State())
    private let definitions: Definitions

    /// Metrics in a registry of their own.
    public convenience init() {
        self.init(registry: PrometheusCollectorRegistry())
    }

    /// Metrics kept in `registry`, which may hold other collectors too.
    package init(registry: PrometheusCollectorRegistry) {
        let definitions = Definitions()
        self.registry = registry
        self.definitions = definitions
        self.factory = PrometheusCatalogueFactory(registry: registry) { definitions.find($0) }
    }

    // MARK: - Recording

    /// Adds `amount` to a counter; `label` is the value of the metric's one label, if it has one.
    public func increment(_ metric: MetricDefinition, label: String = "", by amount: Int = 1) {
        self.increment(metric, labels: metric.labels.isEmpty ? [] : [label], by: amount)
    }

    /// Adds `amount` to a counter; `labels` are the values of its labels, in the order of their names.
    ///
    /// A counter only grows: an amount below zero shows the series (at its value so far) but adds nothing.
    public func increment(_ metric: MetricDefinition, labels: [String], by amount: Int = 1) {
        guard let (metric, series) = self.series(metric, labels, { $0.kind == .counter }) else { return }
        let counter = self.state.withLock { state in
            if let counter = state.counters[series] { return counter }
            let counter = CoreMetrics.Counter(
                label: series.name, dimensions: metric.dimensions(labels), factory: self.factory)
            state.counters[series] = counter
            return counter
        }
        if amount > 0 { counter.increment(by: amount) }
    }

    /// Records one observation (seconds) in a histogram; `labels` are the values of its labels.
    public func observe(_ metric: MetricDefinition, labels: [String] = [], seconds: Double) {
        guard let (metric, series) = self.series(metric, labels, { $0.buckets != nil }) else { return }
        let recorder = self.state.withLock { state in
            if let recorder = state.recorders[series] { return recorder }
            let recorder = Recorder(
                label: series.name, dimensions: metric.dimensions(labels), aggregate: true, factory: self.factory)
            state.recorders[series] = recorder
            return recorder
        }
        recorder.record(seconds)
    }

    /// A gauge with one label whose values, by label value, are read from `read` whenever the metrics are rendered.
    /// A label value that `read` no longer returns shows 0. A second gauge of the same name replaces the first.
    public func gauge(_ metric: MetricDefinition, _ read: @escaping @Sendable () -> [String: Int]) {
        let metric = self.definitions.adopt(metric)
        guard metric.kind == .gauge, metric.labels.count == 1 else { return }
        self.state.withLock { $0.gaugeSources[metric.name] = GaugeSource(definition: metric, read: read) }
    }

    // MARK: - Reading

    /// A counter's value as ``render()`` shows it (for tests); `label` is the value of its one label, if any.
    public func value(_ name: String, label: String = "") -> Int {
        guard let definition = self.definitions.find(name) else { return 0 }
        return self.value(definition, labels: definition.labels.isEmpty ? [] : [label])
    }

    /// A counter's value as ``render()`` shows it (for tests); `labels` are the values of its labels.
    public func value(_ metric: MetricDefinition, labels: [String] = []) -> Int {
        let pairs = metric.dimensions(labels).map { "\($0)=\"\(Self.escape($1))\"" }.joined(separator: ",")
        let prefix = pairs.isEmpty ? "\(metric.name) " : "\(metric.name){\(pairs)} "
        let line = self.registry.emitToString().split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
    }

    /// The Prometheus text exposition of every metric, with the gauges read now.
    public func render() -> String {
        self.readGauges()
        return self.registry.emitToString()
    }

    // MARK: - Plumbing

    /// Reads every gauge into its handlers; no lock is held while `read` runs.
    private func readGauges() {
        let sources = self.state.withLock { Array($0.gaugeSources.values) }
        for source in sources {
            let values = source.read()
            let gone = self.state.withLock { state -> Set<String> in
                let shown = state.gaugeSources[source.definition.name]?.shown ?? []
                state.gaugeSources[source.definition.name]?.shown = shown.union(values.keys)
                return shown.subtracting(values.keys)
            }
            for (label, value) in values { self.gaugeHandler(source.definition, label).record(value) }
            for label in gone { self.gaugeHandler(source.definition, label).record(0) }
        }
    }

    private func gaugeHandler(_ metric: MetricDefinition, _ label: String) -> CoreMetrics.Gauge {
        let series = Series(name: metric.name, labels: [label])
        return self.state.withLock { state in
            if let gauge = state.gauges[series] { return gauge }
            let gauge = CoreMetrics.Gauge(
                label: metric.name, dimensions: metric.dimensions([label]), factory: self.factory)
            state.gauges[series] = gauge
            return gauge
        }
    }

    /// The series of `metric` with these label values, or nil when the definition in force is not of the kind
    /// `fits` wants or the values do not match its labels: a programming error, which records nothing rather
    /// than stopping the service.
    private func series(
        _ metric: MetricDefinition, _ labels: [String], _ fits: (MetricDefinition) -> Bool
    ) -> (MetricDefinition, Series)? {
        let metric = self.definitions.adopt(metric)
        guard fits(metric), metric.labels.count == labels.count else { return nil }
        return (metric, Series(name: metric.name, labels: labels))
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}

extension Metrics {
    /// The catalogue, and definitions outside it that were used (only the module can make those).
    final class Definitions: Sendable {
        private let made = Mutex<[String: MetricDefinition]>([:])

        /// The definition of `name`, if it is in the catalogue or was used before.
        func find(_ name: String) -> MetricDefinition? {
            MetricDefinition.byName[name] ?? self.made.withLock { $0[name] }
        }

        /// The definition in force for `metric`'s name: the catalogue's, an earlier one, or `metric` from now on.
        func adopt(_ metric: MetricDefinition) -> MetricDefinition {
            if let known = MetricDefinition.byName[metric.name] { return known }
            return self.made.withLock { made in
                if let existing = made[metric.name] { return existing }
                made[metric.name] = metric
                return metric
            }
        }
    }
}
