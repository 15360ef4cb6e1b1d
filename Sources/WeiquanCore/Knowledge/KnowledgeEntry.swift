import Foundation

/// One entry of the knowledge base (优秀问答): a question applicants ask and the answer the centre stands behind,
/// written or promoted from a volunteer's answered question by staff. The bot searches the published entries
/// (``KnowledgeIndex``) before it queues a new question; retired ones stay stored, out of every search.
///
/// Stored in the `kb` collection as JSON with snake_case keys, like the other documents. ``validated()`` checks the
/// texts against ``Limits`` and returns them trimmed; every way in (the desk API, `weiquan kb import`) goes through it.
public struct KnowledgeEntry: Codable, Sendable, Equatable, Identifiable {
    public static let currentSchemaVersion = 1

    /// Whether the bot may answer with the entry.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Searched by the bot and shown on the public page.
        case published
        /// Kept for the record; never searched or shown to applicants.
        case retired
    }

    /// How long the texts may be, in characters.
    public enum Limits {
        /// A title is one line.
        public static let title = 60
        public static let question = 1_000
        /// The answer goes to the applicant as one WeChat text message, whose content is at most 2,048 bytes:
        /// 600 Chinese characters are 1,800 bytes of UTF-8.
        public static let answer = 600
        public static let tags = 10
        /// A tag is one line.
        public static let tag = 20
        /// The id of the volunteer question the entry was promoted from.
        public static let sourceQuestion = 64
    }

    public var schemaVersion: Int
    public var id: KnowledgeEntryID
    /// What the entry is about, in a few words (shown as the heading; weighted highest in the search).
    public var title: String
    /// The question as applicants ask it.
    public var question: String
    /// The answer, as the bot sends it.
    public var answer: String
    /// The kind of right it is about, when it is about one.
    public var ipType: IPType?
    /// Words staff file it under (searched too).
    public var tags: [String]
    public var status: Status
    public var createdAt: Date
    public var updatedAt: Date
    /// The staff token's name (or `import`) that made it, and that changed it last.
    public var createdBy: String
    public var updatedBy: String
    /// The volunteer question it was promoted from, if any.
    public var sourceQuestionID: String?

    public init(
        id: KnowledgeEntryID, title: String, question: String, answer: String, ipType: IPType? = nil,
        tags: [String] = [], status: Status = .published, createdAt: Date, createdBy: String,
        sourceQuestionID: String? = nil
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.title = title
        self.question = question
        self.answer = answer
        self.ipType = ipType
        self.tags = tags
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.createdBy = createdBy
        self.updatedBy = createdBy
        self.sourceQuestionID = sourceQuestionID
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, title, question, answer, tags, status
        case ipType = "ip_type"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case createdBy = "created_by"
        case updatedBy = "updated_by"
        case sourceQuestionID = "source_question_id"
    }

    /// Whether the bot searches it.
    public var isPublished: Bool { self.status == .published }

    /// The entry with its texts trimmed of white space at both ends and its tags without repeats, or the first
    /// thing wrong with it: an id of the wrong form, an empty or too long text, a line break in the title or a tag,
    /// a control character, too many tags.
    public func validated() throws -> KnowledgeEntry {
        guard self.id.isWellFormed else { throw KnowledgeError.badID(self.id.rawValue) }
        var entry = self
        entry.title = try Self.checked(self.title, .title, limit: Limits.title, singleLine: true)
        entry.question = try Self.checked(self.question, .question, limit: Limits.question, singleLine: false)
        entry.answer = try Self.checked(self.answer, .answer, limit: Limits.answer, singleLine: false)
        // Counted as given, repeats included: what a client sent past the limit is refused, not quietly shortened.
        guard self.tags.count <= Limits.tags else {
            throw KnowledgeError.tooManyTags(count: self.tags.count, limit: Limits.tags)
        }
        var tags: [String] = []
        for tag in self.tags {
            let checked = try Self.checked(tag, .tag, limit: Limits.tag, singleLine: true)
            if !tags.contains(checked) { tags.append(checked) }
        }
        entry.tags = tags
        if let source = self.sourceQuestionID {
            entry.sourceQuestionID = try Self.checked(
                source, .sourceQuestion, limit: Limits.sourceQuestion, singleLine: true)
        }
        return entry
    }

    /// `text` trimmed, if it is not empty, within `limit` characters and free of control characters (line breaks
    /// and tabs are allowed where `singleLine` is false).
    static func checked(
        _ text: String, _ field: KnowledgeError.Field, limit: Int, singleLine: Bool
    ) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw KnowledgeError.empty(field) }
        let count = trimmed.count
        guard count <= limit else { throw KnowledgeError.tooLong(field, count: count, limit: limit) }
        let allowed: Set<Unicode.Scalar> = singleLine ? [] : ["\n", "\r", "\t"]
        let bad = trimmed.unicodeScalars.contains { scalar in
            !allowed.contains(scalar) && (scalar.properties.generalCategory == .control || scalar == "\u{2028}")
        }
        guard !bad else { throw KnowledgeError.controlCharacters(field) }
        return trimmed
    }
}
