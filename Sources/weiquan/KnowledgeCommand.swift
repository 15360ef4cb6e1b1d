import ArgumentParser
import Foundation
import WeiquanCore
import WeiquanServer
import WeiquanStore

struct KnowledgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Export and import the knowledge base (优秀问答) of the store (embedded or PostgreSQL).",
        subcommands: [ExportKnowledge.self, ImportKnowledge.self]
    )
}

extension KnowledgeTransfer.Format: ExpressibleByArgument {}

struct ExportKnowledge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Every entry, published and retired, ordered by id: JSON that `kb import` reads back, or Markdown.",
        discussion: """
            Reads the embedded store read-only (the service may be running). JSON is an array with one entry per \
            line as the store keeps it; Markdown has one `##` section per entry, for people to review.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "json or markdown.")
    var format: KnowledgeTransfer.Format = .json

    @Option(
        name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run() async throws {
        let format = self.format
        let text = try await self.store.location(defaultDirectory: defaultDataDirectory()).withStore(access: .read) {
            try await KnowledgeTransfer.export(from: $0.documents, format: format)
        }
        if let output = self.output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } else {
            print(text, terminator: "")
        }
    }
}

struct ImportKnowledge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Upsert entries from a JSON file by id (entries without one get one); report what changed.",
        discussion: """
            The file is a JSON array of entries, or an object whose `entries` holds them (as in \
            intents/knowledge-seed.json, or what `kb export` wrote). Each entry needs title, question and answer; \
            id, ip_type, tags, status (published or retired) and the created/updated fields are optional. Every \
            entry is checked first: one invalid entry and nothing is imported. Each entry created or changed is \
            audited. The embedded store's directory is locked while it is written: stop the service first (a \
            PostgreSQL store can be imported into while it runs; the running instances take the entries in).
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The JSON file to import ('-' for standard input).", valueName: "file"))
    var file: String

    @Flag(help: "Check the file and report what would change, without writing anything.")
    var dryRun = false

    @Option(help: "Who the audit trail and the entries name as the author of the change.")
    var actor = "import"

    func run() async throws {
        let data: Data
        do {
            data =
                self.file == "-"
                ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: self.file))
        } catch {
            throw CommandFailure("cannot read \(self.file): \(error.localizedDescription)")
        }
        let (dryRun, actor) = (self.dryRun, self.actor)
        let location = try self.store.location(defaultDirectory: defaultDataDirectory())
        do {
            let report = try await location.withStore(access: dryRun ? .read : .write) { opened in
                try await KnowledgeTransfer.importFile(
                    data, into: opened.documents, dryRun: dryRun, actor: actor, now: Date())
            }
            print("\(self.file): \(report)")
        } catch let error as KnowledgeImportError {
            throw CommandFailure("\(self.file): \(error)")
        }
    }
}
