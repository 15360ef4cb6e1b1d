import Foundation
import WeiquanStore

/// A data directory as a whole, the way `weiquan store copy` and `weiquan store status` see it: the embedded
/// store's documents, with the directory's `tokens.json` as the `tokens` collection (one document per token,
/// under its hash, as a PostgreSQL store keeps them).
///
/// The embedded service keeps its tokens out of the journal so that `weiquan token` can change them while it
/// runs (it holds the store's lock); this puts them back beside the other collections, so that a centre moves
/// between the two stores with its tokens. A write that changes tokens and other documents is not atomic
/// across the two files: the store's part is written first, then `tokens.json`.
public struct TokenFileOverlay: DocumentStore {
    /// The embedded store (opened read-only for a source, writable for a destination).
    public let base: any DocumentStore
    /// The data directory's tokens.
    public let tokens: TokenFile

    /// `base`'s documents, with `tokens` as the `tokens` collection.
    public init(base: any DocumentStore, tokens: TokenFile) {
        self.base = base
        self.tokens = tokens
    }

    /// Writes the store's changes, then the tokens' (each change to `tokens` must be a token of the current
    /// layout filed under its own hash: else `.invalidDocument`, nothing written; a create-only change of an
    /// existing token: `.conflict`, nothing of the tokens written).
    public func write(_ changes: [DocumentChange]) async throws {
        let tokenChanges = try changes.filter { $0.collection == StoredToken.collection }.map(Self.validate)
        try await self.base.write(changes.filter { $0.collection != StoredToken.collection })
        guard !tokenChanges.isEmpty else { return }
        try self.tokens.update { (tokens: inout [StoredToken]) throws in
            var result = tokens
            var appended = false
            for (change, token) in tokenChanges {
                let index = result.firstIndex { $0.hash == change.id }
                if let token {
                    if let index {
                        guard !change.mustNotExist else {
                            throw StoreError(
                                code: .conflict, message: "token \(change.id) exists already in \(self.tokens.location)"
                            )
                        }
                        result[index] = token
                    } else {
                        result.append(token)
                        appended = true
                    }
                } else if let index {
                    result.remove(at: index)
                }
            }
            if appended {
                // The file lists tokens oldest first, as `weiquan token list` shows them.
                result.sort { ($0.createdAt, $0.name, $0.hash) < ($1.createdAt, $1.name, $1.hash) }
            }
            tokens = result
        }
    }

    /// A token (encoded as the store would keep it) or the store's document.
    public func document(collection: String, id: String) async throws -> Data? {
        guard collection == StoredToken.collection else {
            return try await self.base.document(collection: collection, id: id)
        }
        return try self.tokens.load().first { $0.hash == id }.map { try StoreCoding.encode($0) }
    }

    /// The tokens ordered by hash, or the store's documents.
    public func documents(collection: String) async throws -> [(id: String, json: Data)] {
        guard collection == StoredToken.collection else {
            return try await self.base.documents(collection: collection)
        }
        return try self.tokens.load().sorted { $0.hash < $1.hash }.map {
            (id: $0.hash, json: try StoreCoding.encode($0))
        }
    }

    /// How many tokens `tokens.json` holds, or the store's count.
    public func count(collection: String) async throws -> Int {
        guard collection == StoredToken.collection else {
            return try await self.base.count(collection: collection)
        }
        return try self.tokens.load().count
    }

    /// The store's non-empty collections, with `tokens` when `tokens.json` holds a token.
    public func collections() async throws -> [String] {
        var names = Set(try await self.base.collections())
        if try !self.tokens.load().isEmpty { names.insert(StoredToken.collection) }
        return names.sorted()
    }

    /// Whether the store is writable.
    public func checkWritable() async throws {
        try await self.base.checkWritable()
    }

    /// A change to `tokens`, with its token decoded (nil for a delete); `.invalidDocument` for anything else.
    private static func validate(_ change: DocumentChange) throws(StoreError) -> (DocumentChange, StoredToken?) {
        guard let json = change.json else {
            return (change, nil)
        }
        let token: StoredToken
        do {
            token = try StoreCoding.decoder.decode(StoredToken.self, from: json)
        } catch {
            throw StoreError(code: .invalidDocument, message: "tokens/\(change.id) is not a desk token: \(error)")
        }
        guard token.schemaVersion == StoredToken.currentSchemaVersion, token.hash == change.id else {
            throw StoreError(
                code: .invalidDocument,
                message: "tokens/\(change.id) is not a desk token of schema_version "
                    + "\(StoredToken.currentSchemaVersion) filed under its own hash"
            )
        }
        return (change, token)
    }
}
