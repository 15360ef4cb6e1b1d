/// An entry of the knowledge base (优秀问答) that answers what the applicant asked, as the service found it for the
/// machine (``ConversationContext/knowledge``).
public struct KnowledgeAnswer: Sendable, Equatable {
    public var id: String
    public var title: String
    public var answer: String

    public init(id: String, title: String, answer: String) {
        self.id = id
        self.title = title
        self.answer = answer
    }
}
