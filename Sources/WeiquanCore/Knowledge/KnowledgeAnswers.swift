import Foundation

/// The knowledge base as the conversation machine asks it (``ConversationContext/knowledge``): the best published
/// entry for a question, with its answer, or nil when none is good enough (``KnowledgeIndex/best(_:)``).
public struct KnowledgeAnswers: Sendable {
    public let index: KnowledgeIndex
    private let entries: [KnowledgeEntryID: KnowledgeEntry]

    /// The published ones of `entries`.
    public init(_ entries: [KnowledgeEntry]) {
        let published = entries.filter { $0.status == .published }
        self.index = KnowledgeIndex(published)
        self.entries = Dictionary(published.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The best entry's title and answer for `text`, if good enough.
    public func answer(_ text: String) -> KnowledgeAnswer? {
        guard let match = self.index.best(text), let entry = self.entries[match.id] else { return nil }
        return KnowledgeAnswer(id: entry.id.rawValue, title: entry.title, answer: entry.answer)
    }

    /// ``answer(_:)`` as the context's lookup.
    public var lookup: @Sendable (String) -> KnowledgeAnswer? { { self.answer($0) } }
}

extension KnowledgeAnswers {
    /// The entries of a knowledge-base file (`weiquan kb import`'s JSON, e.g. `intents/knowledge-seed.json`), as of
    /// `now`; entries without an id get `seed-<n>`.
    public init(file data: Data, now: Date) throws {
        let drafts = try KnowledgeDraft.decodeFile(data)
        let entries = try drafts.enumerated().map { index, draft in
            try draft.entry(id: draft.id ?? KnowledgeEntryID("seed-\(index)"), existing: nil, now: now, actor: "seed")
                .validated()
        }
        self.init(entries)
    }
}
