import ArgumentParser
import Foundation
import Hummingbird
import Logging
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the WeChat webhook service.",
        discussion: """
            Without options it runs on its embedded defaults: 127.0.0.1:8080, data in ./data, the demo
            configuration. Every config key can be set in the --config file or by an environment variable
            (WEIQUAN_WECHAT_TOKEN, WEIQUAN_SERVER_PORT, …; see README).
            """
    )

    @OptionGroup var data: DataOptions

    @Option(help: "The port to listen on (overrides server.port).")
    var port: Int?

    @Option(help: "The address to listen on (overrides server.host).")
    var host: String?

    @Option(name: .customLong("data"), help: "The data directory (overrides server.data_directory).")
    var dataDirectory: String?

    func run() async throws {
        let document = try self.data.configuration()
        var settings = try document.decode(ServerSettings.self)
        if let port = self.port { settings.server.port = port }
        if let host = self.host { settings.server.host = host }
        if let dataDirectory = self.dataDirectory { settings.server.dataDirectory = dataDirectory }
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
        let metrics = Metrics()
        let store = try await FileDocumentStore.open(directory: URL(fileURLWithPath: settings.server.dataDirectory))
        store.onFlush { _, seconds in metrics.observe(.storeFlushSeconds, seconds: seconds) }
        let app = try await WeiquanApplication.build(
            settings: settings, data: bot, store: store, metrics: metrics, logger: logger)
        logger.info(
            "weiquan serving",
            metadata: [
                "address": "\(settings.server.host):\(settings.server.port)",
                "data": "\(settings.server.dataDirectory)",
                "mode": "\(settings.wechat.mode.rawValue)", "intents": "\(bot.catalogue.intents.count)",
            ]
        )
        try await app.runService()
    }
}
