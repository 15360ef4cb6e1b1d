import ArgumentParser

@main
struct WeiquanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weiquan",
        abstract: "维权 Weiquan: the WeChat assistant of an IP rights-protection aid centre.",
        subcommands: [
            ServeCommand.self, ChatCommand.self, ClassifyCommand.self, ReplayCommand.self, CheckCommand.self,
            CasesCommand.self, ReportCommand.self, WeChatCommand.self, ConfigCommand.self, TokenCommand.self,
            StoreCommand.self, KnowledgeCommand.self, RegistryCommand.self,
        ]
    )
}
