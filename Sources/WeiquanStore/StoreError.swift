#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What went wrong in a document store: a code to react to, a message for a person, and the file or
/// directory involved.
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure.
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// Another writer (another process, or another store in this process) holds the directory's lock.
        case locked
        /// The store was opened read-only; it never writes.
        case readOnly
        /// The store was closed.
        case closed
        /// There is no store at the path given to a read-only open.
        case notFound
        /// A file of the store is damaged or inconsistent (a bad line in the middle of a journal, a gap in
        /// the sequence numbers, a journal without a snapshot); nothing was opened, nothing was changed.
        case corrupt
        /// A file was written by a newer version of the store.
        case unsupportedVersion
        /// A change was rejected before anything was written: not one JSON object, or an empty
        /// collection name or id.
        case invalidDocument
        /// Encoding or decoding a typed document failed.
        case coding
        /// A system call failed; the message names the call, the path and the system's reason.
        case io
        /// An earlier failure (a failed fsync, a journal deleted underneath) left the journal in a state
        /// the store cannot vouch for; it refuses every write until it is reopened.
        case unusable
        /// A read-only open kept meeting files that a compaction was swapping, and gave up.
        case busy
        /// A change that must create its document (``DocumentChange/mustNotExist``) met one that exists;
        /// nothing of the write was applied. The message names the document.
        case conflict
        /// The database cannot be reached (or did not answer in time); nothing of the write is known to
        /// have been applied unless it returned. The service stays up and tries again on the next request.
        case unavailable
    }

    /// The kind of failure.
    public var code: Code
    /// What happened, for a person; it names the file or directory involved.
    public var message: String
    /// The file or directory involved, when there is one.
    public var path: String?
    /// The `errno` of the failed system call, for `.io`, `.unusable` and `.locked`.
    public var systemError: Int32?

    /// Makes an error from its parts.
    public init(code: Code, message: String, path: String? = nil, systemError: Int32? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.systemError = systemError
    }

    /// `store error (code): message`.
    public var description: String {
        "store error (\(self.code.rawValue)): \(self.message)"
    }

    /// A failed system call: "`operation` failed for `path`: reason (errno N)".
    static func system(_ operation: String, path: String, errno number: Int32, code: Code = .io) -> StoreError {
        StoreError(
            code: code,
            message: "\(operation) failed for \(path): \(StoreError.reason(number)) (errno \(number))",
            path: path,
            systemError: number
        )
    }

    /// The system's text for an errno value.
    static func reason(_ number: Int32) -> String {
        String(cString: strerror(number))
    }
}
