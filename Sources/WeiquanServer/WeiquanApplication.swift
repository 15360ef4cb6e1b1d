import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import WeiquanCore
import WeiquanFiles
import WeiquanRegistry
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
    ///   - metrics: The application's own metrics, which `/metrics` renders; the caller may feed it store flush times.
    ///   - tokens: The staff desk's tokens; nil reads `tokens.json` in the data directory (and re-reads it
    ///     when `weiquan token` changes it).
    ///   - coordination: How this instance agrees with the others on the same store; the default is alone.
    ///   - backing: Services the store needs running (the database's connection pools); started first,
    ///     stopped last.
    ///   - registryShelf: Where imported registry sources are kept; nil: `registry/` in the data directory for the
    ///     embedded store, the store's `registry-sources` and blobs otherwise.
    public static func build(
        settings: ServerSettings, data: BotData, store: any DocumentStore, outbound: (any OutboundQueue)? = nil,
        tokens: TokenRegistry? = nil, coordination: any Coordination = InProcessCoordination(),
        backing: [any Service] = [], clock: @escaping @Sendable () -> Date = { Date() },
        timerClock: any Clock<Duration> = ContinuousClock(), metrics: Metrics = Metrics(),
        registryShelf: (any RegistryShelf)? = nil, logger: Logger = Logger(label: "weiquan")
    ) async throws -> some ApplicationProtocol {
        var services: [any Service] = []
        // The imported registry, loaded before the first message; the watcher picks up later imports.
        let registry = LiveRegistry(
            shelf: registryShelf ?? Self.registryShelf(settings: settings, store: store, logger: logger),
            fallback: data.registry, fallbackIsDemo: data.registryIsDemo, calendar: data.configuration.holidays,
            logger: logger)
        await registry.refresh()
        services.append(
            RegistryWatcher(
                registry: registry, clock: timerClock,
                interval: .seconds(max(1, settings.server.registryRefreshSeconds))))
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
                store: store, api: api, tokens: tokens, clock: clock, timerClock: timerClock,
                coordination: coordination, metrics: metrics, logger: logger
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
        // The knowledge base (优秀问答) the bot searches before it queues a question: `knowledge.answer(to:)`.
        let knowledge = try await KnowledgeBase(store: store, coordination: coordination, logger: logger)
        let service = try await ConversationService(
            machine: data.makeMachine(registry: registry), store: store, outbound: queue, coordination: coordination,
            knowledge: { text in
                knowledge.answer(to: text).map {
                    KnowledgeAnswer(id: $0.entry.id.rawValue, title: $0.entry.title, answer: $0.entry.answer)
                }
            },
            dedupeWindow: TimeInterval(settings.server.dedupeWindowSeconds),
            conversationCache: settings.server.conversationCache, clock: clock, timerClock: timerClock,
            metrics: metrics, logger: logger
        )
        // The bot's and the queue's late messages go out only while they still own the conversation.
        outboxToGate?.checkOwnership { applicant in await service.owner(of: applicant) }
        let tokens =
            (tokens
            ?? TokenRegistry(
                file: TokenFile(directory: URL(fileURLWithPath: settings.server.dataDirectory)), logger: logger
            )).forApplication()
        let desk = DeskService(service: service, tokens: tokens, logger: logger)
        let handoffs = service.handoffs
        // Metric labels are strings: the unit ids go out as they are.
        metrics.gauge(.handoffsWaiting) {
            Dictionary(uniqueKeysWithValues: handoffs.waitingCounts().map { ($0.key.rawValue, $0.value) })
        }
        metrics.gauge(.casesOverdue) { CaseService.overdueByUnit(service) }
        let router = Router(context: WeiquanRequestContext.self)
        // First, so that it wraps every route added after it.
        router.add(middleware: HTTPMetricsMiddleware(metrics: metrics))
        try WebhookController(settings: settings, service: service, metrics: metrics, clock: clock, logger: logger)
            .addRoutes(to: router)
        DeskController(desk: desk, tokens: tokens).addRoutes(to: router)
        DeskEventsController(changes: handoffs.changes, tokens: tokens, clock: timerClock).addRoutes(to: router)
        RepliesController(replies: data.deskReplies, tokens: tokens).addRoutes(to: router)
        let cases = CaseService(service: service, logger: logger)
        CasesController(cases: cases, tokens: tokens).addRoutes(to: router)
        OpenAPIController().addRoutes(to: router)
        services += KnowledgeFeature.install(
            knowledge, service: service, router: router, tokens: tokens, clock: clock, logger: logger)
        let blobs = EvidenceFeature.blobs(of: store, logger: logger)
        EvidenceFeature.install(
            settings: settings, store: store, blobs: blobs, service: service, outbox: outboxToGate, router: router,
            tokens: tokens, clock: clock, timerClock: timerClock, logger: logger)
        let privacy = PrivacyService(service: service, blobs: blobs, logger: logger)
        PrivacyController(privacy: privacy, tokens: tokens).addRoutes(to: router)
        ReportsController(service: service, tokens: tokens).addRoutes(to: router)
        RegistryController(
            registry: registry, staleDays: data.configuration.conversation.legalStatusStaleDays,
            today: { [machine = service.machine] in machine.day(of: clock()) }, tokens: tokens
        ).addRoutes(to: router)
        TokensController(
            storage: tokens.storage, tokens: tokens, directory: service.machine.configuration.directory,
            store: store, linkMinutes: settings.console.linkMinutes, clock: clock, logger: logger
        ).addRoutes(to: router)
        PracticeController(practice: PracticeService(service: service, clock: clock), tokens: tokens)
            .addRoutes(to: router)
        // The volunteer queue; the follow-up replies volunteers read are withheld until a redactor is wired in.
        let questions = QuestionService(
            service: service,
            redact: { [redactor = service.machine.redactor] text, known in
                redactor.redact(text, known: known).text
            }, logger: logger)
        await questions.refreshFigures()
        questions.registerGauges(metrics)
        service.questionFiled.withLock { [board = questions.board] in $0 = { board.update($0) } }
        QuestionsController(questions: questions, tokens: tokens).addRoutes(to: router)
        try ConsoleFeature.install(
            settings: settings.console, centre: service.machine.configuration.contact.centreName,
            services: .init(
                conversation: service, desk: desk, cases: cases, questions: questions, privacy: privacy,
                knowledge: knowledge, registry: registry),
            store: store, tokens: tokens, coordination: coordination, router: router, clock: clock, logger: logger)
        OperationsController(store: store, intentCount: data.catalogue.intents.count, metrics: metrics).addRoutes(
            to: router)
        if settings.server.benchRoutes {
            // The bare route benchmarks compare the full path against, served by the same binary.
            router.post("/bench/echo") { _, _ in "success" }
        }
        return Application(
            router: router,
            configuration: .init(
                address: .hostname(settings.server.host, port: settings.server.port), serverName: "weiquan"),
            // Services stop in reverse order: the outbox records its calls in flight before the store closes.
            services: backing + [
                RetrySweeper(service: service, clock: timerClock, logger: logger),
                DeskSweeper(desk: desk, coordination: coordination, clock: timerClock),
                RetentionSweeper(privacy: privacy, coordination: coordination, clock: timerClock, logger: logger),
                QuestionSweeper(questions: questions, coordination: coordination, clock: timerClock),
                ReminderSweeper(service: service, coordination: coordination, clock: timerClock, logger: logger),
                StoreCloser(store: store, service: service, logger: logger),
            ] + services
                + (coordination.isSingleInstance
                    ? [] : [ChangeFollower(service: service, coordination: coordination, logger: logger)]),
            logger: logger
        )
    }
}

extension WeiquanApplication {
    /// Where an embedded store's registry sources are (`registry/` beside its files, written by `weiquan registry
    /// import` while the service runs), or a shared store's (its documents and blobs).
    static func registryShelf(settings: ServerSettings, store: any DocumentStore, logger: Logger) -> any RegistryShelf {
        if store is FileDocumentStore {
            return RegistryDirectory(dataDirectory: URL(fileURLWithPath: settings.server.dataDirectory))
        }
        return RegistryDocuments(store: store, blobs: EvidenceFeature.blobs(of: store, logger: logger))
    }
}

/// Closes the store (flushing it and releasing its lock) when the application shuts down, once the work the
/// conversation service started in the background (position notices) has been written.
struct StoreCloser: Service {
    let store: any DocumentStore
    let service: ConversationService
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        await self.service.settled()
        if let file = self.store as? FileDocumentStore {
            do {
                try await file.close()
            } catch {
                self.logger.error("store did not close cleanly", metadata: ["error": "\(error)"])
            }
        }
    }
}
