/// An entry found by ``KnowledgeIndex/search(_:limit:)``.
public struct KnowledgeMatch: Sendable, Equatable {
    public var id: KnowledgeEntryID
    public var title: String
    /// The BM25F score: higher is better, comparable only between matches of one query.
    public var score: Double
    /// How much of what the query says the entry covers, from 0 to 1: the score of the query's character pairs and
    /// words over the score of an entry that held each of them with full weight (terms the index has never seen
    /// count in full). Comparable between queries; ``KnowledgeIndex/best(_:)`` holds it against the threshold.
    public var confidence: Double
    /// How many of the query's character pairs and words the entry holds.
    public var matchedTerms: Int

    public init(id: KnowledgeEntryID, title: String, score: Double, confidence: Double, matchedTerms: Int) {
        self.id = id
        self.title = title
        self.score = score
        self.confidence = confidence
        self.matchedTerms = matchedTerms
    }
}
