import Foundation

/// A document a store can hold: JSON with a collection name and an id.
///
/// The document's JSON is whatever its `Codable` conformance makes of it through `StoreCoding.encode` (the bytes
/// `StoreCoding.encoder` would write); it must encode as one JSON object. Documents carry their own `schemaVersion` field when their shape
/// may change; the store does not look inside them.
public protocol StoredDocument: Codable, Sendable {
    /// The collection the documents of this type live in, such as `"cases"`.
    static var collection: String { get }
    /// The document's id, unique within its collection.
    var documentID: String { get }
    /// The document's JSON as the store keeps it: `StoreCoding.encode(self)` unless the type says otherwise. A
    /// document every message writes may write itself with a ``DirectJSONWriter``, byte for byte the same: one
    /// object on one line, which a write does not scan again.
    func storeJSON() throws -> Data
}

extension StoredDocument {
    /// `StoreCoding.encode(self)`.
    public func storeJSON() throws -> Data {
        try StoreCoding.encode(self)
    }
}
