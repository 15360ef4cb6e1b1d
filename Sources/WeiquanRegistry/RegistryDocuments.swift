import WeiquanStore

/// Registry sources in a document store's `registry-sources` collection, their data in its blobs: what several
/// instances on one PostgreSQL database share.
public struct RegistryDocuments: RegistryShelf {
    public let store: any DocumentStore
    public let blobs: any BlobStore

    public init(store: any DocumentStore, blobs: any BlobStore) {
        self.store = store
        self.blobs = blobs
    }

    public func sources() async throws -> [RegistrySource] {
        try await self.store.all(RegistrySource.self).sorted { $0.name < $1.name }
    }

    public func data(of source: RegistrySource) async throws -> [UInt8] {
        guard let bytes = try await self.blobs.get(sha256: source.dataSHA256) else {
            throw RegistryShelfError("the data of registry source '\(source.name)' is missing from the store")
        }
        return bytes
    }

    public func keep(_ source: RegistrySource, data: [UInt8]) async throws {
        let previous = try await self.store.get(RegistrySource.self, id: source.name)
        try await self.blobs.put(data, sha256: source.dataSHA256)
        try await self.store.put(source)
        if let previous, previous.dataSHA256 != source.dataSHA256, try await !self.isShared(previous.dataSHA256) {
            try await self.blobs.delete(sha256: previous.dataSHA256)
        }
    }

    public func remove(named name: String) async throws -> Bool {
        guard let previous = try await self.store.get(RegistrySource.self, id: name) else { return false }
        try await self.store.delete(RegistrySource.self, id: name)
        if try await !self.isShared(previous.dataSHA256) {
            try await self.blobs.delete(sha256: previous.dataSHA256)
        }
        return true
    }

    /// Whether another source still names these data.
    private func isShared(_ sha256: String) async throws -> Bool {
        try await self.sources().contains { $0.dataSHA256 == sha256 }
    }
}
