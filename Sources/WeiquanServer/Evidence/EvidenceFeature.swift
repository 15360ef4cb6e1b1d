import Foundation
import Hummingbird
import Logging
import Synchronization
import WeiquanStore

/// Wires the evidence into the application: the routes, and the worker beside the outbox's delivery.
enum EvidenceFeature {
    /// Where the evidence's bytes are kept: beside the store's documents (``BlobStoreProviding``), else in memory.
    static func blobs(of store: any DocumentStore, logger: Logger) -> any BlobStore {
        if let provider = store as? any BlobStoreProviding { return provider.blobs }
        logger.warning("the store keeps no blobs: evidence is kept in memory only")
        return MemoryBlobStore()
    }

    /// Adds `/api/v1/cases/{id}/evidence[/{n}]` to `router` and, when there is an outbox that delivers, runs an
    /// ``EvidenceWorker`` beside its delivery (same role, same access-token manager). The bytes are kept where the
    /// store keeps its documents (``BlobStoreProviding``: `<data>/blobs`, or the database's `blobs` table).
    static func install(
        settings: ServerSettings, store: any DocumentStore, blobs: any BlobStore, service: ConversationService,
        outbox: Outbox?, router: Router<WeiquanRequestContext>, tokens: TokenRegistry,
        clock: @escaping @Sendable () -> Date, timerClock: any Clock<Duration>, logger: Logger
    ) {
        EvidenceController(cases: CaseService(service: service, logger: logger), blobs: blobs, tokens: tokens)
            .addRoutes(to: router)
        guard let outbox else { return }
        let api = HTTPWeChatAPI(
            baseURL: settings.wechat.apiBase, timeout: .seconds(settings.evidence.fetchTimeoutSeconds),
            clock: timerClock)
        let worker = EvidenceWorker(
            service: service, blobs: blobs, api: api, tokens: outbox.tokens, settings: settings.evidence, clock: clock,
            timerClock: timerClock, logger: logger)
        service.evidenceCreated.withLock { $0 = { worker.created($0) } }
        outbox.whileDelivering { await worker.work() }
    }
}
