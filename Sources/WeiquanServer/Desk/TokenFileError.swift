import WeiquanStore

/// What went wrong reading or writing the desk tokens file (`tokens.json`): a code to react to, a message
/// for a person naming the file, and the path.
public struct TokenFileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure.
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// The file is not a JSON array of tokens (damaged, or edited by hand and broken).
        case corrupt
        /// A token was written by a newer version (another `schema_version`).
        case unsupportedVersion
        /// A system call failed (permissions, a full disk, …); the message names the call and the reason.
        case io
    }

    /// The kind of failure.
    public var code: Code
    /// What happened, for a person; it names the file.
    public var message: String
    /// The file involved.
    public var path: String

    /// Makes an error from its parts.
    public init(code: Code, message: String, path: String) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// `token file error (code): message`.
    public var description: String {
        "token file error (\(self.code.rawValue)): \(self.message)"
    }

    /// A failed system call reported by the store's helpers, kept as an `.io` error.
    init(_ error: StoreError, path: String) {
        self.init(code: .io, message: error.message, path: error.path ?? path)
    }
}
