import Foundation

/// What importing a file of entries does to the knowledge base: entries upserted by id, worked out before anything
/// is written, so that a file with one bad entry changes nothing and `--dry-run` tells exactly what would happen.
public struct KnowledgeImport: Sendable, Equatable {
    /// Entries whose id is not stored yet (a draft without an id gets a new one).
    public var created: [KnowledgeEntry]
    /// Stored entries the file changes.
    public var updated: [KnowledgeEntry]
    /// Stored entries the file gives as they are.
    public var unchanged: [KnowledgeEntryID]

    /// The import of `drafts` over the `existing` entries, at `now` by `actor`; `newID` makes ids for drafts without
    /// one (called again while it makes one that is taken). Throws ``KnowledgeImportError`` listing every entry that
    /// is invalid, and ids given twice.
    public static func plan(
        _ drafts: [KnowledgeDraft], existing: [KnowledgeEntry], now: Date, actor: String,
        newID: () -> KnowledgeEntryID
    ) throws -> KnowledgeImport {
        let stored = Dictionary(existing.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var taken = Set(stored.keys).union(drafts.compactMap(\.id))
        var seen: Set<KnowledgeEntryID> = []
        var plan = KnowledgeImport(created: [], updated: [], unchanged: [])
        var problems: [String] = []
        for (index, draft) in drafts.enumerated() {
            let place = "entry \(index + 1)" + (draft.id.map { " (\($0))" } ?? "")
            if let version = draft.schemaVersion, version > KnowledgeEntry.currentSchemaVersion {
                problems.append("\(place): schema_version \(version) is newer than this program reads")
                continue
            }
            let id: KnowledgeEntryID
            if let given = draft.id {
                guard seen.insert(given).inserted else {
                    problems.append("\(place): the id is given twice")
                    continue
                }
                id = given
            } else {
                var fresh = newID()
                while taken.contains(fresh) { fresh = newID() }
                id = fresh
            }
            taken.insert(id)
            let before = stored[id]
            let entry: KnowledgeEntry
            do {
                entry = try draft.entry(id: id, existing: before, now: now, actor: actor).validated()
            } catch let error as KnowledgeError {
                problems.append("\(place): \(error.message)")
                continue
            }
            guard let before else {
                plan.created.append(entry)
                continue
            }
            // Without an update of its own in the draft, an entry equal in everything else is left as it is.
            var comparable = entry
            if draft.updatedAt == nil { comparable.updatedAt = before.updatedAt }
            if draft.updatedBy == nil { comparable.updatedBy = before.updatedBy }
            comparable.schemaVersion = before.schemaVersion
            if comparable == before {
                plan.unchanged.append(id)
            } else {
                plan.updated.append(entry)
            }
        }
        guard problems.isEmpty else { throw KnowledgeImportError(problems: problems) }
        return plan
    }
}

/// Why an import file was refused as a whole: one line per problem, naming the entry by its place and id.
public struct KnowledgeImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String {
        "\(self.problems.count) invalid entr\(self.problems.count == 1 ? "y" : "ies"), nothing imported:\n"
            + self.problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
