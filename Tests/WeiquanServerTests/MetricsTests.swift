import Synchronization
import Testing
import WeiquanServer

/// The metrics registry: each `Metrics` apart, names defined once, gauges read at render time.
@Suite struct MetricsTests {
    static func lines(_ metrics: Metrics) -> Set<String> {
        Set(metrics.render().split(separator: "\n").map(String.init))
    }

    @Test func eachMetricsCountsApart() {
        let first = Metrics()
        let second = Metrics()
        first.increment(.dedupeHits)
        #expect(first.value("weiquan_dedupe_hits_total") == 1)
        #expect(second.value("weiquan_dedupe_hits_total") == 0)
        #expect(!second.render().contains("weiquan_dedupe_hits_total"))
        #expect(first.registry !== second.registry)
    }

    @Test func aDefinitionAndItsExportedNameAreOneMetric() {
        let metrics = Metrics()
        metrics.increment(.messages, label: "text")
        metrics.increment(.messages, label: "text", by: 2)
        metrics.increment(.messages, label: "image")
        #expect(metrics.value("weiquan_messages_total", label: "text") == 3)
        #expect(metrics.value(.messages, labels: ["image"]) == 1)
        let lines = Self.lines(metrics)
        #expect(lines.contains("# HELP weiquan_messages_total Inbound WeChat messages by type."))
        #expect(lines.contains("# TYPE weiquan_messages_total counter"))
        #expect(lines.contains(#"weiquan_messages_total{type="text"} 3"#))
        #expect(lines.contains(#"weiquan_messages_total{type="image"} 1"#))
    }

    @Test func theCatalogueDefinesEachNameOnce() {
        let names = MetricDefinition.catalogue.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(MetricDefinition.catalogue.allSatisfy { !$0.help.isEmpty })
    }

    @Test func aHistogramKeepsTheBucketsOfItsDefinition() {
        let metrics = Metrics()
        metrics.observe(.handoffWaitSeconds, seconds: 45)
        metrics.observe(.handoffWaitSeconds, seconds: 4000)
        let lines = Self.lines(metrics)
        #expect(lines.contains("# TYPE weiquan_handoff_wait_seconds histogram"))
        #expect(lines.contains(#"weiquan_handoff_wait_seconds_bucket{le="30.0"} 0"#))
        #expect(lines.contains(#"weiquan_handoff_wait_seconds_bucket{le="60.0"} 1"#))
        #expect(lines.contains(#"weiquan_handoff_wait_seconds_bucket{le="3600.0"} 1"#))
        #expect(lines.contains(#"weiquan_handoff_wait_seconds_bucket{le="+Inf"} 2"#))
        #expect(lines.contains("weiquan_handoff_wait_seconds_sum 4045.0"))
        #expect(lines.contains("weiquan_handoff_wait_seconds_count 2"))
    }

    @Test func aGaugeIsReadWhenRenderedAndAGoneLabelShowsZero() {
        let metrics = Metrics()
        let waiting = Mutex<[String: Int]>(["centre": 2, "nanning": 1])
        metrics.gauge(.handoffsWaiting) { waiting.withLock { $0 } }
        let before = Self.lines(metrics)
        #expect(before.contains("# HELP weiquan_handoffs_waiting Applicants waiting for a person now, by unit."))
        #expect(before.contains("# TYPE weiquan_handoffs_waiting gauge"))
        #expect(before.contains(#"weiquan_handoffs_waiting{unit="centre"} 2.0"#))
        #expect(before.contains(#"weiquan_handoffs_waiting{unit="nanning"} 1.0"#))
        waiting.withLock { $0 = ["centre": 1] }
        let after = Self.lines(metrics)
        #expect(after.contains(#"weiquan_handoffs_waiting{unit="centre"} 1.0"#))
        #expect(after.contains(#"weiquan_handoffs_waiting{unit="nanning"} 0.0"#))
    }

    @Test func aUseThatDoesNotFitItsDefinitionRecordsNothing() {
        let metrics = Metrics()
        // A histogram counted, a counter observed, a label too few, a gauge without its label.
        metrics.increment(.handlerSeconds)
        metrics.observe(.dedupeHits, seconds: 1)
        metrics.increment(.httpRequests, label: "GET")
        metrics.gauge(.dedupeHits) { ["x": 1] }
        let text = metrics.render()
        #expect(!text.contains("weiquan_handler_seconds"))
        #expect(!text.contains("weiquan_dedupe_hits_total"))
        #expect(!text.contains("weiquan_http_requests_total"))
        #expect(metrics.value("weiquan_never_used_total") == 0)
    }

    @Test func aCounterNeverGoesDown() {
        let metrics = Metrics()
        metrics.increment(.outboxWithheld, by: 0)
        #expect(metrics.render().contains("weiquan_outbox_withheld_total 0"))
        metrics.increment(.outboxWithheld, by: 3)
        metrics.increment(.outboxWithheld, by: -2)
        #expect(metrics.value(.outboxWithheld) == 3)
    }

    @Test func labelValuesAreEscaped() {
        let metrics = Metrics()
        metrics.increment(.outboxFailed, label: #"a"b\c"#)
        #expect(metrics.render().contains(#"weiquan_outbox_failed_total{code="a\"b\\c"} 1"#))
        #expect(metrics.value(.outboxFailed, labels: [#"a"b\c"#]) == 1)
    }
}
