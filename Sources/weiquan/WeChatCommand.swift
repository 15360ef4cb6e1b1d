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

    @Flag(help: "Install the menu on the official account (needs wechat.appid and wechat.appsecret).")
    var push = false

    func run() async throws {
        let document = try self.data.configuration()
        let settings = try document.decode(ServerSettings.self)
        let bot = try self.data.load(configuration: document)
        let (menu, problems) = settings.wechat.customMenu(replies: bot.makeMachine().replies, catalogue: bot.catalogue)
        for problem in problems { printError("error: \(problem)") }
        FileHandle.standardOutput.write(menu.json())
        print()
        if !problems.isEmpty { throw ExitCode.failure }
        guard self.push else { return }
        guard !settings.wechat.appID.isEmpty, !settings.wechat.appSecret.isEmpty else {
            throw ValidationError(
                "--push needs wechat.appid and wechat.appsecret (WEIQUAN_WECHAT_APPID, WEIQUAN_WECHAT_APPSECRET)")
        }
        let api = HTTPWeChatAPI(baseURL: settings.wechat.apiBase)
        let token = try await api.accessToken(appID: settings.wechat.appID, secret: settings.wechat.appSecret)
        try await api.createMenu(menu.json(), accessToken: token.value)
        printError("menu installed")
    }
}
