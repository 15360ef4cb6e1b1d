import ArgumentParser
import Foundation
import WeiquanPostgres
import WeiquanRegistry
import WeiquanServer
import WeiquanStore

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Migrate, copy and inspect the store: the embedded one in a directory, or PostgreSQL.",
        subcommands: [MigrateStore.self, CopyStore.self, StoreStatus.self]
    )
}

struct MigrateStore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring a PostgreSQL store's schema to this version (weiquan serve does it at start too)."
    )

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let location = try self.store.location(defaultDirectory: defaultDataDirectory())
        guard case .postgres = location else {
            print("\(location) needs no migration: its files say which version wrote them")
            return
        }
        let (applied, version) = try await location.withStore(access: .write) { opened in
            (opened.migrationsApplied, opened.schemaVersion ?? 0)
        }
        if applied.isEmpty {
            print("\(location): schema version \(version), up to date")
        } else {
            let list = applied.map(String.init).joined(separator: ", ")
            print("\(location): applied migration(s) \(list); schema version \(version)")
        }
    }
}

struct CopyStore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy every document (tokens included) from one store to another, then check the copy.",
        discussion: """
            FROM and TO are each a data directory or postgres://user[:password]@host[:port]/database. Stop the \
            service first. The embedded store's directories are locked while they are copied (a running \
            service holds the lock, and the copy refuses to start). The destination must be empty unless \
            --force is given: then its documents are replaced, and those the source lacks are deleted. After \
            copying, both stores are read back and compared document by document. The evidence's bytes (the \
            blobs the cases refer to) and the legal-status registry's sources are copied after the documents and read \
            back too.
            """
    )

    @Option(help: ArgumentHelp("The store to copy from: a directory or a PostgreSQL URL.", valueName: "dir|url"))
    var from: String

    @Option(help: ArgumentHelp("The store to copy to: a directory or a PostgreSQL URL.", valueName: "dir|url"))
    var to: String

    @Flag(help: "Replace what the destination holds (its documents the source lacks are deleted).")
    var force = false

    @Option(help: "Documents per write.")
    var batchSize = 500

    func run() async throws {
        let source = try StoreLocation(parsing: self.from)
        let destination = try StoreLocation(parsing: self.to)
        guard !source.isSame(as: destination) else {
            throw CommandFailure("--from and --to name the same store (\(source))")
        }
        if case .embedded(let directory) = source, !FileManager.default.fileExists(atPath: directory) {
            throw CommandFailure("there is no data directory at '\(directory)' to copy from")
        }
        let (force, batchSize) = (self.force, self.batchSize)
        let output = try await source.withStore(access: .write) { from in
            try await destination.withStore(access: .write) { to in
                let collections = Set(
                    try await PostgresBackend.collections(of: from.centre)
                        + PostgresBackend.collections(of: to.centre)
                ).sorted()
                let copy = StoreCopy(from: from.centre, to: to.centre, batchSize: batchSize)
                var lines = ["copying \(source) to \(destination)"]
                let entries = try await copy.copy(collections: collections, replacing: force)
                for entry in entries {
                    let deleted = entry.deleted > 0 ? " (\(entry.deleted) deleted that the source lacks)" : ""
                    lines.append("  \(entry.collection): \(entry.copied) document(s) copied\(deleted)")
                }
                let verified = try await copy.verify(collections: collections)
                let total = verified.reduce(0) { $0 + $1.count }
                lines.append(
                    "verified: \(total) document(s) in \(verified.count) collection(s) read back equal to the source")
                // The evidence's bytes, which live beside the documents (a directory, or the database's table).
                if let source = from.centre as? any BlobStoreProviding,
                    let destination = to.centre as? any BlobStoreProviding
                {
                    let keys = try await EvidenceBlobs.keys(in: from.centre)
                    let copied = try await copy.copyBlobs(keys, from: source.blobs, to: destination.blobs)
                    lines.append("blobs: \(copied) of \(keys.count) copied, every one read back equal to the source")
                }
                // The legal-status registry's sources (`registry/` beside an embedded store, or documents and blobs).
                let sources = try await to.registryShelf().copy(from: try from.registryShelf())
                lines.append("registry: \(sources) source(s) copied, every one read back equal to the source")
                return lines
            }
        }
        for line in output { print(line) }
    }
}

struct StoreStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Which store, its schema version (PostgreSQL), how many documents each collection holds, and the "
            + "legal-status registry's sources."
    )

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let location = try self.store.location(defaultDirectory: defaultDataDirectory())
        let lines = try await location.withStore(access: .read, migrate: false) { opened in
            var lines = ["store: \(location)"]
            if let version = opened.schemaVersion {
                lines.append("schema version: \(version)")
            }
            for collection in try await PostgresBackend.collections(of: opened.centre).sorted() {
                lines.append("  \(collection): \(try await opened.centre.count(collection: collection))")
            }
            let sources = try await opened.registryShelf().sources()
            lines.append("legal-status registry: \(sources.count) source(s)")
            for source in sources {
                lines.append(
                    "  \(source.name): as of \(source.asOf ?? "per row"), \(source.patents) patents, "
                        + "\(source.trademarks) trademarks")
            }
            return lines
        }
        for line in lines { print(line) }
    }
}

extension StoreLocation {
    /// Whether two locations name the same store (the same directory, or the same database on the same server).
    func isSame(as other: StoreLocation) -> Bool {
        switch (self, other) {
        case (.embedded(let one), .embedded(let two)):
            return URL(fileURLWithPath: one).standardizedFileURL.resolvingSymlinksInPath()
                == URL(fileURLWithPath: two).standardizedFileURL.resolvingSymlinksInPath()
        case (.postgres(let one), .postgres(let two)):
            return one.description == two.description
        default:
            return false
        }
    }
}
