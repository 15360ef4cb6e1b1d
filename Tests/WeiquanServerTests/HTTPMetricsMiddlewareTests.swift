import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import WeiquanServer

/// The HTTP metrics middleware on a router of its own: errors a handler throws count with the status they
/// are answered with.
@Suite struct HTTPMetricsMiddlewareTests {
    struct Unexpected: Error {}

    @Test func aThrownErrorCountsWithTheStatusItIsAnsweredWith() async throws {
        let metrics = Metrics()
        let router = Router()
        router.add(middleware: HTTPMetricsMiddleware(metrics: metrics))
        router.get("/fails") { _, _ -> String in throw Unexpected() }
        router.get("/busy/:id") { _, _ -> String in throw HTTPError(.tooManyRequests) }
        router.get("/fine") { _, _ in "fine" }
        let app = Application(router: router)
        try await app.test(.router) { client in
            let failed = try await client.execute(uri: "/fails", method: .get) { $0.status }
            let busy = try await client.execute(uri: "/busy/1", method: .get) { $0.status }
            let fine = try await client.execute(uri: "/fine", method: .get) { $0.status }
            #expect(failed == .internalServerError && busy == .tooManyRequests && fine == .ok)
        }
        #expect(metrics.value(.httpRequests, labels: ["GET", "/fails", "500"]) == 1)
        #expect(metrics.value(.httpRequests, labels: ["GET", "/busy/{id}", "429"]) == 1)
        #expect(metrics.value(.httpRequests, labels: ["GET", "/fine", "200"]) == 1)
        #expect(
            metrics.render().contains(
                #"weiquan_http_request_seconds_count{method="GET",route="/fails",status="500"} 1"#))
    }

    @Test func anUnusualMethodCountsAsOther() async throws {
        let metrics = Metrics()
        let router = Router()
        router.add(middleware: HTTPMetricsMiddleware(metrics: metrics))
        router.on("/dav", method: HTTPRequest.Method("PROPFIND") ?? .get) { _, _ in "dav" }
        let app = Application(router: router)
        try await app.test(.router) { client in
            let method = try #require(HTTPRequest.Method("PROPFIND"))
            let status = try await client.execute(uri: "/dav", method: method) { $0.status }
            #expect(status == .ok)
        }
        #expect(metrics.value(.httpRequests, labels: ["other", "/dav", "200"]) == 1)
    }
}
