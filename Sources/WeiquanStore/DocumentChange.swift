import Foundation

/// One change of a write: put JSON bytes (one JSON object) under `collection`/`id`, or delete that
/// document (`json == nil`).
///
/// The bytes are stored as given, except that leading and trailing white space is dropped and line
/// breaks between tokens become spaces (so pretty-printed JSON still fits on one journal line). A
/// `write` rejects the whole batch if any change is not one valid JSON object.
public struct DocumentChange: Sendable, Equatable {
    /// The collection, such as `"cases"`; not empty.
    public var collection: String
    /// The document's id within the collection; not empty.
    public var id: String
    /// The document's JSON (one object), or nil to delete the document.
    public var json: Data?
    /// When true the change creates the document: the whole write fails with `StoreError` `.conflict`
    /// (nothing written) if a document with this collection and id already exists. This is how several
    /// instances take the next case number or handoff id without a gap and without taking one twice.
    public var mustNotExist: Bool
    /// Whether `json` is a typed document's `storeJSON()` (``put(_:)``): one object on one line
    /// by construction, so a write need not scan it again. Not part of the change's identity (`==`).
    var isEncoderOutput = false

    /// Makes a change from its parts.
    public init(collection: String, id: String, json: Data?, mustNotExist: Bool = false) {
        self.collection = collection
        self.id = id
        self.json = json
        self.mustNotExist = mustNotExist
    }

    /// The collection and id the change is about.
    public var key: DocumentKey { DocumentKey(collection: self.collection, id: self.id) }

    /// Puts a typed document, encoded with its `storeJSON()` (the bytes `StoreCoding.encoder` writes), under its
    /// collection and id.
    public static func put<D: StoredDocument>(_ document: D) throws -> DocumentChange {
        let json: Data
        do {
            json = try document.storeJSON()
        } catch {
            throw StoreError(
                code: .coding,
                message: "cannot encode \(D.collection)/\(document.documentID) (\(D.self)): \(error)"
            )
        }
        var change = DocumentChange(collection: D.collection, id: document.documentID, json: json)
        change.isEncoderOutput = true
        return change
    }

    /// Changes are equal when they change the same document the same way, however their JSON was made.
    public static func == (lhs: DocumentChange, rhs: DocumentChange) -> Bool {
        lhs.collection == rhs.collection && lhs.id == rhs.id && lhs.json == rhs.json
            && lhs.mustNotExist == rhs.mustNotExist
    }

    /// Creates a typed document: like ``put(_:)``, but the write fails with `.conflict` if it exists already.
    public static func create<D: StoredDocument>(_ document: D) throws -> DocumentChange {
        var change = try self.put(document)
        change.mustNotExist = true
        return change
    }

    /// Deletes the document `id` of `collection` (nothing happens if there is none).
    public static func delete(collection: String, id: String) -> DocumentChange {
        DocumentChange(collection: collection, id: id, json: nil)
    }

    /// Deletes the document `id` of a typed document's collection.
    public static func delete<D: StoredDocument>(_ type: D.Type, id: String) -> DocumentChange {
        DocumentChange(collection: D.collection, id: id, json: nil)
    }
}
