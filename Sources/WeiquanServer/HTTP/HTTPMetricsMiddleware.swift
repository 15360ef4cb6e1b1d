import Hummingbird
import WeiquanCore

/// The methods counted by name; any other counts as `other`, so a client cannot add series at will. Made once: a
/// generic type cannot store it, and a set made at every request cost an allocation and seven hashes.
private let countedMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .patch, .delete, .options]

/// Counts every HTTP request and records its latency, by method, route template and status, in
/// ``MetricDefinition/httpRequests`` and ``MetricDefinition/httpRequestSeconds``.
///
/// Like Hummingbird's own `MetricsMiddleware`, but into the application's ``Metrics`` rather than the
/// process-wide `MetricsSystem`. The route is the template the router matched (`/api/v1/handoffs/{id}`), so
/// the number of series stays bounded; a request no route matched counts as `unmatched`. An error the
/// handler throws counts with the status it will be answered with (500 for one that is not an
/// `HTTPResponseError`). Add it to the router before the routes, so that it wraps every one of them.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: Metrics

    @concurrent func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            self.record(request, context, status: response.status, since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            self.record(request, context, status: status, since: started)
            throw error
        }
    }

    func record(
        _ request: Request, _ context: Context, status: HTTPResponse.Status, since started: ContinuousClock.Instant
    ) {
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        let method = countedMethods.contains(request.method) ? request.method.rawValue : "other"
        let labels = [method, route, String(status.code)]
        self.metrics.increment(.httpRequests, labels: labels)
        self.metrics.observe(.httpRequestSeconds, labels: labels, seconds: (ContinuousClock.now - started).inSeconds)
    }
}
