import Synchronization

/// How a ``TokenRegistry`` finds the desk's active tokens: in a data directory's `tokens.json`
/// (``TokenFileLookup``), or in the store's `tokens` collection (``TokenCollection``).
///
/// Both answer with active tokens only: a revoked token, like an unknown one, is nil.
public protocol TokenLookup: Sendable {
    /// The active token whose secret has this SHA-256 (lowercase hex); nil for none or a revoked one.
    func activeToken(hash: String) async throws -> StoredToken?
    /// The active token named `name`; nil if there is none.
    func activeToken(named name: String) async throws -> StoredToken?
}

/// Tokens held in memory (for tests): found like stored ones, changed like stored ones; revoked ones never match.
final class MemoryTokenStorage: TokenLookup, TokenStorage {
    private let tokens: Mutex<[StoredToken]>

    init(_ tokens: [StoredToken]) {
        self.tokens = Mutex(tokens)
    }

    var location: String { "memory" }

    func activeToken(hash: String) -> StoredToken? {
        self.tokens.withLock { $0.first { $0.isActive && $0.hash == hash } }
    }

    func activeToken(named name: String) -> StoredToken? {
        self.tokens.withLock { $0.first { $0.isActive && $0.name == name } }
    }

    func allTokens() -> [StoredToken] {
        self.tokens.withLock { $0 }
    }

    func updateTokens<T: Sendable>(_ body: @escaping @Sendable (inout [StoredToken]) throws -> T) throws -> T {
        try self.tokens.withLock { tokens in
            var changed = tokens
            let result = try body(&changed)
            tokens = changed
            return result
        }
    }
}
