import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import WeiquanCore
import WeiquanStore

/// Wires the knowledge base into the application: the desk's routes (`/api/v1/kb`), the public page (`/kb`), and —
/// when other instances share the store — the service that follows their writes.
enum KnowledgeFeature {
    /// Adds the routes to `router`; returns the services to run beside the application.
    static func install(
        _ knowledge: KnowledgeBase, service: ConversationService, router: Router<WeiquanRequestContext>,
        tokens: TokenRegistry, clock: @escaping @Sendable () -> Date, logger: Logger
    ) -> [any Service] {
        let edits = KnowledgeService(knowledge: knowledge, clock: clock, makeID: service.makeID, logger: logger)
        KnowledgeController(service: edits, tokens: tokens).addRoutes(to: router)
        let (configuration, replies) = (service.machine.configuration, service.machine.replies)
        KnowledgePage(
            knowledge: knowledge, contact: configuration.contact,
            timeZone: TimeZone(identifier: configuration.desk.officeHours.timeZone)
                ?? TimeZone(identifier: "Asia/Shanghai") ?? .gmt,
            typeNames: Dictionary(
                uniqueKeysWithValues: IPType.allCases.map { ($0, replies.render("option.ip_type.\($0.rawValue)")) })
        ).addRoutes(to: router)
        return knowledge.coordination.isSingleInstance ? [] : [KnowledgeFollower(knowledge: knowledge)]
    }
}
