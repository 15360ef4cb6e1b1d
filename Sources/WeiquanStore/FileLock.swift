import SystemPackage

/// An exclusive `flock(2)` on a file, held from its creation until ``release()`` (or until it is dropped). It
/// excludes other processes and other open descriptors of this one; the kernel drops it when the process
/// dies, so a crash never leaves a stale lock.
///
/// The store's writer lock is one; other modules of the package take one to serialise the writers of a file
/// they keep beside the store (the desk's `tokens.json`).
package final class FileLock {
    /// The lock file.
    package let path: String
    /// The open lock file; nil once released.
    private(set) var file: FileDescriptor?

    /// Opens `path`, creating it with the mode bits `permissions` (such as `0o600`), and takes its lock,
    /// waiting while another holds it.
    ///
    /// - Throws: `StoreError` (`.io`, `.notFound` when the directory is missing) naming the call and the file.
    package convenience init(path: String, permissions: Int = 0o644) throws(StoreError) {
        let file = try FileLock.lock(path, permissions: permissions, wait: true)
        self.init(path: path, file: file)
    }

    /// Opens `path` (creating it) and takes its lock if nobody holds it; nil when another does.
    convenience init?(ifFree path: String, permissions: Int = 0o644) throws(StoreError) {
        guard let file = try FileLock.lock(path, permissions: permissions, wait: false) else {
            return nil
        }
        self.init(path: path, file: file)
    }

    private init(path: String, file: FileDescriptor?) {
        self.path = path
        self.file = file
    }

    /// Releases the lock (closing the file); later calls do nothing.
    package func release() {
        if let file = self.file {
            POSIX.close(file)
            self.file = nil
        }
    }

    deinit {
        self.release()
    }

    /// The open, locked file; nil when `wait` is false and another holds the lock.
    private static func lock(_ path: String, permissions: Int, wait: Bool) throws(StoreError) -> FileDescriptor? {
        let file = try POSIX.open(
            path, .readWrite, options: .create, permissions: FilePermissions(rawValue: CInterop.Mode(permissions))
        )
        do throws(StoreError) {
            guard try POSIX.lockExclusively(file, wait: wait, path: path) else {
                POSIX.close(file)
                return nil
            }
            return file
        } catch {
            POSIX.close(file)
            throw error
        }
    }
}
