import Foundation

/// The in-memory twin of `FileDocumentStore`, for tests: the same checks on every write (a change the
/// file store would reject, this one rejects too), the same ordering, nothing on disk.
public actor MemoryDocumentStore: DocumentStore {
    private var table = DocumentTable()
    /// The blobs kept beside the documents (``BlobStoreProviding``).
    public nonisolated let blobs: any BlobStore = MemoryBlobStore()

    /// An empty store.
    public init() {}

    /// Applies the changes at once (all or none: a bad change, or a create that meets an existing document,
    /// rejects the whole write).
    public func write(_ changes: [DocumentChange]) async throws {
        if changes.isEmpty {
            return
        }
        let prepared = try PreparedWrite(validating: changes, encodeJournalLine: false)
        if prepared.hasCreate {
            var check = CreateCheck()
            try check.accept(prepared.changes, in: self.table)
        }
        self.table.apply(prepared.changes)
    }

    /// The JSON of one document, or nil if there is none.
    public func document(collection: String, id: String) async throws -> Data? {
        self.table.document(collection: collection, id: id)
    }

    /// Every document of a collection, ordered by id.
    public func documents(collection: String) async throws -> [(id: String, json: Data)] {
        self.table.documents(collection: collection)
    }

    /// The names of the collections that hold documents, sorted.
    public func collections() async throws -> [String] {
        self.table.collectionNames
    }

    /// How many documents a collection holds.
    public func count(collection: String) async throws -> Int {
        self.table.count(collection: collection)
    }

    /// Never throws: memory is always writable.
    public func checkWritable() async throws {}
}
