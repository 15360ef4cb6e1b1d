#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls the file store makes, retried on `EINTR`, with short writes completed and failures
/// turned into `StoreError`s naming the call and the path.
enum POSIX {
    /// `open(2)` with `O_CLOEXEC` added.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(StoreError) -> Int32 {
        while true {
            #if canImport(Glibc)
            let descriptor = Glibc.open(path, flags | O_CLOEXEC, mode)
            #else
            let descriptor = Darwin.open(path, flags | O_CLOEXEC, mode)
            #endif
            if descriptor >= 0 {
                return descriptor
            }
            let number = errno
            if number == EINTR {
                continue
            }
            throw StoreError.system("open", path: path, errno: number, code: number == ENOENT ? .notFound : .io)
        }
    }

    /// `close(2)`; errors are ignored (the data was synced before, or does not matter).
    static func close(_ descriptor: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }

    /// Writes every byte, at `offset` (`pwrite(2)`) or at the file position (`write(2)`), continuing after
    /// short writes and `EINTR`.
    static func writeAll(
        _ descriptor: Int32,
        _ bytes: UnsafeRawBufferPointer,
        at offset: Int?,
        path: String
    ) throws(StoreError) {
        guard let base = bytes.baseAddress else {
            return
        }
        var written = 0
        while written < bytes.count {
            let result: Int
            if let offset {
                result = pwrite(descriptor, base + written, bytes.count - written, off_t(offset + written))
            } else {
                #if canImport(Glibc)
                result = Glibc.write(descriptor, base + written, bytes.count - written)
                #else
                result = Darwin.write(descriptor, base + written, bytes.count - written)
                #endif
            }
            if result > 0 {
                written += result
            } else if result < 0 && errno == EINTR {
                continue
            } else {
                throw StoreError.system("write", path: path, errno: result < 0 ? errno : EIO)
            }
        }
    }

    /// Makes a file's data (and the size that reaches it) durable: `fdatasync(2)` on Linux,
    /// `F_FULLFSYNC` on Darwin (plain `fsync` does not reach the disk there).
    static func syncData(_ descriptor: Int32, path: String) throws(StoreError) {
        while true {
            #if os(Linux)
            let result = fdatasync(descriptor)
            #elseif canImport(Darwin)
            var result = fcntl(descriptor, F_FULLFSYNC)
            if result != 0 {
                result = fsync(descriptor)
            }
            #else
            let result = fsync(descriptor)
            #endif
            if result == 0 {
                return
            }
            let number = errno
            if number == EINTR {
                continue
            }
            throw StoreError.system("fsync", path: path, errno: number)
        }
    }

    /// Makes a directory's entries (files created, renamed, removed) durable.
    static func syncDirectory(_ path: String) throws(StoreError) {
        let descriptor = try POSIX.open(path, O_RDONLY | O_DIRECTORY)
        defer { POSIX.close(descriptor) }
        while true {
            if fsync(descriptor) == 0 {
                return
            }
            let number = errno
            if number == EINTR {
                continue
            }
            throw StoreError.system("fsync of the directory", path: path, errno: number)
        }
    }

    /// `ftruncate(2)`.
    static func truncate(_ descriptor: Int32, to length: Int, path: String) throws(StoreError) {
        while ftruncate(descriptor, off_t(length)) != 0 {
            let number = errno
            if number != EINTR {
                throw StoreError.system("ftruncate", path: path, errno: number)
            }
        }
    }

    /// The whole content of a file, read until the end even if it grows meanwhile. A missing file throws
    /// `.notFound`.
    static func readFile(_ path: String) throws(StoreError) -> [UInt8] {
        let descriptor = try POSIX.open(path, O_RDONLY)
        defer { POSIX.close(descriptor) }
        var status = stat()
        let size = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
        var buffer = [UInt8](repeating: 0, count: max(size + 1, 4096))
        var filled = 0
        while true {
            if filled == buffer.count {
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
            let result = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else {
                    return 0
                }
                return read(descriptor, base + filled, raw.count - filled)
            }
            if result > 0 {
                filled += result
            } else if result == 0 {
                break
            } else if errno != EINTR {
                throw StoreError.system("read", path: path, errno: errno)
            }
        }
        buffer.removeLast(buffer.count - filled)
        return buffer
    }

    /// `unlink(2)`; a file already gone is fine.
    static func remove(_ path: String) throws(StoreError) {
        if unlink(path) != 0 && errno != ENOENT {
            throw StoreError.system("unlink", path: path, errno: errno)
        }
    }

    /// `rename(2)`.
    static func rename(_ source: String, to destination: String) throws(StoreError) {
        #if canImport(Glibc)
        let result = Glibc.rename(source, destination)
        #else
        let result = Darwin.rename(source, destination)
        #endif
        if result != 0 {
            throw StoreError.system("rename to \(destination)", path: source, errno: errno)
        }
    }

    /// The names in a directory (without `.` and `..`). A missing directory throws `.notFound`.
    static func listDirectory(_ path: String) throws(StoreError) -> [String] {
        guard let directory = opendir(path) else {
            let number = errno
            throw StoreError.system("opendir", path: path, errno: number, code: number == ENOENT ? .notFound : .io)
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

    /// `fstat(2)`: the file's inode and its number of links (0 once it was deleted).
    static func identity(of descriptor: Int32) -> (inode: UInt64, links: Int)? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            return nil
        }
        return (UInt64(status.st_ino), Int(status.st_nlink))
    }

    /// `stat(2)`: the inode of the file at `path`, whether it is a directory, or the errno.
    static func identity(ofPath path: String) -> Result<(inode: UInt64, isDirectory: Bool), StoreError> {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let number = errno
            return .failure(StoreError.system("stat", path: path, errno: number, code: number == ENOENT ? .notFound : .io))
        }
        return .success((UInt64(status.st_ino), (status.st_mode & S_IFMT) == S_IFDIR))
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
