import ArgumentParser
import NIOCore
import NIOPosix

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

    static func main() async {
        if CommandLine.arguments.dropFirst().first == "serve" {
            NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
