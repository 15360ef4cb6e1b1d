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

/// Fixed tokens held in memory (for tests); revoked ones never match.
struct FixedTokenLookup: TokenLookup {
    private var byHash: [String: StoredToken] = [:]
    private var byName: [String: StoredToken] = [:]

    init(_ tokens: [StoredToken]) {
        for token in tokens where token.isActive {
            self.byHash[token.hash] = token
            self.byName[token.name] = token
        }
    }

    func activeToken(hash: String) -> StoredToken? {
        self.byHash[hash]
    }

    func activeToken(named name: String) -> StoredToken? {
        self.byName[name]
    }
}
