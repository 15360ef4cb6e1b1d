import Foundation
import Hummingbird
import WeiquanCore

/// An entry of the knowledge base as the desk API shows it; with `score` and `confidence` when the list was searched.
struct KnowledgeView: Encodable, ResponseEncodable, Sendable {
    var id: KnowledgeEntryID
    var title: String
    var question: String
    var answer: String
    var ipType: IPType?
    var tags: [String]
    var status: KnowledgeEntry.Status
    var createdAt: Date
    var updatedAt: Date
    var createdBy: String
    var updatedBy: String
    var sourceQuestionID: String?
    var score: Double?
    var confidence: Double?

    init(_ entry: KnowledgeEntry, match: KnowledgeMatch? = nil) {
        self.id = entry.id
        self.title = entry.title
        self.question = entry.question
        self.answer = entry.answer
        self.ipType = entry.ipType
        self.tags = entry.tags
        self.status = entry.status
        self.createdAt = entry.createdAt
        self.updatedAt = entry.updatedAt
        self.createdBy = entry.createdBy
        self.updatedBy = entry.updatedBy
        self.sourceQuestionID = entry.sourceQuestionID
        // Rounded, so that the answer reads the same on every platform.
        self.score = match.map { ($0.score * 1_000).rounded() / 1_000 }
        self.confidence = match.map { ($0.confidence * 1_000).rounded() / 1_000 }
    }

    enum CodingKeys: String, CodingKey {
        case id, title, question, answer, tags, status, score, confidence
        case ipType = "ip_type"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case createdBy = "created_by"
        case updatedBy = "updated_by"
        case sourceQuestionID = "source_question_id"
    }
}

/// `GET /api/v1/kb`'s body.
struct KnowledgeListing: ResponseEncodable, Sendable {
    var entries: [KnowledgeView]
    /// How many match in all (the page holds at most `limit` of them).
    var total: Int
}
