import Foundation
import Hummingbird
import Logging
import WeiquanCore
import WeiquanStore

/// Installs the browser console under `/console`: its templates (embedded, or replaced from
/// ``ConsoleSettings/directory``), the sign-in sessions (also accepted by `/api/v1`, with a CSRF header for
/// changes), and the pages of every role.
///
/// Pages read through the same services as the API, with the same role and unit rules; every change a page makes
/// is an `/api/v1` call from the browser.
enum ConsoleFeature {
    /// The services the console's pages read.
    struct Services: Sendable {
        var conversation: ConversationService
        var desk: DeskService
        var cases: CaseService
        var questions: QuestionService
        var privacy: PrivacyService
        var knowledge: KnowledgeBase
        /// The legal-status data the bot answers from (its sources on the reports page).
        var registry: LiveRegistry
    }

    /// Every file the console embeds, by name: the sign-in pages' and each family of pages'.
    static var files: [String: [UInt8]] {
        var files = ConsoleController.files
        for family in [
            ConsoleDeskPages.files, ConsoleCasePages.files, ConsoleQuestionPages.files, ConsoleAdminPages.files,
        ] {
            files.merge(family) { first, _ in first }
        }
        return files
    }

    static func install(
        settings: ConsoleSettings, centre: String, services: Services, store: any DocumentStore,
        tokens: TokenRegistry, coordination: any Coordination, router: Router<WeiquanRequestContext>,
        clock: @escaping @Sendable () -> Date, makeSecret: (@Sendable () -> String)? = nil, logger: Logger
    ) throws {
        let templates = try ConsoleTemplates(embedded: Self.files, directory: settings.directory, logger: logger)
        let directory = services.conversation.machine.configuration.directory
        let renderer = ConsoleRenderer(
            templates: templates, centre: centre,
            unitNames: Dictionary(directory.units.map { ($0.id, $0.name) }) { first, _ in first })
        let sessions = ConsoleSessions(
            store: store, tokens: tokens, coordination: coordination, settings: settings, clock: clock,
            makeSecret: makeSecret ?? { TokenRegistry.makeSecret() }, logger: logger)
        tokens.consoleSessions = sessions
        // The outer error middleware renders what the session middleware refuses; the inner one renders a page's
        // errors with the menu of whoever is signed in.
        let errors = ConsoleErrorMiddleware(renderer: renderer, logger: logger)
        let open = router.group("/console", context: ConsoleRequestContext.self)
            .add(middleware: errors)
            .add(middleware: ConsoleSessionMiddleware(sessions: sessions, required: false))
            .add(middleware: errors)
        ConsoleController(sessions: sessions, renderer: renderer, settings: settings, logger: logger)
            .addRoutes(to: open)
        let pages = router.group("/console", context: ConsoleRequestContext.self)
            .add(middleware: errors)
            .add(middleware: ConsoleSessionMiddleware(sessions: sessions, required: true))
            .add(middleware: errors)
        ConsoleDeskPages(services: services, renderer: renderer).addRoutes(to: pages)
        ConsoleCasePages(services: services, renderer: renderer).addRoutes(to: pages)
        ConsoleQuestionPages(services: services, renderer: renderer).addRoutes(to: pages)
        ConsoleAdminPages(services: services, renderer: renderer).addRoutes(to: pages)
        // Any other console path: the error page (a 404 with the menu), not an empty answer.
        pages.get("**") { _, _ -> Response in throw ConsoleError.notFound("页面") }
    }
}
