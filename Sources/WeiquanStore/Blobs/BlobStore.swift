/// Bytes kept by the lowercase hex of their SHA-256, where every instance of the service reads them: a directory
/// beside the embedded store (``FileBlobStore``), a table of the shared PostgreSQL database (module
/// `WeiquanPostgres`), or memory (``MemoryBlobStore``, for tests).
///
/// Blobs are content-addressed, so a put is idempotent: putting the same bytes twice, from one instance or two at
/// once, keeps one copy and fails neither. The caller computes the hash (this module has no cryptography); the store
/// checks its form only.
public protocol BlobStore: Sendable {
    /// Stores `bytes` under `sha256`, durably, unless a blob of that key is there already.
    ///
    /// Throws `StoreError` `.invalidDocument` (nothing stored) when `sha256` is not 64 lowercase hex digits, and the
    /// store's own errors (`.io`, `.unavailable`) when the bytes could not be made durable.
    func put(_ bytes: [UInt8], sha256: String) async throws
    /// The bytes stored under `sha256`, or nil when there are none.
    func get(sha256: String) async throws -> [UInt8]?
    /// Deletes the blob stored under `sha256`, durably; nothing happens when there is none.
    ///
    /// Blobs are shared by content: the caller deletes one only when nothing refers to it any more.
    func delete(sha256: String) async throws
}

/// A document store that keeps blobs beside its documents, so that whoever shares the documents shares the blobs.
public protocol BlobStoreProviding {
    /// Where this store's blobs live.
    var blobs: any BlobStore { get }
}

/// The form of a blob key.
public enum BlobKey {
    /// Throws `StoreError` `.invalidDocument` unless `sha256` is 64 lowercase hex digits.
    public static func check(_ sha256: String) throws(StoreError) {
        let bytes = sha256.utf8
        let hex = bytes.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        guard bytes.count == 64, hex else {
            throw StoreError(code: .invalidDocument, message: "a blob key must be 64 lowercase hex digits")
        }
    }

    /// A digest's bytes as lowercase hex: a SHA-256 digest gives the blob key the caller computed.
    public static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
