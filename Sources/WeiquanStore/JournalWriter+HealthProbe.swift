import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The health probe behind `/healthz`.
extension JournalWriter {
    /// Throws unless a write could succeed now: the store is usable, the directory and journal are still
    /// there, a file can be created in the directory, and the device has at least a megabyte free.
    func checkWritable() throws(StoreError) {
        self.condition.lock()
        let rejection = self.rejection()
        var journal = self.journalIdentity
        self.condition.unlock()
        if let rejection {
            throw rejection
        }
        switch POSIX.identity(ofPath: self.directory) {
        case .failure(let error):
            throw StoreError(
                code: .io,
                message: "the store directory \(self.directory) is gone: \(error.message)",
                path: self.directory,
                systemError: error.systemError
            )
        case .success(let identity) where !identity.isDirectory:
            throw StoreError(code: .io, message: "\(self.directory) is no longer a directory", path: self.directory)
        case .success:
            break
        }
        var journalPresent = false
        for _ in 0..<2 where !journalPresent {
            if case .success(let identity) = POSIX.identity(ofPath: journal.path), identity.inode == journal.inode {
                journalPresent = true
            } else {
                // A compaction may have switched journals between the two looks: look again once.
                self.condition.lock()
                journal = self.journalIdentity
                self.condition.unlock()
            }
        }
        guard journalPresent else {
            throw StoreError(
                code: .io,
                message: "the journal \(journal.path) was removed or replaced while the store was open",
                path: journal.path
            )
        }
        let probe = self.directory + "/.writable-check-\(UInt64.random(in: 0...UInt64.max))"
        do throws(StoreError) {
            let descriptor = try POSIX.open(probe, O_WRONLY | O_CREAT | O_EXCL)
            POSIX.close(descriptor)
            try? POSIX.remove(probe)
        } catch {
            throw StoreError(
                code: .io,
                message: "the store directory \(self.directory) is not writable: "
                    + StoreError.reason(error.systemError ?? EIO),
                path: self.directory,
                systemError: error.systemError
            )
        }
        var volume = statvfs()
        if statvfs(self.directory, &volume) == 0 {
            let free = Int(volume.f_bavail) * Int(volume.f_frsize)
            if free < 1 << 20 {
                throw StoreError(
                    code: .io,
                    message: "the device of \(self.directory) is full (\(free) bytes free)",
                    path: self.directory,
                    systemError: ENOSPC
                )
            }
        }
    }
}
