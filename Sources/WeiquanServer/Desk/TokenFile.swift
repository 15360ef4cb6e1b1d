import Foundation
import WeiquanCore
import WeiquanStore

/// One bearer token of the staff desk API, as kept in `tokens.json`: who it is for and the SHA-256 of the
/// secret, never the secret itself.
public struct StoredToken: Codable, Sendable, Equatable {
    /// The version of this layout; a token with another one is refused.
    public static let currentSchemaVersion = 1

    /// The layout version (``currentSchemaVersion`` when written by this version).
    public var schemaVersion: Int
    /// The token's name (`desk-1`), unique among the tokens not revoked; how it is revoked and listed.
    public var name: String
    /// What the token may do.
    public var role: DeskRole
    /// The unit (an `OrgUnit` id) the token is bound to; nil means every unit.
    public var unit: UnitID?
    /// The lowercase hex SHA-256 of the whole token string, computed by the caller.
    public var hash: String
    /// When the token was created.
    public var createdAt: Date
    /// When the token was revoked; nil while it is active.
    public var revokedAt: Date?
    /// A volunteer's fields (``IPType`` raw values) whose questions they see; empty: all.
    public var specialties: [String]
    /// The units whose questions a volunteer sees (a unit and those below it); empty: all.
    public var regions: [UnitID]
    /// The one-time sign-in link of the console not used yet (`weiquan token create --link`); nil: none.
    public var signInLink: SignInLink?

    /// A one-time link that signs the token's holder in to the console once, before it expires.
    public struct SignInLink: Codable, Sendable, Equatable {
        /// The lowercase hex SHA-256 of the link's code (the code itself is never kept).
        public var hash: String
        /// After this the link no longer works.
        public var expiresAt: Date

        public init(hash: String, expiresAt: Date) {
            self.hash = hash
            self.expiresAt = expiresAt
        }

        enum CodingKeys: String, CodingKey {
            case hash
            case expiresAt = "expires_at"
        }
    }

    /// A token of the current layout.
    public init(
        name: String, role: DeskRole, unit: UnitID?, hash: String, createdAt: Date, revokedAt: Date? = nil,
        specialties: [String] = [], regions: [UnitID] = []
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.name = name
        self.role = role
        self.unit = unit
        self.hash = hash
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.specialties = specialties
        self.regions = regions
    }

    /// Whether the token still opens the desk (it was not revoked).
    public var isActive: Bool { self.revokedAt == nil }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case name, role, unit, hash, specialties, regions
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
        case signInLink = "sign_in_link"
    }

    /// Reads tokens written before volunteers had profiles: no specialties or regions (all).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        self.name = try container.decode(String.self, forKey: .name)
        self.role = try container.decode(DeskRole.self, forKey: .role)
        self.unit = try container.decodeIfPresent(UnitID.self, forKey: .unit)
        self.hash = try container.decode(String.self, forKey: .hash)
        self.createdAt = try container.decode(Date.self, forKey: .createdAt)
        self.revokedAt = try container.decodeIfPresent(Date.self, forKey: .revokedAt)
        self.specialties = try container.decodeIfPresent([String].self, forKey: .specialties) ?? []
        self.regions = try container.decodeIfPresent([UnitID].self, forKey: .regions) ?? []
        self.signInLink = try container.decodeIfPresent(SignInLink.self, forKey: .signInLink)
    }

    /// Writes the profile only when it has one, so other tokens are stored as before.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.schemaVersion, forKey: .schemaVersion)
        try container.encode(self.name, forKey: .name)
        try container.encode(self.role, forKey: .role)
        try container.encodeIfPresent(self.unit, forKey: .unit)
        try container.encode(self.hash, forKey: .hash)
        try container.encode(self.createdAt, forKey: .createdAt)
        try container.encodeIfPresent(self.revokedAt, forKey: .revokedAt)
        if !self.specialties.isEmpty { try container.encode(self.specialties, forKey: .specialties) }
        if !self.regions.isEmpty { try container.encode(self.regions, forKey: .regions) }
        try container.encodeIfPresent(self.signInLink, forKey: .signInLink)
    }
}

/// What `stat(2)` says about `tokens.json` (inode, size, modification time to the nanosecond): a reader
/// compares two of them to tell cheaply whether the file was replaced since it last read it.
public struct TokenFileSignature: Sendable, Equatable {
    /// The file's inode number (every update renames a new file into place, so it changes).
    public var inode: UInt64
    /// The file's size in bytes.
    public var size: Int64
    /// The modification time: whole seconds since 1970.
    public var modifiedSeconds: Int64
    /// The modification time: the nanoseconds within the second.
    public var modifiedNanoseconds: Int64

    init(_ signature: FileSignature) {
        self.inode = signature.inode
        self.size = signature.size
        self.modifiedSeconds = signature.modifiedSeconds
        self.modifiedNanoseconds = signature.modifiedNanoseconds
    }
}

/// The desk tokens of a data directory: `<directory>/tokens.json`, a JSON array with one token per line.
///
/// The file is apart from the journal store so that `weiquan token create` and `revoke` can change it
/// while the service runs (the service holds the store's lock). Writers serialise on an exclusive
/// `flock(2)` of `<directory>/tokens.lock` (a `FileLock`) and replace the file atomically (an `AtomicFile`:
/// write `tokens.json.tmp`, fsync, rename, fsync the directory), so a reader sees the old file or the new
/// one, never half of one. The files are mode 0600: they hold hashes of secrets.
public struct TokenFile: Sendable {
    /// The data directory.
    public var directory: URL

    /// The tokens of `directory` (which need not exist yet).
    public init(directory: URL) {
        self.directory = directory
    }

    /// `<directory>/tokens.json`.
    public var url: URL { self.directory.appendingPathComponent("tokens.json") }

    /// `<directory>/tokens.lock`, the writers' lock.
    var lockPath: String { self.directory.appendingPathComponent("tokens.lock").path }

    /// `<directory>/tokens.json.tmp`, the next version while it is written.
    var temporaryPath: String { self.directory.appendingPathComponent("tokens.json.tmp").path }

    /// Every token in the file, revoked ones included, in the file's order. A missing file means no tokens.
    ///
    /// Throws a ``TokenFileError`` naming the file: `.corrupt` when it is not an array of tokens (or two
    /// active tokens share a name), `.unsupportedVersion`, or `.io`.
    public func load() throws -> [StoredToken] {
        let path = self.url.path
        let bytes: [UInt8]
        do throws(StoreError) {
            bytes = try AtomicFile.read(path)
        } catch  where error.code == .notFound {
            return []
        } catch {
            throw TokenFileError(error, path: path)
        }
        return try TokenFile.decode(bytes, path: path)
    }

    /// Changes the tokens under the writers' lock: reads the file, lets `body` change the array, and
    /// replaces the file atomically (only when `body` changed something). Creates the directory if needed.
    ///
    /// Nothing is written when `body` throws; its error comes out unchanged.
    public func update<T>(_ body: (inout [StoredToken]) throws -> T) throws -> T {
        let directory = self.directory.path
        if !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw TokenFileError(
                    code: .io,
                    message: "cannot create the data directory \(directory): \(error.localizedDescription)",
                    path: directory
                )
            }
        }
        let lockPath = self.lockPath
        let lock = try TokenFile.io(lockPath) { () throws(StoreError) in
            try FileLock(path: lockPath, permissions: 0o600)
        }
        defer { lock.release() }
        let before = try self.load()
        var tokens = before
        let result = try body(&tokens)
        if tokens != before {
            try self.write(tokens)
        }
        return result
    }

    /// The file's signature now; nil when it does not exist (or cannot be examined).
    public func signature() -> TokenFileSignature? {
        FileSignature(path: self.url.path).map(TokenFileSignature.init)
    }

    /// Replaces `tokens.json` through `tokens.json.tmp`, mode 0600.
    private func write(_ tokens: [StoredToken]) throws {
        let bytes = try TokenFile.encode(tokens)
        let destination = self.url.path
        let temporary = self.temporaryPath
        try TokenFile.io(destination) { () throws(StoreError) in
            try AtomicFile.replace(destination, with: bytes, through: temporary, permissions: 0o600)
        }
    }

    /// `[`, one token per line, `]`: readable with `cat` and `jq`.
    static func encode(_ tokens: [StoredToken]) throws -> [UInt8] {
        guard !tokens.isEmpty else {
            return Array("[]\n".utf8)
        }
        var bytes = Array("[\n".utf8)
        for (index, token) in tokens.enumerated() {
            bytes.append(contentsOf: try StoreCoding.encode(token))
            bytes.append(contentsOf: (index + 1 < tokens.count ? ",\n" : "\n").utf8)
        }
        bytes.append(contentsOf: "]\n".utf8)
        return bytes
    }

    /// Parses the file's bytes, checking versions and that active names are unique.
    static func decode(_ bytes: [UInt8], path: String) throws(TokenFileError) -> [StoredToken] {
        let tokens: [StoredToken]
        do {
            tokens = try StoreCoding.decoder.decode([StoredToken].self, from: Data(bytes))
        } catch let error as DecodingError {
            throw TokenFileError(
                code: .corrupt,
                message: "\(path) is not a valid tokens file: \(TokenFile.describe(error))",
                path: path
            )
        } catch {
            throw TokenFileError(code: .corrupt, message: "\(path) is not a valid tokens file: \(error)", path: path)
        }
        var activeNames: Set<String> = []
        for (index, token) in tokens.enumerated() {
            guard token.schemaVersion == StoredToken.currentSchemaVersion else {
                throw TokenFileError(
                    code: .unsupportedVersion,
                    message: "\(path): token \(index + 1) (\(token.name)) has schema_version \(token.schemaVersion); "
                        + "this version reads \(StoredToken.currentSchemaVersion) only",
                    path: path
                )
            }
            if token.isActive && !activeNames.insert(token.name).inserted {
                throw TokenFileError(
                    code: .corrupt,
                    message: "\(path) is not a valid tokens file: two active tokens are named \(token.name)",
                    path: path
                )
            }
        }
        return tokens
    }

    /// What a decoding error says, with where: "token 2, \"role\": …".
    static func describe(_ error: DecodingError) -> String {
        func place(_ codingPath: [any CodingKey]) -> String {
            guard let first = codingPath.first else {
                return "the file"
            }
            var parts = [first.intValue.map { "token \($0 + 1)" } ?? "\"\(first.stringValue)\""]
            parts += codingPath.dropFirst().map { "\"\($0.stringValue)\"" }
            return parts.joined(separator: ", ")
        }
        switch error {
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let reason = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
                return "not JSON (\(reason ?? context.debugDescription))"
            }
            return "\(place(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(place(context.codingPath)) lacks \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(place(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// Runs system calls, turning their `StoreError` into a ``TokenFileError`` about `path`.
    private static func io<Result>(
        _ path: String,
        _ body: () throws(StoreError) -> Result
    ) throws(TokenFileError) -> Result {
        do throws(StoreError) {
            return try body()
        } catch {
            throw TokenFileError(error, path: path)
        }
    }
}
