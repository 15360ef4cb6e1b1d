import Foundation
/// Where `weiquan token` keeps the desk's tokens, revoked ones included: a data directory's `tokens.json`
/// (``TokenFile``) for the embedded store, the store's `tokens` collection (``TokenCollection``) for
/// PostgreSQL. ``TokenAdministration`` works on either.
public protocol TokenStorage: Sendable {
    /// Where the tokens are, for messages: a path, or the store's collection.
    var location: String { get }

    /// Every token, revoked ones included, oldest first.
    func allTokens() async throws -> [StoredToken]

    /// Changes the tokens while no other administrator changes them: reads them all (oldest first), lets
    /// `body` change the array, and writes what changed in one atomic write. Nothing is written when
    /// `body` throws; its error comes out unchanged.
    func updateTokens<T: Sendable>(_ body: @escaping @Sendable (inout [StoredToken]) throws -> T) async throws -> T
}

extension TokenFile: TokenStorage {
    /// The path of `tokens.json`.
    public var location: String { self.url.path }

    /// Every token in the file, revoked ones included, in the file's order (oldest first).
    public func allTokens() async throws -> [StoredToken] {
        try self.load()
    }

    /// ``update(_:)``: under the writers' `flock(2)`, replacing the file atomically.
    public func updateTokens<T: Sendable>(
        _ body: @escaping @Sendable (inout [StoredToken]) throws -> T
    ) async throws -> T {
        try self.update(body)
    }
}
