import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exclusive lock on `<dir>/LOCK` (a ``FileLock``) that makes one writer per store directory. The kernel
/// drops it when the process dies, so a crash never leaves a stale lock. The file holds the writer's pid, for
/// the message a second writer gets.
final class DirectoryLock: @unchecked Sendable {
    /// `<dir>/LOCK`.
    let path: String
    private let lock: FileLock

    /// Takes the lock, or throws `.locked` naming the directory (and the holder's pid when known).
    init(directory: String) throws(StoreError) {
        self.path = directory + "/LOCK"
        guard let lock = try FileLock(ifFree: self.path) else {
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
                systemError: Errno.wouldBlock.rawValue
            )
        }
        self.lock = lock
        guard let file = lock.file else {
            return
        }
        var pid: [UInt8] = []
        // By hand: swift-system has no getpid.
        JSONOutput.appendInteger(Int(getpid()), to: &pid)
        pid.append(ASCII.lineFeed)
        // Informational only: failures here do not matter.
        try? POSIX.truncate(file, to: 0, path: self.path)
        try? pid.withBytes { raw throws(StoreError) in
            try POSIX.writeAll(file, raw, at: 0, path: self.path)
        }
    }

    /// Releases the lock (closing the descriptor); later calls do nothing.
    func release() {
        self.lock.release()
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = self.firstIndex(where: { !isSpace($0) }), let last = self.lastIndex(where: { !isSpace($0) })
        else {
            return ""
        }
        return String(self[first...last])
    }
}
