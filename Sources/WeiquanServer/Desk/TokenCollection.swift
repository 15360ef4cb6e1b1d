import Foundation
import WeiquanStore

extension StoredToken: StoredDocument {
    /// The collection of a store that holds the tokens itself (PostgreSQL).
    public static var collection: String { "tokens" }
    /// The hash: a lookup by bearer token is one primary-key read.
    public var documentID: String { self.hash }
}

/// The desk's tokens in a document store's `tokens` collection, one document per token under its hash:
/// what several instances on one PostgreSQL database share.
///
/// Lookups are not cached: each is one read of the document the bearer token's hash names, so a revocation
/// committed by any instance or by `weiquan token revoke` is seen by every instance at its next request.
/// Changes (``updateTokens(_:)``) run under the coordination's lock `desk-tokens`, so two administrators
/// cannot both take a name; a new token is created with `mustNotExist`, so its hash is never overwritten.
public struct TokenCollection: TokenLookup, TokenStorage {
    /// The lock administrators take (through ``Coordination/exclusively(_:_:)``).
    public static let lockKey = "desk-tokens"

    public let store: any DocumentStore
    public let coordination: any Coordination
    /// The store, for messages (`postgres://weiquan@db:5432/weiquan`, without a password).
    public let storeDescription: String

    /// The tokens of `store`; changes take `coordination`'s lock.
    public init(store: any DocumentStore, coordination: any Coordination, storeDescription: String) {
        self.store = store
        self.coordination = coordination
        self.storeDescription = storeDescription
    }

    /// `the tokens collection of <store>`.
    public var location: String { "the \(StoredToken.collection) collection of \(self.storeDescription)" }

    /// One read of the document named by `hash`; nil when there is none or it is revoked.
    ///
    /// Throws the store's error, or a ``TokenFileError`` `.corrupt`/`.unsupportedVersion` for a document that
    /// is not a token of this version (or is filed under another hash).
    public func activeToken(hash: String) async throws -> StoredToken? {
        guard let json = try await self.store.document(collection: StoredToken.collection, id: hash) else {
            return nil
        }
        let token = try self.decode(json, id: hash)
        return token.isActive ? token : nil
    }

    /// Reads the whole collection (a transfer to a named staff member; rare and small).
    public func activeToken(named name: String) async throws -> StoredToken? {
        try await self.allTokens().first { $0.isActive && $0.name == name }
    }

    /// Every token, revoked ones included, oldest first (by creation time, then name).
    public func allTokens() async throws -> [StoredToken] {
        try await self.store.documents(collection: StoredToken.collection)
            .map { try self.decode($0.json, id: $0.id) }
            .sorted { ($0.createdAt, $0.name, $0.hash) < ($1.createdAt, $1.name, $1.hash) }
    }

    /// Under the lock `desk-tokens`: reads every token, lets `body` change them, and writes the tokens added
    /// (create-only), changed and removed in one atomic write.
    public func updateTokens<T: Sendable>(
        _ body: @escaping @Sendable (inout [StoredToken]) throws -> T
    ) async throws -> T {
        try await self.coordination.exclusively(Self.lockKey) {
            let before = try await self.allTokens()
            var tokens = before
            let result = try body(&tokens)
            try await self.store.write(try Self.changes(from: before, to: tokens))
            return result
        }
    }

    /// The changes that turn `before` into `after`, tokens matched by hash.
    static func changes(from before: [StoredToken], to after: [StoredToken]) throws -> [DocumentChange] {
        let old = Dictionary(before.map { ($0.hash, $0) }, uniquingKeysWith: { first, _ in first })
        let kept = Set(after.map(\.hash))
        var changes: [DocumentChange] = []
        for token in after where old[token.hash] != token {
            changes.append(old[token.hash] == nil ? try .create(token) : try .put(token))
        }
        for token in before where !kept.contains(token.hash) {
            changes.append(.delete(StoredToken.self, id: token.hash))
        }
        return changes
    }

    /// Decodes one token document, checking its version and that it is filed under its own hash.
    private func decode(_ json: Data, id: String) throws -> StoredToken {
        let path = "\(self.location), document \(id)"
        let token: StoredToken
        do {
            token = try StoreCoding.decoder.decode(StoredToken.self, from: json)
        } catch let error as DecodingError {
            throw TokenFileError(
                code: .corrupt, message: "\(path) is not a valid token: \(TokenFile.describe(error))", path: path)
        }
        guard token.schemaVersion == StoredToken.currentSchemaVersion else {
            throw TokenFileError(
                code: .unsupportedVersion,
                message: "\(path) (\(token.name)) has schema_version \(token.schemaVersion); "
                    + "this version reads \(StoredToken.currentSchemaVersion) only",
                path: path
            )
        }
        guard token.hash == id else {
            throw TokenFileError(
                code: .corrupt, message: "\(path) holds the token of another hash (\(token.name))", path: path)
        }
        return token
    }
}
