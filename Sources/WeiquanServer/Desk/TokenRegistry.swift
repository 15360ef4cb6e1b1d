import Crypto
import Foundation
import Logging
import Synchronization
import WeiquanCore
import WeiquanStore

/// The active desk tokens, for authenticating `Authorization: Bearer …` on the staff desk API.
///
/// Tokens are looked up by the SHA-256 of the secret, so the secret is never kept, and comparing hashes
/// reveals nothing useful about it. Where they are looked up is a ``TokenLookup``:
/// - the embedded store: the data directory's `tokens.json` (``TokenFileLookup``), kept in memory and read
///   again when its signature changes, so a change by `weiquan token` counts from the next request;
/// - PostgreSQL: the store's `tokens` collection (``TokenCollection``), read on every lookup (one
///   primary-key read), with no cache, so a revocation made through any instance or the CLI is refused by
///   every instance from its next request on.
///
/// A lookup that fails (the database is unreachable) is logged and refuses the token: it never accepts
/// one it could not check, and never crashes.
public final class TokenRegistry: Sendable {
    private let lookup: any TokenLookup
    private let logger: Logger
    /// Where the tokens are changed (a one-time sign-in link used, a token created from the console); nil when
    /// they are fixed.
    public let storage: (any TokenStorage)?
    /// The console's sign-in sessions, which the API accepts in place of a bearer token; nil until the console
    /// is installed.
    private let sessions = Mutex<ConsoleSessions?>(nil)

    /// Tokens found through `lookup` and changed through `storage`; failures are logged on `logger`.
    public init(lookup: any TokenLookup, storage: (any TokenStorage)? = nil, logger: Logger) {
        self.lookup = lookup
        self.storage = storage
        self.logger = logger
    }

    /// Tokens read from `file`, and read again whenever it changes. A file that cannot be read is logged,
    /// and counts as no tokens until it is fixed.
    public convenience init(file: TokenFile, logger: Logger) {
        self.init(lookup: TokenFileLookup(file: file, logger: logger), storage: file, logger: logger)
    }

    /// Tokens held in memory (for tests); revoked ones never match. They can be changed like stored ones.
    public convenience init(tokens: [StoredToken]) {
        let memory = MemoryTokenStorage(tokens)
        self.init(lookup: memory, storage: memory, logger: Logger(label: "weiquan.tokens"))
    }

    /// A registry over the same tokens with no console attached: each application attaches its own sessions to
    /// its own registry, so that applications sharing one (tests, the cluster twin) do not take each other's.
    func forApplication() -> TokenRegistry {
        TokenRegistry(lookup: self.lookup, storage: self.storage, logger: self.logger)
    }

    /// The console's sessions, once it is installed (``ConsoleFeature``).
    var consoleSessions: ConsoleSessions? {
        get { self.sessions.withLock { $0 } }
        set { self.sessions.withLock { $0 = newValue } }
    }

    /// Who holds the active token whose secret has this SHA-256; nil for none, or when it could not be checked.
    public func identity(hash: String) async -> StaffIdentity? {
        await self.look { try await $0.activeToken(hash: hash) }.map(StaffIdentity.init)
    }

    /// Who holds this bearer token; nil for an unknown or revoked one, or when it could not be checked.
    public func identity(bearer token: String) async -> StaffIdentity? {
        let hash = TokenRegistry.hash(token)
        return await self.look { try await $0.activeToken(hash: hash) }.map(StaffIdentity.init)
    }

    /// The active token named `name`, as an identity (to check that a staff member exists); nil if none,
    /// or when it could not be checked.
    public func identity(named name: String) async -> StaffIdentity? {
        await self.look { try await $0.activeToken(named: name) }.map(StaffIdentity.init)
    }

    /// The lowercase hex SHA-256 of the token's UTF-8 bytes, as stored in `tokens.json`.
    public static func hash(_ token: String) -> String {
        BlobKey.hex(SHA256.hash(data: Data(token.utf8)))
    }

    /// A new secret: `wq_` and 32 random bytes in base64url without padding (46 characters in all).
    public static func makeSecret<G: RandomNumberGenerator>(using generator: inout G) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            let word = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        let base64url = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "wq_" + base64url
    }

    /// A new secret from the system's secure random number generator.
    public static func makeSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return TokenRegistry.makeSecret(using: &generator)
    }

    /// Runs one lookup; a failure is logged and counts as no token.
    private func look(_ body: (any TokenLookup) async throws -> StoredToken?) async -> StoredToken? {
        do {
            return try await body(self.lookup)
        } catch {
            self.logger.error(
                "desk token could not be checked; the request is refused", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
