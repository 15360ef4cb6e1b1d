import ArgumentParser
import Foundation
import WeiquanCore
import WeiquanFiles

/// Where the bot's data comes from; shared by every command that runs the bot.
struct DataOptions: ParsableArguments {
    @Option(help: "The intents directory (intents, wording, IP-type words).")
    var intents: String = "intents"

    @Option(help: "A config file (JSON); without it, $WEIQUAN_CONFIG, else the embedded demo configuration.")
    var config: String?

    @Option(help: "A legal-status registry (JSON array); without it, the embedded demo registry.")
    var registry: String?

    /// The configuration: the embedded defaults, the config file, then `WEIQUAN_…` environment variables.
    func configuration() throws -> ConfigurationDocument {
        let environment = ProcessInfo.processInfo.environment
        let path = self.config ?? environment["WEIQUAN_CONFIG"]
        return try ConfigurationDocument.load(file: path.map { URL(fileURLWithPath: $0) }, environment: environment)
    }

    func load(configuration: ConfigurationDocument? = nil) throws -> BotData {
        try BotData.load(
            intentsDirectory: URL(fileURLWithPath: self.intents),
            configuration: try configuration ?? self.configuration(),
            registryFile: self.registry.map { URL(fileURLWithPath: $0) }
        )
    }

    /// The knowledge base as a fresh centre imports it: `knowledge-seed.json` beside the intents, if it is there
    /// and reads (the bot then runs without one).
    func knowledgeSeed() -> KnowledgeAnswers? {
        let seed = URL(fileURLWithPath: self.intents).appendingPathComponent("knowledge-seed.json")
        return try? KnowledgeAnswers(file: Data(contentsOf: seed), now: Date(timeIntervalSince1970: 0))
    }
}

/// Prints to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// The centre's calendar (Asia/Shanghai).
private let shanghai: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
    return calendar
}()

/// The current year in Shanghai, which bounds plausible patent filing years.
func currentYear() -> Int {
    shanghai.component(.year, from: Date())
}

/// Today in Shanghai, the day registry statuses are derived for.
func todayAtTheCentre() -> CalendarDay {
    let parts = shanghai.dateComponents([.year, .month, .day], from: Date())
    return CalendarDay(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
        ?? CalendarDay(dayNumber: 0)
}
