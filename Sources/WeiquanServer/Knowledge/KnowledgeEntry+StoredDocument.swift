import WeiquanCore
import WeiquanStore

extension KnowledgeEntry: StoredDocument {
    public static var collection: String { "kb" }
    public var documentID: String { self.id.rawValue }
}
