import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import WeiquanCore
import WeiquanFiles
import WeiquanStore

/// Builds the HTTP application: the webhook, the staff desk API (`/api/v1`), `/healthz`, `/metrics` and (for
/// benchmarks) `/bench/echo`.
public enum WeiquanApplication {
    /// - Parameters:
    ///   - settings: The `server` and `wechat` configuration.
    ///   - data: The catalogue, wording, centre configuration and registry.
    ///   - store: Where cases and conversations are kept; closed when the application stops.
    ///   - clock: The time now (tests inject their own).
    ///   - timerClock: What timers, sleeps and deadlines run on: the outbox's back-off and sweep, the token's
    ///     refresh, WeChat API timeouts, the sweepers (tests move a manual clock).
    ///   - metrics: The registry `/metrics` renders; the caller may feed it store flush times.
    ///   - tokens: The staff desk's tokens; nil reads `tokens.json` in the data directory (and re-reads it
    ///     when `weiquan token` changes it).
    public static func build(
        settings: ServerSettings, data: BotData, store: any DocumentStore, outbound: (any OutboundQueue)? = nil,
        tokens: TokenRegistry? = nil, clock: @escaping @Sendable () -> Date = { Date() },
        timerClock: any Clock<Duration> = ContinuousClock(), metrics: Metrics = Metrics(),
        logger: Logger = Logger(label: "weiquan")
    ) async throws -> some ApplicationProtocol {
        var services: [any Service] = []
        var queue = outbound
        var outboxToGate: Outbox?
        if queue == nil {
            // Answers that miss the 5-second window, and those held for a closed 48-hour window, go here.
            let api = HTTPWeChatAPI(baseURL: settings.wechat.apiBase, clock: timerClock)
            let tokens = AccessTokenManager(
                api: api, appID: settings.wechat.appID, secret: settings.wechat.appSecret, clock: timerClock,
                metrics: metrics, logger: logger
            )
            let outbox = try await Outbox(
                store: store, api: api, tokens: tokens, clock: clock, timerClock: timerClock, metrics: metrics, logger: logger
            )
            queue = outbox
            outboxToGate = outbox
            if settings.wechat.appID.isEmpty || settings.wechat.appSecret.isEmpty {
                logger.warning(
                    "no wechat.appid/appsecret: late answers are kept in the outbox but not sent through the customer-service API"
                )
            } else {
                services.append(OutboxService(outbox: outbox, clock: clock, timerClock: timerClock, logger: logger))
            }
        }
        let service = try await ConversationService(
            machine: data.makeMachine(), store: store, outbound: queue,
            dedupeWindow: TimeInterval(settings.server.dedupeWindowSeconds), clock: clock, metrics: metrics, logger: logger
        )
        // The bot's and the queue's late messages go out only while they still own the conversation.
        outboxToGate?.checkOwnership { applicant in await service.owner(of: applicant) }
        let tokens = tokens ?? TokenRegistry(
            file: TokenFile(directory: URL(fileURLWithPath: settings.server.dataDirectory)), logger: logger
        )
        let desk = DeskService(service: service, tokens: tokens, logger: logger)
        let handoffs = service.handoffs
        metrics.gauge("weiquan_handoffs_waiting", label: "unit") { handoffs.waitingCounts() }
        let router = Router()
        try WebhookController(settings: settings, service: service, metrics: metrics, clock: clock, logger: logger)
            .addRoutes(to: router)
        DeskController(desk: desk, tokens: tokens, logger: logger).addRoutes(to: router)
        let intentCount = data.catalogue.intents.count
        router.get("/healthz") { _, _ -> Response in
            var problems: [String] = []
            do {
                try await store.checkWritable()
            } catch {
                problems.append("store not writable: \(error)")
            }
            if intentCount == 0 { problems.append("no intents loaded") }
            let body = problems.isEmpty
                ? "{\"status\":\"ok\",\"intents\":\(intentCount)}"
                : "{\"status\":\"unavailable\",\"problems\":\(Self.jsonArray(problems))}"
            return Response(
                status: problems.isEmpty ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body))
            )
        }
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.render()))
            )
        }
        if settings.server.benchRoutes {
            // The bare route benchmarks compare the full path against, served by the same binary.
            router.post("/bench/echo") { _, _ in "success" }
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(settings.server.host, port: settings.server.port), serverName: "weiquan"),
            // Services stop in reverse order: the outbox records its calls in flight before the store closes.
            services: [
                RetrySweeper(service: service, clock: timerClock, logger: logger), DeskSweeper(desk: desk, clock: timerClock),
                StoreCloser(store: store, logger: logger),
            ] + services,
            logger: logger
        )
    }

    static func jsonArray(_ strings: [String]) -> String {
        let data = (try? JSONEncoder().encode(strings)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Closes the store (flushing it and releasing its lock) when the application shuts down.
struct StoreCloser: Service {
    let store: any DocumentStore
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        if let file = self.store as? FileDocumentStore {
            do {
                try await file.close()
            } catch {
                self.logger.error("store did not close cleanly", metadata: ["error": "\(error)"])
            }
        }
    }
}
