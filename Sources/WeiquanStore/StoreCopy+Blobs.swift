extension StoreCopy {
    /// Copies the blobs named by `keys` from `source` to `destination` (those already there are left alone: blobs
    /// are content-addressed) and reads each back to compare. Returns how many were copied.
    ///
    /// Throws ``StoreCopyError/blobMissing(_:)`` when the source lacks a blob a document refers to (nothing more is
    /// copied; what was copied stays), ``StoreCopyError/blobDiffers(_:)`` when a blob reads back different, and the
    /// stores' errors.
    public func copyBlobs(_ keys: [String], from source: any BlobStore, to destination: any BlobStore) async throws
        -> Int
    {
        var copied = 0
        for key in Self.unique(keys) {
            guard let bytes = try await source.get(sha256: key) else { throw StoreCopyError.blobMissing(key) }
            if try await destination.get(sha256: key) == nil {
                try await destination.put(bytes, sha256: key)
                copied += 1
            }
            guard try await destination.get(sha256: key) == bytes else { throw StoreCopyError.blobDiffers(key) }
        }
        return copied
    }
}
