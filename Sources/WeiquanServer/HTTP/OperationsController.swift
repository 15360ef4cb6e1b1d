import Hummingbird
import NIOCore
import WeiquanStore

/// The routes for operators: `/healthz` (can the service work?) and `/metrics` (the Prometheus text format).
struct OperationsController: Sendable {
    let store: any DocumentStore
    /// How many intents the catalogue loaded; none means the bot cannot understand anything.
    let intentCount: Int
    let metrics: Metrics

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        router.get("/healthz") { _, _ in await self.health() }
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: self.metrics.render()))
            )
        }
    }

    /// 200 `{"status":"ok","intents":N}`, or 503 `{"status":"unavailable","problems":[…]}`.
    func health() async -> EditedResponse<HealthReport> {
        var problems: [String] = []
        do {
            try await self.store.checkWritable()
        } catch {
            problems.append("store not writable: \(error)")
        }
        if self.intentCount == 0 { problems.append("no intents loaded") }
        let report =
            problems.isEmpty
            ? HealthReport(status: "ok", intents: self.intentCount)
            : HealthReport(status: "unavailable", problems: problems)
        return EditedResponse(
            status: problems.isEmpty ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
            response: report
        )
    }

    /// The body of `/healthz`.
    struct HealthReport: ResponseEncodable {
        var status: String
        var intents: Int?
        var problems: [String]?

        init(status: String, intents: Int? = nil, problems: [String]? = nil) {
            self.status = status
            self.intents = intents
            self.problems = problems
        }
    }
}
