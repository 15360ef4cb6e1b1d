import CoreMetrics
import Prometheus

/// A swift-metrics factory that makes its handlers in one Prometheus registry, with the help text and buckets
/// of the metric's ``MetricDefinition``.
///
/// Unlike `PrometheusMetricsFactory`, which leaves out the `# HELP` lines, every metric made here carries the
/// help text of its definition (a label without a definition gets its own name as help text, and the latency
/// buckets ``Metrics/bounds``). Each ``Metrics`` has its own factory and registry, so applications built in
/// one process (as the tests do) never share a count; nothing here touches `MetricsSystem`.
package struct PrometheusCatalogueFactory: MetricsFactory {
    /// Where the handlers live; `/metrics` renders it.
    package let registry: PrometheusCollectorRegistry
    /// The definition of the metric with this name, if there is one.
    let definition: @Sendable (String) -> MetricDefinition?

    /// A factory for `registry`, with the definitions of the catalogue.
    package init(registry: PrometheusCollectorRegistry) {
        self.init(registry: registry) { MetricDefinition.byName[$0] }
    }

    /// A factory for `registry`, with the definitions `definition` finds.
    init(registry: PrometheusCollectorRegistry, definition: @escaping @Sendable (String) -> MetricDefinition?) {
        self.registry = registry
        self.definition = definition
    }

    package func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        self.registry.makeCounter(descriptor: self.descriptor(label), labels: dimensions)
    }

    package func makeFloatingPointCounter(label: String, dimensions: [(String, String)])
        -> any FloatingPointCounterHandler
    {
        self.registry.makeCounter(descriptor: self.descriptor(label), labels: dimensions)
    }

    package func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        self.registry.makeGauge(descriptor: self.descriptor(label), labels: dimensions)
    }

    package func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return self.registry.makeGauge(descriptor: self.descriptor(label), labels: dimensions) }
        return self.registry.makeValueHistogram(
            descriptor: self.descriptor(label), labels: dimensions, buckets: self.buckets(label)
        )
    }

    package func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let buckets = self.buckets(label).map { Duration.nanoseconds(Int64(($0 * 1e9).rounded())) }
        return self.registry.makeDurationHistogram(
            descriptor: self.descriptor(label), labels: dimensions, buckets: buckets)
    }

    package func destroyCounter(_ handler: any CounterHandler) {
        self.prometheus.destroyCounter(handler)
    }

    package func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        self.prometheus.destroyFloatingPointCounter(handler)
    }

    package func destroyMeter(_ handler: any MeterHandler) {
        self.prometheus.destroyMeter(handler)
    }

    package func destroyRecorder(_ handler: any RecorderHandler) {
        self.prometheus.destroyRecorder(handler)
    }

    package func destroyTimer(_ handler: any TimerHandler) {
        self.prometheus.destroyTimer(handler)
    }

    /// The standard factory on the same registry, which knows how to unregister its collectors.
    private var prometheus: PrometheusMetricsFactory { PrometheusMetricsFactory(registry: self.registry) }

    /// The name and help text of the metric called `label`.
    func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "", helpText: self.definition(label)?.help ?? label)
    }

    /// The buckets of the histogram called `label`: its definition's, else the latency buckets.
    func buckets(_ label: String) -> [Double] {
        self.definition(label)?.buckets ?? Metrics.bounds
    }
}
