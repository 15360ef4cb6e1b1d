import ArgumentParser
import Foundation
import WeiquanCore
import WeiquanServer
import WeiquanStore

struct CasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Read the filed cases from the store (embedded or PostgreSQL), whether the service runs or not.",
        subcommands: [ListCases.self, ShowCase.self, ExportCases.self]
    )
}

extension StoreOptions {
    /// Every case, oldest first, from the embedded store (read-only, so the service may run) or PostgreSQL.
    func cases() async throws -> [CaseRecord] {
        try await self.location(defaultDirectory: defaultDataDirectory()).withStore(access: .read) { opened in
            try await opened.documents.all(CaseRecord.self).sorted {
                ($0.createdAt, $0.id) < ($1.createdAt, $1.id)
            }
        }
    }
}

struct ListCases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "One line per case.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let cases = try await self.store.cases()
        for record in cases {
            let fields = [
                record.id.rawValue, record.kind.rawValue, record.status.rawValue,
                CaseFormatting.timestamp(record.createdAt), record.unit?.rawValue ?? "-",
                record.fields["region"] ?? "-", record.fields["ip_type"] ?? "-",
            ]
            print(fields.joined(separator: "\t"))
        }
        printError("\(cases.count) case(s)")
    }
}

struct ShowCase: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One case as JSON.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The case id, e.g. WQ202611210001.")
    var id: String

    func run() async throws {
        let wanted = CaseID(parsing: self.id)
        guard let record = try await self.store.cases().first(where: { $0.id == wanted }) else {
            throw ValidationError("no case \(wanted?.rawValue ?? self.id)")
        }
        print(try CaseFormatting.json([record], single: true))
    }
}

struct ExportCases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Every case as CSV or JSON.")

    enum Format: String, ExpressibleByArgument {
        case csv, json
    }

    @OptionGroup var store: StoreOptions

    @Option(help: "csv or json.")
    var format: Format = .csv

    func run() async throws {
        let cases = try await self.store.cases()
        switch self.format {
        case .json: print(try CaseFormatting.json(cases, single: false))
        case .csv: print(CaseFormatting.csv(cases), terminator: "")
        }
    }
}

/// How cases are printed by the CLI.
enum CaseFormatting {
    /// The field columns of the CSV export, in order.
    static let fieldColumns = [
        "applicant_type", "name", "phone", "region", "ip_type", "ip_number", "other_party", "facts", "services",
        "evidence", "subject", "location", "contact",
    ]

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return formatter.string(from: date)
    }

    static func json(_ cases: [CaseRecord], single: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = single ? try encoder.encode(cases[0]) : try encoder.encode(cases)
        return String(decoding: data, as: UTF8.self)
    }

    static func csv(_ cases: [CaseRecord]) -> String {
        var rows = [
            ["id", "kind", "status", "created_at", "unit"] + Self.fieldColumns + ["attachments", "consent_version"]
        ]
        for record in cases {
            rows.append(
                [
                    record.id.rawValue, record.kind.rawValue, record.status.rawValue, Self.timestamp(record.createdAt),
                    record.unit?.rawValue ?? "",
                ]
                    + Self.fieldColumns.map { record.fields[$0] ?? "" }
                    + [String(record.attachments.count), record.consent?.noticeVersion ?? ""]
            )
        }
        return rows.map { $0.map(Self.escape).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it.
    static func escape(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
