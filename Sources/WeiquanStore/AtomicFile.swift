import SystemPackage

/// A small file read whole and replaced whole, atomically and durably, with the store's file discipline:
/// the new content goes to a temporary file beside it, is synced, and is renamed over the file, and then the
/// directory is synced. A reader sees the old content or the new one, never part of one, and the new one
/// survives a crash once ``replace(_:with:through:permissions:)`` returns.
///
/// For files that other modules of the package keep beside the store (the desk's `tokens.json`); writers
/// that read, change and replace such a file serialise on a ``FileLock``.
package enum AtomicFile {
    /// The whole content of the file at `path`.
    ///
    /// - Throws: `StoreError` with `.notFound` when there is no file, `.io` naming the call and the path.
    package static func read(_ path: String) throws(StoreError) -> [UInt8] {
        try POSIX.readFile(path)
    }

    /// Replaces the content of `path` with `bytes` through `temporary`, a path in the same directory.
    ///
    /// The file gets the mode bits `permissions` (`0o600` for a file of secrets), whatever a temporary left
    /// behind by a crash had. When writing the temporary fails, it is removed and the file is unchanged.
    ///
    /// - Throws: `StoreError` (`.io`, `.notFound` when the directory is missing) naming the call and the file.
    package static func replace(
        _ path: String,
        with bytes: [UInt8],
        through temporary: String,
        permissions: Int = 0o644
    ) throws(StoreError) {
        let mode = FilePermissions(rawValue: CInterop.Mode(permissions))
        do throws(StoreError) {
            let file = try POSIX.open(temporary, .writeOnly, options: [.create, .truncate], permissions: mode)
            defer { POSIX.close(file) }
            // A leftover temporary keeps its old mode through O_CREAT.
            try POSIX.setPermissions(file, mode, path: temporary)
            try bytes.withBytes { raw throws(StoreError) in
                try POSIX.writeAll(file, raw, at: nil, path: temporary)
            }
            try POSIX.syncData(file, path: temporary)
        } catch {
            try? POSIX.remove(temporary)
            throw error
        }
        try POSIX.rename(temporary, to: path)
        let directory = FilePath(path).removingLastComponent()
        try POSIX.syncDirectory(directory.isEmpty ? "." : directory.string)
    }
}
