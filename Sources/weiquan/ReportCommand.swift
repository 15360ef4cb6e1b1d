import ArgumentParser
import Foundation
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// `weiquan report`: the yearly-evaluation figures (``CaseReport``) from the store, read-only, so the service may
/// run meanwhile.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Figures of the cases filed in a period, by unit × month × kind × IP type, as JSON or CSV.",
        discussion: """
            Counts the cases filed in [from, to) (days in Asia/Shanghai) at the unit and the units below it, \
            and what happened to them before 'to'; and the handoffs requested in the period. The definitions \
            are in the README (Reports). The org directory comes from the configuration (--config, $WEIQUAN_CONFIG, \
            the demo).
            """
    )

    enum Format: String, ExpressibleByArgument {
        case csv, json
    }

    @OptionGroup var data: DataOptions

    @OptionGroup var store: StoreOptions

    @Option(help: "The first day counted, yyyy-MM-dd.")
    var from: String

    @Option(help: "The first day not counted, yyyy-MM-dd.")
    var to: String

    @Option(help: "A unit id: that unit and the units below it (default: all units).")
    var unit: String?

    @Option(help: "json or csv (CSV in UTF-8 with a byte-order mark, for Excel).")
    var format: Format = .json

    func run() async throws {
        let document = try self.data.configuration()
        let configuration = try document.decode(CentreConfiguration.self)
        let directory = configuration.directory
        let period: ReportPeriod
        do {
            period = try ReportPeriod(from: self.from, to: self.to)
        } catch {
            throw ValidationError(error.message)
        }
        let unit = self.unit.map(UnitID.init)
        if let unit, directory.unit(id: unit) == nil { throw CommandFailure(ReportError.unknownUnit(unit).message) }
        let defaultDirectory = try document.decode(ServerSettings.self).server.dataDirectory
        let (cases, handoffs, sessions) = try await self.store.location(defaultDirectory: defaultDirectory)
            .withStore(access: .read) { opened in
                (
                    try await opened.documents.all(CaseRecord.self), try await opened.documents.all(HandoffRecord.self),
                    try await opened.documents.all(ConversationSession.self)
                )
            }
        // Overdue now is as of this moment, on the centre's deadlines.
        let report = try CaseReport(
            cases: cases, handoffs: handoffs, period: period, unit: unit, directory: directory,
            deadlines: CaseDeadlines(configuration), now: Date(), sessions: sessions)
        switch self.format {
        case .csv:
            print(report.csv(), terminator: "")
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }
}
