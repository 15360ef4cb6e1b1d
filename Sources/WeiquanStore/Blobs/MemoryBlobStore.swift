import Synchronization

/// The in-memory twin of the blob stores, for tests: the same key check, nothing on disk.
public final class MemoryBlobStore: BlobStore {
    private let blobs = Mutex<[String: [UInt8]]>([:])

    /// An empty store.
    public init() {}

    public func put(_ bytes: [UInt8], sha256: String) async throws {
        try BlobKey.check(sha256)
        self.blobs.withLock { blobs in
            if blobs[sha256] == nil { blobs[sha256] = bytes }
        }
    }

    public func get(sha256: String) async throws -> [UInt8]? {
        try BlobKey.check(sha256)
        return self.blobs.withLock { $0[sha256] }
    }

    public func delete(sha256: String) async throws {
        try BlobKey.check(sha256)
        _ = self.blobs.withLock { $0.removeValue(forKey: sha256) }
    }

    /// How many blobs are stored.
    public var count: Int { self.blobs.withLock { $0.count } }
}

extension MemoryDocumentStore: BlobStoreProviding {}
