import ArgumentParser
import Foundation
import WeiquanFiles

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the embedded demo configuration: the starting point for a centre's own file."
    )

    func run() throws {
        FileHandle.standardOutput.write(BotData.demoConfigurationJSON)
        print()
    }
}
