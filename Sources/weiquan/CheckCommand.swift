import ArgumentParser
import Foundation
import WeiquanCore
import WeiquanFiles

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate intents/, the wording and the config; exits non-zero on errors.",
        discussion: """
            Reports missing required intents, keywords claimed by two intents, unknown placeholders, missing
            wording, units and regions that do not fit together, and examples that do not classify as their
            own intent (a warning).
            """
    )

    @OptionGroup var data: DataOptions

    func run() throws {
        let data: BotData
        do {
            data = try self.data.load()
        } catch {
            print("error: \(error)")
            throw ExitCode.failure
        }
        let machine = data.makeMachine()
        let issues =
            CatalogueValidator.validate(
                data.catalogue, matcher: machine.understander.matcher, knownPlaceholders: ContactInfo.placeholderNames
            )
            + ConfigurationValidator.validate(
                data.configuration, replies: data.replies, catalogue: data.catalogue,
                year: machine.day(of: Date()).year)
        for issue in issues.sorted(by: { $0.severity < $1.severity }) { print(issue) }
        let errors = issues.filter { $0.severity == .error }.count
        print(
            "\(data.catalogue.intents.count) intents, \(data.replies.templates.count) replies, "
                + "\(data.configuration.directory.units.count) units: \(errors) error(s), \(issues.count - errors) warning(s)"
        )
        if errors > 0 { throw ExitCode.failure }
    }
}
