import Foundation

/// Blobs as files of a directory, one file per blob named by its key (`<directory>/<sha256>`), with the store's file
/// discipline: written to a temporary name, synced, renamed, the directory synced.
///
/// Used beside the embedded store (`<data>/blobs`), which one instance alone writes. Two puts of one key at once each
/// write a temporary of their own and rename it over the other's: same bytes, so either wins.
public struct FileBlobStore: BlobStore {
    /// The directory of the blobs; created by the first put.
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func put(_ bytes: [UInt8], sha256: String) async throws {
        try BlobKey.check(sha256)
        let path = self.path(sha256)
        if case .success = POSIX.status(ofPath: path) {
            return
        }
        try self.createDirectory()
        let temporary = self.directory.appendingPathComponent(".\(sha256).\(UUID().uuidString).tmp").path
        try AtomicFile.replace(path, with: bytes, through: temporary)
    }

    public func get(sha256: String) async throws -> [UInt8]? {
        try BlobKey.check(sha256)
        do {
            return try AtomicFile.read(self.path(sha256))
        } catch let error where error.code == .notFound {
            return nil
        }
    }

    public func delete(sha256: String) async throws {
        try BlobKey.check(sha256)
        let path = self.path(sha256)
        guard case .success = POSIX.status(ofPath: path) else { return }
        try POSIX.remove(path)
        try POSIX.syncDirectory(self.directory.path)
    }

    private func path(_ sha256: String) -> String {
        self.directory.appendingPathComponent(sha256).path
    }

    /// Creates the directory if it is missing, and makes its name durable in its parent.
    private func createDirectory() throws(StoreError) {
        if case .success(let found) = POSIX.identity(ofPath: self.directory.path), found.isDirectory {
            return
        }
        do {
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(
                code: .io, message: "cannot create the blob directory: \(error.localizedDescription)",
                path: self.directory.path)
        }
        try POSIX.syncDirectory(self.directory.deletingLastPathComponent().path)
    }
}

extension FileDocumentStore: BlobStoreProviding {
    /// `<data>/blobs`.
    public var blobs: any BlobStore {
        FileBlobStore(directory: self.directory.appendingPathComponent("blobs"))
    }
}
