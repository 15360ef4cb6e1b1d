/// Names one document of a store: its collection and its id.
public struct DocumentKey: Hashable, Sendable, CustomStringConvertible {
    public var collection: String
    public var id: String

    public init(collection: String, id: String) {
        self.collection = collection
        self.id = id
    }

    /// `collection/id`.
    public var description: String { "\(self.collection)/\(self.id)" }
}
