import Foundation
import WeiquanCore
import WeiquanStore

/// `weiquan kb export` and `import`: the knowledge base out of a store as JSON or Markdown, and a JSON file into it.
public enum KnowledgeTransfer {
    /// What `export` writes.
    public enum Format: String, Sendable, CaseIterable {
        /// A JSON array, one entry per line as the store keeps it: `import` reads it back unchanged.
        case json
        /// One `##` section per entry, for people (``KnowledgeMarkdown``).
        case markdown
    }

    /// What an import did (or, in a dry run, would do).
    public struct ImportReport: Sendable, Equatable, CustomStringConvertible {
        public var created: Int
        public var updated: Int
        public var unchanged: Int
        public var dryRun: Bool

        public init(created: Int, updated: Int, unchanged: Int, dryRun: Bool) {
            self.created = created
            self.updated = updated
            self.unchanged = unchanged
            self.dryRun = dryRun
        }

        public var description: String {
            (self.dryRun ? "dry run, nothing written: would create " : "created ")
                + "\(self.created), \(self.dryRun ? "update " : "updated ")\(self.updated), "
                + "\(self.dryRun ? "leave " : "left ")\(self.unchanged) unchanged"
        }
    }

    /// Entries written per write (each with its audit event).
    static let batchSize = 250

    /// Every entry of `store`, ordered by id, in `format`.
    public static func export(from store: any DocumentStore, format: Format) async throws -> String {
        let entries = try await store.all(KnowledgeEntry.self).sorted { $0.id < $1.id }
        switch format {
        case .markdown:
            return KnowledgeMarkdown.render(entries)
        case .json:
            let lines = try entries.map { String(decoding: try StoreCoding.encode($0), as: UTF8.self) }
            return lines.isEmpty ? "[]\n" : "[\n" + lines.joined(separator: ",\n") + "\n]\n"
        }
    }

    /// Imports the entries of a JSON file (``KnowledgeDraft/decodeFile(_:)``) into `store`, upserting by id; entries
    /// without an id get one from `newEntryID`. Nothing is written when an entry is invalid (``KnowledgeImportError``)
    /// or when `dryRun` is set. Each entry created or changed is audited (`kb_created`, `kb_updated`) as `actor`.
    /// Written in batches of 250 entries, each with its audit events: if a write fails, the earlier batches stay
    /// written and the same import can be run again.
    public static func importFile(
        _ data: Data, into store: any DocumentStore, dryRun: Bool, actor: String, now: Date,
        makeID: @Sendable () -> String = { UUID().uuidString },
        newEntryID: @Sendable () -> KnowledgeEntryID = KnowledgeService.randomID
    ) async throws -> ImportReport {
        let drafts: [KnowledgeDraft]
        do {
            drafts = try KnowledgeDraft.decodeFile(data)
        } catch let error as DecodingError {
            throw KnowledgeImportError(problems: ["not a file of entries: \(Self.describe(error))"])
        }
        let existing = try await store.all(KnowledgeEntry.self)
        let plan = try KnowledgeImport.plan(drafts, existing: existing, now: now, actor: actor, newID: newEntryID)
        let report = ImportReport(
            created: plan.created.count, updated: plan.updated.count, unchanged: plan.unchanged.count, dryRun: dryRun)
        guard !dryRun else { return report }
        func audit(_ action: AuditAction, _ entry: KnowledgeEntry) -> AuditEvent {
            AuditEvent(
                id: makeID(), at: now, actor: actor, action: action, conversation: nil,
                detail: "entry=\(entry.id) import")
        }
        var pairs: [[DocumentChange]] = []
        for entry in plan.created { pairs.append([try .create(entry), try .put(audit(.kbCreated, entry))]) }
        for entry in plan.updated { pairs.append([try .put(entry), try .put(audit(.kbUpdated, entry))]) }
        var start = 0
        while start < pairs.count {
            let end = min(start + Self.batchSize, pairs.count)
            try await store.write(pairs[start..<end].flatMap { $0 })
            start = end
        }
        return report
    }

    /// Where in the file, and what was wrong, in a few words.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "'\(key.stringValue)' is missing at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)) has the wrong type or value (\(context.debugDescription))"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
