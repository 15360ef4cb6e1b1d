import ArgumentParser
import Foundation
import WeiquanCore
import WeiquanFiles
import WeiquanRegistry
import WeiquanServer
import WeiquanStore

struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Import legal-status exports (patents' events, trademarks' flow rows) and look numbers up.",
        discussion: """
            Each file becomes a source, named after the file unless --source is given; importing a source again
            replaces it, and the same file with the same as-of day changes nothing. With the embedded store the
            sources live in <data directory>/registry/, with PostgreSQL in the store; either way a running
            service answers from a new import within server.registry_refresh_seconds, without a restart.
            """,
        subcommands: [ImportRegistry.self, ListRegistry.self, RemoveRegistry.self, LookupRegistry.self]
    )
}

/// Where the registry sources are; shared by the `registry` subcommands.
struct RegistryOptions: ParsableArguments {
    @OptionGroup var data: DataOptions

    @OptionGroup var store: StoreOptions

    /// Runs `body` with the shelf of the store the service uses with the same configuration and environment.
    func withShelf<T: Sendable>(_ body: @escaping @Sendable (any RegistryShelf) async throws -> T) async throws -> T {
        let document = try self.data.configuration()
        let location = try self.store.location(
            defaultDirectory: document.decode(ServerSettings.self).server.dataDirectory)
        switch location {
        case .embedded(let directory):
            // Not opened: the registry's files have their own lock, so this works while the service runs.
            return try await body(RegistryDirectory(dataDirectory: URL(fileURLWithPath: directory)))
        case .postgres:
            return try await location.withStore(access: .write) { try await body(try $0.registryShelf()) }
        }
    }
}

extension OpenedStore {
    /// Where this store's registry sources are: `registry/` in an embedded store's directory, the documents and
    /// blobs of a PostgreSQL store.
    func registryShelf() throws -> any RegistryShelf {
        if let directory = self.directory {
            return RegistryDirectory(dataDirectory: URL(fileURLWithPath: directory))
        }
        guard let blobs = (self.documents as? any BlobStoreProviding)?.blobs else {
            throw CommandFailure("this store keeps no blobs, so it cannot keep registry data")
        }
        return RegistryDocuments(store: self.documents, blobs: blobs)
    }
}

struct ImportRegistry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import export files (CSV in UTF-8 or GBK, JSON, JSON Lines) and print what each gave.",
        discussion: """
            Column names of the common exports are recognised (申请号, 法律状态公告日, 法律状态, 法律状态信息, 事务代码,
            生效日, 申请日, 标题, 专利权人 …; for trademarks 注册号, 业务, 环节, 结论, 日期 …); unknown columns are
            listed and not read. A row with an invalid number, an unreadable date or an event wording nobody
            knows is refused and listed with its line; the rest is imported. The exit status is 1 when a file
            could not be read at all, 0 otherwise (refused rows are in the report).
            """
    )

    @OptionGroup var options: RegistryOptions

    @Option(help: "The day the data was taken from the official source, yyyy-MM-dd (else a 数据日期 column).")
    var asOf: String?

    @Option(help: "The source's name (one file only; default: the file's name without its extension).")
    var source: String?

    @Option(help: "csv, json or jsonl (default: from the file's extension).")
    var format: RegistryFileFormat?

    @Flag(help: "Print the reports as JSON.")
    var json = false

    @Argument(help: "The export files.")
    var files: [String]

    func validate() throws {
        if self.source != nil, self.files.count > 1 {
            throw ValidationError("--source names one source: give one file with it")
        }
        let names = self.files.map(RegistryImport.sourceName(of:))
        if self.source == nil, let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw ValidationError(
                "two files would both become the source '\(repeated)': import them one at a time with --source")
        }
        if let asOf = self.asOf, CalendarDay(asOf) == nil {
            throw ValidationError("--as-of must be a day written yyyy-MM-dd, not '\(asOf)'")
        }
    }

    func run() async throws {
        let (files, name, format, asOf) = (self.files, self.source, self.format, self.asOf.flatMap(CalendarDay.init))
        let year = currentYear()
        let results = try await self.options.withShelf { shelf in
            var results: [RegistryImport.Result] = []
            let run = RegistryImport(shelf: shelf, importer: RegistryImporter(currentYear: year))
            for file in files {
                let bytes: [UInt8]
                do {
                    bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
                } catch {
                    throw CommandFailure("cannot read \(file): \(error.localizedDescription)")
                }
                do {
                    results.append(
                        try await run.run(bytes, file: file, name: name, format: format, asOf: asOf, now: Date()))
                } catch let error as RegistryImportError {
                    throw CommandFailure(error.message)
                }
            }
            return results
        }
        if self.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
            return
        }
        for result in results { print(Self.describe(result)) }
    }

    /// The report as lines for a person.
    static func describe(_ result: RegistryImport.Result) -> String {
        let report = result.report
        var lines = [
            "\(report.file) (\(report.format), \(report.encoding.rawValue)) → source '\(result.source)': "
                + "\(result.outcome.rawValue)",
            "  rows read \(report.rowsRead), imported \(report.rowsImported), refused \(report.rowsRefused)",
            "  patents \(report.patents) with \(report.events) events; trademarks \(report.trademarks) with "
                + "\(report.flowRows) flow rows",
        ]
        if !report.unknownColumns.isEmpty {
            lines.append("  unknown columns (not read): " + report.unknownColumns.joined(separator: ", "))
        }
        if !report.ignoredColumns.isEmpty {
            lines.append("  columns deliberately not read: " + report.ignoredColumns.joined(separator: ", "))
        }
        for refusal in report.refusals { lines.append("  line \(refusal.line): \(refusal.reason)") }
        if report.rowsRefused > report.refusals.count {
            lines.append("  … and \(report.rowsRefused - report.refusals.count) more refused rows")
        }
        return lines.joined(separator: "\n")
    }
}

struct ListRegistry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the imported sources: as-of day, what each holds, when imported.")

    @OptionGroup var options: RegistryOptions

    func run() async throws {
        let sources = try await self.options.withShelf { try await $0.sources() }
        if sources.isEmpty { print("no registry source imported") }
        for source in sources {
            print(
                "\(source.name)\tas of \(source.asOf ?? "per row")\tpatents \(source.patents)\tevents \(source.events)"
                    + "\ttrademarks \(source.trademarks)\tflow rows \(source.flowRows)\timported "
                    + ISO8601DateFormatter().string(from: source.importedAt) + "\t\(source.file)")
        }
    }
}

struct RemoveRegistry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove an imported source (the service stops answering from it).")

    @OptionGroup var options: RegistryOptions

    @Argument(help: "The source's name (see `registry list`).")
    var name: String

    func run() async throws {
        let name = self.name
        guard try await self.options.withShelf({ try await $0.remove(named: name) }) else {
            throw CommandFailure("there is no registry source named '\(name)'")
        }
        print("removed registry source '\(name)'")
    }
}

struct LookupRegistry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Look a number up in the imported sources, as the bot would today, and print the record as JSON.")

    @OptionGroup var options: RegistryOptions

    @Option(help: "The day to derive the status for, yyyy-MM-dd (default: today).")
    var today: String?

    @Argument(help: "The number, in any written form (ZL 2013 1 0268509.X, CN…, 第12345678号, G1234567).")
    var number: String

    func run() async throws {
        let day: CalendarDay
        if let today = self.today {
            guard let parsed = CalendarDay(today) else { throw ValidationError("--today must be yyyy-MM-dd") }
            day = parsed
        } else {
            day = todayAtTheCentre()
        }
        let number = self.number
        let calendar = try self.options.data.configuration().decode(CentreConfiguration.self).holidays
        let registry = try await self.options.withShelf {
            try await RegistryLoader.load(from: $0, calendar: calendar).0
        }
        guard let record = registry.record(written: number, today: day) else {
            throw CommandFailure("'\(number)' is not in the imported sources")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(record), as: UTF8.self))
    }
}

extension RegistryFileFormat: ExpressibleByArgument {}
