import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// `/healthz` and `/metrics` over HTTP: the health report as before, the metrics under their old names with
/// the right values, and every request counted by the HTTP metrics middleware.
@Suite struct OperationsRouteTests {
    /// The help texts `/metrics` showed before the metrics moved to swift-metrics; they must not drift.
    static let helpTexts = [
        "weiquan_messages_total": "Inbound WeChat messages by type.",
        "weiquan_replies_total": "Replies by kind (text, success, duplicate, error).",
        "weiquan_dedupe_hits_total": "Retries answered from the dedupe memory without running the conversation.",
        "weiquan_signature_failures_total": "Requests refused for a missing or wrong signature.",
        "weiquan_bad_requests_total": "Requests refused as malformed (400) or too large (413).",
        "weiquan_cases_filed_total": "Cases filed, by kind.",
        "weiquan_handler_seconds": "Time to handle one webhook message.",
        "weiquan_handoffs_total":
            "Handoffs opened, by status: waiting (queued), question or callback (outside office hours).",
        "weiquan_handoff_wait_seconds": "Time from asking for a person to a staff member's claim.",
        "weiquan_handoffs_waiting": "Applicants waiting for a person now, by unit.",
    ]

    static func application(
        store: any DocumentStore = MemoryDocumentStore(), metrics: Metrics
    ) async throws -> some ApplicationProtocol {
        try await WeiquanApplication.build(
            settings: try TestServer.settings(), data: TestServer.data, store: store, tokens: DeskHarness.tokens,
            clock: TestClock(DeskHarness.mondayMorning).function, metrics: metrics
        )
    }

    static func scrape(_ client: some TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/metrics", method: .get) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            return String(buffer: response.body)
        }
    }

    /// The lines of the exposition, to compare whole lines rather than prefixes.
    static func lines(_ text: String) -> Set<String> {
        Set(text.split(separator: "\n").map(String.init))
    }

    // MARK: - /healthz

    @Test func healthzReportsAsBefore() async throws {
        let app = try await TestServer.application()
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                // The same document as before; its keys are sorted now, so it reads the same on every run.
                #expect(
                    String(buffer: response.body)
                        == #"{"intents":\#(TestServer.data.catalogue.intents.count),"status":"ok"}"#)
            }
        }
    }

    @Test func healthzNamesTheProblemWhenTheStoreCannotWrite() async throws {
        let app = try await TestServer.application(store: UnwritableStore())
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.contentType] == "application/json")
                let body = String(buffer: response.body)
                #expect(body.hasPrefix(#"{"problems":["store not writable: "#))
                #expect(body.hasSuffix(#""],"status":"unavailable"}"#))
                let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
                #expect(Set(json.keys) == ["status", "problems"])
                #expect((json["problems"] as? [String])?.first?.contains("the disk is full") == true)
            }
        }
    }

    // MARK: - /metrics

    @Test func metricsKeepTheirNamesAndValuesAfterWebhookTraffic() async throws {
        let store = MemoryDocumentStore()
        let metrics = Metrics()
        let app = try await Self.application(store: store, metrics: metrics)
        try await app.test(.router) { client in
            var bodies: [String] = []
            for (index, text) in WebhookRouteTests.aidAnswers.enumerated() {
                bodies.append(try await client.post(Inbound.text(text, id: 100 + index)).1)
            }
            bodies.append(try await client.post(Inbound.text("1", id: 112)).1)  // files the case
            bodies.append(try await client.post(Inbound.text("1", id: 112)).1)  // WeChat's retry
            bodies.append(try await client.post(Inbound.text("人工", from: "user-b", id: 200)).1)
            bodies.append(try await client.post(Inbound.image(from: "user-c", media: "m1", id: 300)).1)
            bodies.append(try await client.post(Inbound.event("subscribe", time: 1)).1)
            #expect(
                try await client.post(Inbound.text("你好", id: 400), uri: TestServer.uri(signed: false)).0 == .forbidden)
            #expect(try await client.post("not xml").0 == .badRequest)

            let text = try await Self.scrape(client)
            let lines = Self.lines(text)
            for (name, help) in Self.helpTexts where name != "weiquan_handoff_wait_seconds" {
                #expect(lines.contains("# HELP \(name) \(help)"), "\(name)")
            }
            for name in [
                "weiquan_messages_total", "weiquan_replies_total", "weiquan_dedupe_hits_total",
                "weiquan_signature_failures_total", "weiquan_bad_requests_total", "weiquan_cases_filed_total",
                "weiquan_handoffs_total",
            ] {
                #expect(lines.contains("# TYPE \(name) counter"), "\(name)")
            }
            #expect(lines.contains("# TYPE weiquan_handler_seconds histogram"))
            #expect(lines.contains("# TYPE weiquan_handoffs_waiting gauge"))

            let texts = WebhookRouteTests.aidAnswers.count + 3
            #expect(lines.contains(#"weiquan_messages_total{type="text"} \#(texts)"#))
            #expect(lines.contains(#"weiquan_messages_total{type="image"} 1"#))
            #expect(lines.contains(#"weiquan_messages_total{type="event"} 1"#))
            let xmlReplies = bodies.filter { $0.hasPrefix("<xml>") }.count
            #expect(xmlReplies > 0)
            #expect(lines.contains(#"weiquan_replies_total{kind="text"} \#(xmlReplies)"#))
            if xmlReplies < bodies.count {
                #expect(lines.contains(#"weiquan_replies_total{kind="success"} \#(bodies.count - xmlReplies)"#))
            }
            #expect(lines.contains("weiquan_dedupe_hits_total 1"))
            #expect(lines.contains("weiquan_signature_failures_total 1"))
            #expect(lines.contains(#"weiquan_bad_requests_total{status="400"} 1"#))
            let filed = try await store.all(CaseRecord.self)
            #expect(filed.count == 1)
            #expect(lines.contains(#"weiquan_cases_filed_total{kind="\#(filed.first?.kind.rawValue ?? "?")"} 1"#))
            // Every message parsed is timed, retries included; the buckets keep their old bounds.
            #expect(lines.contains("weiquan_handler_seconds_count \(bodies.count)"))
            #expect(lines.contains(#"weiquan_handler_seconds_bucket{le="+Inf"} \#(bodies.count)"#))
            #expect(
                Metrics.bounds.allSatisfy { bound in
                    lines.contains { $0.hasPrefix(#"weiquan_handler_seconds_bucket{le="\#(bound)"} "#) }
                })
            #expect(lines.contains(#"weiquan_handoffs_total{status="waiting"} 1"#))
            // A gauge is a float in the Prometheus client: `1.0` where the hand-written page had `1`.
            #expect(lines.contains(#"weiquan_handoffs_waiting{unit="centre"} 1.0"#))
            // What tests read through `value` is what the page shows.
            #expect(metrics.value("weiquan_messages_total", label: "text") == texts)
            #expect(metrics.value(.signatureFailures) == 1)

            // Read at scrape time: once claimed, nobody waits, and the unit shows 0.
            let id = try await DeskAPITests.firstHandoffID(client)
            #expect(try await DeskAPITests.call(client, .post, "/api/v1/handoffs/\(id)/claim").status == .ok)
            let claimed = Self.lines(try await Self.scrape(client))
            #expect(claimed.contains(#"weiquan_handoffs_waiting{unit="centre"} 0.0"#))
            #expect(
                claimed.contains(
                    "# HELP weiquan_handoff_wait_seconds \(Self.helpTexts["weiquan_handoff_wait_seconds"] ?? "")"))
            #expect(claimed.contains("# TYPE weiquan_handoff_wait_seconds histogram"))
            #expect(claimed.contains("weiquan_handoff_wait_seconds_count 1"))
        }
    }

    @Test func theMiddlewareCountsEveryRequestByRouteTemplateAndStatus() async throws {
        let metrics = Metrics()
        let app = try await Self.application(metrics: metrics)
        try await app.test(.router) { client in
            for _ in 0..<2 { _ = try await client.execute(uri: "/healthz", method: .get) { $0.status } }
            _ = try await client.say("你好", id: 1)
            #expect(try await DeskAPITests.call(client, .get, "/api/v1/me", token: nil).status == .unauthorized)
            #expect(try await DeskAPITests.call(client, .get, "/api/v1/handoffs/H000001").status == .notFound)
            #expect(try await DeskAPITests.call(client, .get, "/api/v1/handoffs/H000002").status == .notFound)
            #expect(try await client.execute(uri: "/nowhere", method: .get) { $0.status } == .notFound)
            #expect(try await client.execute(uri: "/wechat", method: .delete) { $0.status } == .notFound)
            _ = try await Self.scrape(client)
            let lines = Self.lines(try await Self.scrape(client))

            #expect(lines.contains("# TYPE weiquan_http_requests_total counter"))
            #expect(lines.contains("# TYPE weiquan_http_request_seconds histogram"))
            let expected = [
                (#"method="GET",route="/healthz",status="200""#, 2),
                (#"method="POST",route="/wechat",status="200""#, 1),
                (#"method="GET",route="/api/v1/me",status="401""#, 1),
                // The template, not the path: one series for every handoff id.
                (#"method="GET",route="/api/v1/handoffs/{id}",status="404""#, 2),
                // Paths and methods no route takes share one series.
                (#"method="GET",route="unmatched",status="404""#, 1),
                (#"method="DELETE",route="unmatched",status="404""#, 1),
                // The first scrape; the second is counted after it was written.
                (#"method="GET",route="/metrics",status="200""#, 1),
            ]
            for (labels, count) in expected {
                #expect(lines.contains("weiquan_http_requests_total{\(labels)} \(count)"), "\(labels)")
                #expect(lines.contains("weiquan_http_request_seconds_count{\(labels)} \(count)"), "\(labels)")
                #expect(
                    lines.contains("weiquan_http_request_seconds_bucket{\(labels),le=\"+Inf\"} \(count)"), "\(labels)")
            }
            #expect(lines.filter { $0.hasPrefix("weiquan_http_requests_total{") }.count == expected.count)
            #expect(metrics.value(.httpRequests, labels: ["GET", "/healthz", "200"]) == 2)
        }
    }
}

/// A store that holds nothing and cannot be written: the disk is full.
private struct UnwritableStore: DocumentStore {
    struct DiskFull: Error, CustomStringConvertible {
        var description: String { "the disk is full" }
    }

    func write(_ changes: [DocumentChange]) async throws { throw DiskFull() }
    func document(collection: String, id: String) async throws -> Data? { nil }
    func documents(collection: String) async throws -> [(id: String, json: Data)] { [] }
    func count(collection: String) async throws -> Int { 0 }
    func collections() async throws -> [String] { [] }
    func checkWritable() async throws { throw DiskFull() }
}
