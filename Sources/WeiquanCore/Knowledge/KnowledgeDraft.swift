import Foundation

/// An entry as an import file gives it: the texts, and whatever else it has. A file written by hand
/// (`intents/knowledge-seed.json`) gives the texts and perhaps an id, tags and a status; a file that `weiquan kb export`
/// wrote gives every field, and imports back unchanged.
///
/// A file is a JSON array of entries, or an object whose `entries` holds them (other keys, such as a `description`,
/// are for people).
public struct KnowledgeDraft: Decodable, Sendable, Equatable {
    public var id: KnowledgeEntryID?
    public var title: String
    public var question: String
    public var answer: String
    public var ipType: IPType?
    public var tags: [String]?
    public var status: KnowledgeEntry.Status?
    public var createdAt: Date?
    public var updatedAt: Date?
    public var createdBy: String?
    public var updatedBy: String?
    public var sourceQuestionID: String?
    public var schemaVersion: Int?

    public init(
        id: KnowledgeEntryID? = nil, title: String, question: String, answer: String, ipType: IPType? = nil,
        tags: [String]? = nil, status: KnowledgeEntry.Status? = nil
    ) {
        self.id = id
        self.title = title
        self.question = question
        self.answer = answer
        self.ipType = ipType
        self.tags = tags
        self.status = status
    }

    /// The keys of a stored entry, so that an exported file imports back unchanged.
    typealias CodingKeys = KnowledgeEntry.CodingKeys

    /// The entries of an import file (an array, or an object with `entries`), in the file's order.
    public static func decodeFile(_ data: Data) throws -> [KnowledgeDraft] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an ISO 8601 date such as 2026-11-23T10:00:00Z, found \(text)"
            )
        }
        if let entries = try? decoder.decode([KnowledgeDraft].self, from: data) { return entries }
        return try decoder.decode(File.self, from: data).entries
    }

    /// `{"entries": […]}`.
    private struct File: Decodable {
        var entries: [KnowledgeDraft]
    }

    /// The entry this draft makes, over `existing` (the stored entry of the same id) if there is one: the content is
    /// the draft's (what it leaves out, the entry has not); the creation is the draft's, else `existing`'s, else `now`
    /// by `actor`; the update is the draft's, else `now` by `actor`. Not validated: see ``KnowledgeEntry/validated()``.
    public func entry(id: KnowledgeEntryID, existing: KnowledgeEntry?, now: Date, actor: String) -> KnowledgeEntry {
        var entry = KnowledgeEntry(
            id: id, title: self.title, question: self.question, answer: self.answer, ipType: self.ipType,
            tags: self.tags ?? [], status: self.status ?? .published,
            createdAt: self.createdAt ?? existing?.createdAt ?? now,
            createdBy: self.createdBy ?? existing?.createdBy ?? actor,
            sourceQuestionID: self.sourceQuestionID)
        entry.updatedAt = self.updatedAt ?? now
        entry.updatedBy = self.updatedBy ?? actor
        return entry
    }
}
