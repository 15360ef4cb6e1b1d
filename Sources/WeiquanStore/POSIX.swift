import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file calls of the store, with failures turned into `StoreError`s that name the call and the path
/// ("open failed for /data/journal-3.jsonl: No such file or directory (errno 2)").
///
/// swift-system makes the calls it offers, retrying after `EINTR` and completing short writes:
/// `open`, `read`, `write`/`pwrite`, `ftruncate`, `close` (``FileDescriptor``) and `stat`/`fstat`. What it
/// lacks is made here by hand, each marked **By hand**: `fdatasync` (`F_FULLFSYNC` on Darwin), `fsync` of a
/// directory, `flock`, `fchmod`, `rename`, `unlink` and listing a directory.
///
/// Every call that takes a descriptor comes in two forms: with a ``FileDescriptor``, and with its raw
/// `Int32` for the journal writer, which keeps raw descriptors.
enum POSIX {
    /// Mode bits of the files the store creates: `rw-r--r--`.
    static let defaultPermissions: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]

    // MARK: - Through swift-system

    /// `open(2)` with `O_CLOEXEC` added. A missing file (or directory on the way) throws `.notFound`.
    static func open(
        _ path: String,
        _ access: FileDescriptor.AccessMode,
        options: FileDescriptor.OpenOptions = [],
        permissions: FilePermissions = POSIX.defaultPermissions
    ) throws(StoreError) -> FileDescriptor {
        try POSIX.system("open", path: path, notFound: .notFound) {
            try FileDescriptor.open(
                FilePath(path), access, options: options.union(.closeOnExec), permissions: permissions
            )
        }
    }

    /// `open(2)` with raw flags (`O_WRONLY | O_CREAT | O_EXCL`) and mode, `O_CLOEXEC` added.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(StoreError) -> Int32 {
        try POSIX.open(
            path,
            FileDescriptor.AccessMode(rawValue: flags & O_ACCMODE),
            options: FileDescriptor.OpenOptions(rawValue: flags & ~O_ACCMODE),
            permissions: FilePermissions(rawValue: mode)
        ).rawValue
    }

    /// `close(2)`; errors are ignored (the data was synced before, or does not matter).
    static func close(_ file: FileDescriptor) {
        try? file.close()
    }

    /// `close(2)` of a raw descriptor; errors are ignored.
    static func close(_ descriptor: Int32) {
        POSIX.close(FileDescriptor(rawValue: descriptor))
    }

    /// Writes every byte, at `offset` (`pwrite(2)`) or at the file position (`write(2)`).
    static func writeAll(
        _ file: FileDescriptor,
        _ bytes: UnsafeRawBufferPointer,
        at offset: Int?,
        path: String
    ) throws(StoreError) {
        try POSIX.system("write", path: path) {
            if let offset {
                _ = try file.writeAll(toAbsoluteOffset: Int64(offset), bytes)
            } else {
                _ = try file.writeAll(bytes)
            }
        }
    }

    /// `writeAll` on a raw descriptor.
    static func writeAll(
        _ descriptor: Int32,
        _ bytes: UnsafeRawBufferPointer,
        at offset: Int?,
        path: String
    ) throws(StoreError) {
        try POSIX.writeAll(FileDescriptor(rawValue: descriptor), bytes, at: offset, path: path)
    }

    /// `ftruncate(2)`.
    static func truncate(_ file: FileDescriptor, to length: Int, path: String) throws(StoreError) {
        try POSIX.system("ftruncate", path: path) {
            try file.resize(to: Int64(length))
        }
    }

    /// `ftruncate(2)` of a raw descriptor.
    static func truncate(_ descriptor: Int32, to length: Int, path: String) throws(StoreError) {
        try POSIX.truncate(FileDescriptor(rawValue: descriptor), to: length, path: path)
    }

    /// The whole content of a file, read until the end even if it grows meanwhile. A missing file throws
    /// `.notFound`.
    static func readFile(_ path: String) throws(StoreError) -> [UInt8] {
        let file = try POSIX.open(path, .readOnly)
        defer { POSIX.close(file) }
        let size = (try? file.stat()).map { Int($0.size) } ?? 0
        var buffer = [UInt8](repeating: 0, count: max(size + 1, 4096))
        var filled = 0
        while true {
            if filled == buffer.count {
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
            let count = try POSIX.system("read", path: path) {
                try buffer.withUnsafeMutableBytes { raw in
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
                }
            }
            if count == 0 {
                break
            }
            filled += count
        }
        buffer.removeLast(buffer.count - filled)
        return buffer
    }

    /// `fstat(2)`: the file's inode and its number of links (0 once it was deleted).
    static func identity(of file: FileDescriptor) -> (inode: UInt64, links: Int)? {
        guard let status = try? file.stat() else {
            return nil
        }
        return (UInt64(status.inode.rawValue), status.linkCount)
    }

    /// `fstat(2)` of a raw descriptor.
    static func identity(of descriptor: Int32) -> (inode: UInt64, links: Int)? {
        POSIX.identity(of: FileDescriptor(rawValue: descriptor))
    }

    /// `stat(2)`: the inode of the file at `path`, whether it is a directory, or the error (`.notFound` when
    /// nothing is there).
    static func identity(ofPath path: String) -> Result<(inode: UInt64, isDirectory: Bool), StoreError> {
        POSIX.status(ofPath: path).map { (UInt64($0.inode.rawValue), $0.type == .directory) }
    }

    /// `stat(2)` of the file at `path` (following a symbolic link).
    static func status(ofPath path: String) -> Result<Stat, StoreError> {
        do throws(Errno) {
            return .success(try FilePath(path).stat())
        } catch {
            return .failure(POSIX.error("stat", path: path, error, notFound: .notFound))
        }
    }

    /// `stat(2)`: the signature of the file at `path`; nil when there is none (or it cannot be examined).
    static func signature(ofPath path: String) -> FileSignature? {
        guard case .success(let status) = POSIX.status(ofPath: path) else {
            return nil
        }
        return FileSignature(
            inode: UInt64(status.inode.rawValue),
            size: Int64(status.size),
            modifiedSeconds: Int64(status.st_mtim.tv_sec),
            modifiedNanoseconds: Int64(status.st_mtim.tv_nsec)
        )
    }

    // MARK: - By hand: what swift-system does not offer

    /// **By hand** (swift-system has no sync call). Makes a file's data (and the size that reaches it)
    /// durable: `fdatasync(2)` on Linux, `F_FULLFSYNC` on Darwin (plain `fsync` does not reach the disk there).
    static func syncData(_ file: FileDescriptor, path: String) throws(StoreError) {
        let failure = POSIX.retryingOnInterrupt {
            #if os(Linux)
            return fdatasync(file.rawValue)
            #elseif canImport(Darwin)
            return fcntl(file.rawValue, F_FULLFSYNC) == 0 ? 0 : fsync(file.rawValue)
            #else
            return fsync(file.rawValue)
            #endif
        }
        if let failure {
            throw POSIX.error("fsync", path: path, failure)
        }
    }

    /// `syncData` on a raw descriptor.
    static func syncData(_ descriptor: Int32, path: String) throws(StoreError) {
        try POSIX.syncData(FileDescriptor(rawValue: descriptor), path: path)
    }

    /// **By hand** (`fsync(2)`; the directory is opened through swift-system). Makes a directory's entries
    /// (files created, renamed, removed) durable.
    static func syncDirectory(_ path: String) throws(StoreError) {
        let directory = try POSIX.open(path, .readOnly, options: .directory)
        defer { POSIX.close(directory) }
        if let failure = POSIX.retryingOnInterrupt({ fsync(directory.rawValue) }) {
            throw POSIX.error("fsync of the directory", path: path, failure)
        }
    }

    /// **By hand** (`flock(2)`). Takes the exclusive lock of an open file, waiting for its holder when
    /// `wait`; without `wait`, returns false when another descriptor holds it.
    static func lockExclusively(_ file: FileDescriptor, wait: Bool, path: String) throws(StoreError) -> Bool {
        guard let failure = POSIX.retryingOnInterrupt({ flock(file.rawValue, wait ? LOCK_EX : LOCK_EX | LOCK_NB) })
        else {
            return true
        }
        if failure == .wouldBlock && !wait {
            return false
        }
        throw POSIX.error("flock", path: path, failure)
    }

    /// **By hand** (`fchmod(2)`). Sets the mode bits of an open file, whatever they were when it was created.
    static func setPermissions(_ file: FileDescriptor, _ permissions: FilePermissions, path: String) throws(StoreError)
    {
        if let failure = POSIX.retryingOnInterrupt({ fchmod(file.rawValue, permissions.rawValue) }) {
            throw POSIX.error("fchmod", path: path, failure)
        }
    }

    /// **By hand** (`unlink(2)`). A file already gone is fine.
    static func remove(_ path: String) throws(StoreError) {
        let failure = POSIX.retryingOnInterrupt { unlink(path) }
        if let failure, failure != .noSuchFileOrDirectory {
            throw POSIX.error("unlink", path: path, failure)
        }
    }

    /// Removes a file as ``remove(_:)`` does, but a file larger than `step` is first cut down `step` bytes at a
    /// time, each cut synced. Freeing a file's blocks is part of a file-system commit, and on ext4 every other
    /// file's sync waits for that commit: 100 MB freed at once held the journal's syncs 14-17 ms here, freed
    /// 8 MB at a time under 4 ms. Without `sync` the file is simply removed.
    ///
    /// Meant for files nothing reads any more (a compaction's older generations); a crash between two cuts
    /// leaves a shorter file of the same kind, which recovery deletes as it would the whole one.
    static func removeGradually(_ path: String, step: Int, sync: Bool) throws(StoreError) {
        if sync, step > 0, case .success(let status) = POSIX.status(ofPath: path), status.type == .regular,
            Int(status.size) > step
        {
            let file = try POSIX.open(path, .writeOnly)
            defer { POSIX.close(file) }
            var size = Int(status.size)
            while size > 0 {
                size = max(0, size - step)
                try POSIX.truncate(file, to: size, path: path)
                try POSIX.syncData(file, path: path)
            }
        }
        try POSIX.remove(path)
    }

    /// **By hand** (`rename(2)`).
    static func rename(_ source: String, to destination: String) throws(StoreError) {
        let failure = POSIX.retryingOnInterrupt {
            #if canImport(Glibc)
            return Glibc.rename(source, destination)
            #else
            return Darwin.rename(source, destination)
            #endif
        }
        if let failure {
            throw POSIX.error("rename to \(destination)", path: source, failure)
        }
    }

    /// **By hand** (`opendir(3)`, `readdir(3)`). The names in a directory (without `.` and `..`). A missing
    /// directory throws `.notFound`.
    static func listDirectory(_ path: String) throws(StoreError) -> [String] {
        guard let directory = opendir(path) else {
            throw POSIX.error("opendir", path: path, Errno(rawValue: errno), notFound: .notFound)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." {
                names.append(name)
            }
        }
        return names
    }

    // MARK: - Errors

    /// Runs swift-system calls, turning what they throw into a `StoreError` about `operation` on `path`;
    /// `ENOENT` gets the code `notFound` (`.io` unless the caller distinguishes a missing file).
    private static func system<Result>(
        _ operation: String,
        path: String,
        notFound: StoreError.Code = .io,
        _ body: () throws -> Result
    ) throws(StoreError) -> Result {
        do {
            return try body()
        } catch let error as Errno {
            throw POSIX.error(operation, path: path, error, notFound: notFound)
        } catch {
            // swift-system throws only `Errno`; its functions are declared with untyped `throws`.
            throw StoreError(code: .io, message: "\(operation) failed for \(path): \(error)", path: path)
        }
    }

    /// The `StoreError` of a failed call: "`operation` failed for `path`: reason (errno N)".
    private static func error(
        _ operation: String,
        path: String,
        _ error: Errno,
        notFound: StoreError.Code = .io
    ) -> StoreError {
        StoreError.system(
            operation, path: path, errno: error.rawValue, code: error == .noSuchFileOrDirectory ? notFound : .io
        )
    }

    /// Runs a C call that returns 0 on success and -1 with `errno` on failure, again after `EINTR`; returns
    /// the error, or nil on success.
    private static func retryingOnInterrupt(_ call: () -> Int32) -> Errno? {
        while call() != 0 {
            let number = errno
            if number != EINTR {
                return Errno(rawValue: number)
            }
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body that throws `StoreError`, keeping the error's type.
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws(StoreError) -> Result) throws(StoreError) -> Result {
        let outcome: Swift.Result<Result, StoreError> = self.withUnsafeBytes { raw in
            do throws(StoreError) {
                return .success(try body(raw))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }
}
