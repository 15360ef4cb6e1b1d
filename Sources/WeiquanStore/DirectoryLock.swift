#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exclusive `flock(2)` on `<dir>/LOCK` that makes one writer per store directory. The kernel drops it
/// when the process dies, so a crash never leaves a stale lock. The file holds the writer's pid, for the
/// message a second writer gets.
final class DirectoryLock: @unchecked Sendable {
    /// `<dir>/LOCK`.
    let path: String
    private var descriptor: Int32

    /// Takes the lock, or throws `.locked` naming the directory (and the holder's pid when known).
    init(directory: String) throws(StoreError) {
        self.path = directory + "/LOCK"
        let descriptor = try POSIX.open(self.path, O_RDWR | O_CREAT)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let number = errno
            if number == EINTR {
                continue
            }
            POSIX.close(descriptor)
            if number == EWOULDBLOCK {
                var holder = ""
                if let content = try? POSIX.readFile(self.path) {
                    let pid = String(decoding: content, as: UTF8.self).trimmingSpaces()
                    holder = pid.isEmpty ? "" : " (pid \(pid))"
                }
                throw StoreError(
                    code: .locked,
                    message: "the store directory \(directory) is locked by another writer\(holder); "
                        + "stop it, or open the store read-only",
                    path: directory,
                    systemError: number
                )
            }
            throw StoreError.system("flock", path: self.path, errno: number)
        }
        self.descriptor = descriptor
        var pid: [UInt8] = []
        JSONOutput.appendInteger(Int(getpid()), to: &pid)
        pid.append(ASCII.lineFeed)
        // Informational only: failures here do not matter.
        _ = ftruncate(descriptor, 0)
        try? pid.withBytes { raw throws(StoreError) in
            try POSIX.writeAll(descriptor, raw, at: 0, path: self.path)
        }
    }

    /// Releases the lock (closing the descriptor); later calls do nothing.
    func release() {
        if self.descriptor >= 0 {
            POSIX.close(self.descriptor)
            self.descriptor = -1
        }
    }

    deinit {
        self.release()
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = self.firstIndex(where: { !isSpace($0) }), let last = self.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
