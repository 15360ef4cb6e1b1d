import ArgumentParser
import Foundation
import WeChatChannel
import WeiquanCore
import WeiquanFiles
import WeiquanServer

struct WeChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wechat",
        abstract: "Official-account tools.",
        subcommands: [MenuCommand.self]
    )
}

struct MenuCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "menu",
        abstract: "Print the custom-menu JSON built from the config (wechat.menu_buttons and wechat.menu).",
        discussion: "Each CLICK key starts the intent wechat.menu maps it to; labels come from intents/replies.json."
    )

    @OptionGroup var data: DataOptions

    func run() async throws {
        let document = try self.data.configuration()
        let settings = try document.decode(ServerSettings.self)
        let bot = try self.data.load(configuration: document)
        let (menu, problems) = settings.wechat.customMenu(replies: bot.makeMachine().replies, catalogue: bot.catalogue)
        for problem in problems { printError("error: \(problem)") }
        FileHandle.standardOutput.write(menu.json())
        print()
        if !problems.isEmpty { throw ExitCode.failure }
    }
}
