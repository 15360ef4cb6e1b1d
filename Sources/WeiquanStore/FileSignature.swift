/// What `stat(2)` says about a file that tells cheaply whether it was replaced or changed since it was last
/// read: its inode (a file renamed into place has a new one), its size and its modification time to the
/// nanosecond.
package struct FileSignature: Sendable, Equatable {
    /// The file's inode number.
    package var inode: UInt64
    /// The file's size in bytes.
    package var size: Int64
    /// The modification time: whole seconds since 1970.
    package var modifiedSeconds: Int64
    /// The modification time: the nanoseconds within the second.
    package var modifiedNanoseconds: Int64

    /// The signature of the file at `path` now (`stat(2)`); nil when there is none (or it cannot be examined).
    package init?(path: String) {
        guard let signature = POSIX.signature(ofPath: path) else {
            return nil
        }
        self = signature
    }

    /// A signature from its parts.
    init(inode: UInt64, size: Int64, modifiedSeconds: Int64, modifiedNanoseconds: Int64) {
        self.inode = inode
        self.size = size
        self.modifiedSeconds = modifiedSeconds
        self.modifiedNanoseconds = modifiedNanoseconds
    }
}
