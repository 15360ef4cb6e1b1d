import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import WeiquanCore
import WeiquanFiles
import WeiquanPostgres
import WeiquanServer
import WeiquanStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the WeChat webhook service.",
        discussion: """
            Without options it runs on its embedded defaults: 127.0.0.1:8080, data in ./data, the demo
            configuration. Every config key can be set in the --config file or by an environment variable
            (WEIQUAN_WECHAT_TOKEN, WEIQUAN_SERVER_PORT, …; see README). With --store (or $WEIQUAN_STORE_URL)
            it keeps everything in PostgreSQL, migrating the schema first; several instances can serve one
            account on one database.
            """
    )

    @OptionGroup var data: DataOptions

    @Option(help: "The port to listen on (overrides server.port).")
    var port: Int?

    @Option(help: "The address to listen on (overrides server.host).")
    var host: String?

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let document = try self.data.configuration()
        var settings = try document.decode(ServerSettings.self)
        if let port = self.port { settings.server.port = port }
        if let host = self.host { settings.server.host = host }
        let location = try self.store.location(defaultDirectory: settings.server.dataDirectory)
        if case .embedded(let directory) = location { settings.server.dataDirectory = directory }
        var logger = Logger(label: "weiquan")
        logger.logLevel = Logger.Level(rawValue: settings.server.logLevel) ?? .info
        if settings.wechat.usesDemoToken {
            printError(
                """
                ************************************************************************
                WARNING: the WeChat token is the demo one ('\(ServerSettings.WeChat.demoToken)').
                Anyone can sign requests to this service. Set WEIQUAN_WECHAT_TOKEN (or
                wechat.token in --config) to the token of your official account.
                ************************************************************************
                """
            )
        }
        if !document.overriddenBy.isEmpty {
            logger.info("configuration from the environment", metadata: ["variables": "\(document.overriddenBy)"])
        }
        let bot = try self.data.load(configuration: document)
        switch location {
        case .embedded:
            try await Self.serveEmbedded(settings: settings, bot: bot, logger: logger)
        case .postgres(let url):
            try await Self.servePostgres(url: url, settings: settings, bot: bot, logger: logger)
        }
    }

    /// The embedded store in the data directory, holding its lock; tokens in its `tokens.json`.
    static func serveEmbedded(settings: ServerSettings, bot: BotData, logger: Logger) async throws {
        let metrics = Metrics()
        let store = try await FileDocumentStore.open(
            directory: URL(fileURLWithPath: settings.server.dataDirectory), options: .init(callerAffinity: .eventLoops))
        store.onFlush { _, seconds in metrics.observe(.storeFlushSeconds, seconds: seconds) }
        let app = try await WeiquanApplication.build(
            settings: settings, data: bot, store: store, metrics: metrics, logger: logger)
        Self.logServing(settings: settings, bot: bot, store: "data \(settings.server.dataDirectory)", logger: logger)
        try await app.runService()
    }

    /// PostgreSQL, migrated first; tokens in its `tokens` collection, read on every request.
    ///
    /// The database's pools run around the application rather than as one of its services: building the
    /// application reads the store (cases, handoffs, the outbox), and a pool can be run only once.
    static func servePostgres(
        url: PostgresStoreURL, settings: ServerSettings, bot: BotData, logger: Logger
    ) async throws {
        try await StoreLocation.postgres(url).withStore(access: .write, logger: logger) { opened in
            if !opened.migrationsApplied.isEmpty {
                logger.info(
                    "store schema migrated", metadata: ["versions": "\(opened.migrationsApplied)"])
            }
            let collection = TokenCollection(
                store: opened.documents, coordination: opened.coordination, storeDescription: url.description)
            let tokens = TokenRegistry(lookup: collection, storage: collection, logger: logger)
            // The coordination's LISTEN loop runs as one of the application's services: the change follower and
            // the outbox mirror hear the other instances' writes through it.
            let listening = (opened.coordination as? any Service).map { [$0] } ?? []
            let app = try await WeiquanApplication.build(
                settings: settings, data: bot, store: opened.documents, tokens: tokens,
                coordination: opened.coordination, backing: listening, logger: logger
            )
            Self.logServing(settings: settings, bot: bot, store: "postgres \(url)", logger: logger)
            try await app.runService()
        }
    }

    static func logServing(settings: ServerSettings, bot: BotData, store: String, logger: Logger) {
        logger.info(
            "weiquan serving",
            metadata: [
                "address": "\(settings.server.host):\(settings.server.port)", "store": "\(store)",
                "mode": "\(settings.wechat.mode.rawValue)", "intents": "\(bot.catalogue.intents.count)",
            ]
        )
    }
}
