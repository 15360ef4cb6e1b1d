import Foundation
import Logging
import WeiquanStore

/// Signs people in to the console and finds them again by their cookie: sessions and failed attempts live in the
/// store, so every instance honours a sign-in, a sign-out and the attempts counted against a client.
///
/// A session is a random secret in an HttpOnly cookie; the store keeps its hash with the token's hash, a CSRF token
/// and its times. It ends on sign-out, after ``ConsoleSettings/idleMinutes`` unused, after
/// ``ConsoleSettings/sessionHours``, or as soon as its token is revoked.
final class ConsoleSessions: Sendable {
    let store: any DocumentStore
    let tokens: TokenRegistry
    let coordination: any Coordination
    let settings: ConsoleSettings
    let clock: @Sendable () -> Date
    /// A new random secret (sessions, CSRF tokens, link codes): 32 bytes, URL-safe.
    let makeSecret: @Sendable () -> String
    let logger: Logger

    init(
        store: any DocumentStore, tokens: TokenRegistry, coordination: any Coordination, settings: ConsoleSettings,
        clock: @escaping @Sendable () -> Date,
        makeSecret: @escaping @Sendable () -> String = { TokenRegistry.makeSecret() },
        logger: Logger
    ) {
        self.store = store
        self.tokens = tokens
        self.coordination = coordination
        self.settings = settings
        self.clock = clock
        self.makeSecret = makeSecret
        self.logger = logger
    }

    /// A session that is signed in: who it is now, and the session itself.
    struct SignedIn: Sendable {
        var identity: StaffIdentity
        var session: ConsoleSession
    }

    /// A new session for the holder of `token`, or ``ConsoleError/badToken``; a client with too many failures
    /// within the window gets ``ConsoleError/tooManyAttempts(retryAfter:)`` without its token being looked at.
    /// - Returns: the cookie's secret and the session.
    func signIn(token: String, client: String) async throws -> (secret: String, session: ConsoleSession) {
        try await self.checkAttempts(client: client)
        let hash = TokenRegistry.hash(token.trimmingCharacters(in: .whitespacesAndNewlines))
        guard let identity = await self.tokens.identity(hash: hash) else {
            try await self.recordFailure(client: client)
            self.logger.notice("console sign-in refused: unknown token", metadata: ["client": "\(client)"])
            throw ConsoleError.badToken
        }
        return try await self.open(tokenHash: hash, name: identity.name)
    }

    /// A new session for the token whose one-time link has `code`; the link is used up. Failures count against
    /// the client as a wrong token does.
    func signIn(linkCode code: String, client: String) async throws -> (secret: String, session: ConsoleSession) {
        try await self.checkAttempts(client: client)
        guard let storage = self.tokens.storage,
            let token = try await TokenAdministration.useSignInLink(
                code: code.trimmingCharacters(in: .whitespacesAndNewlines), in: storage, now: self.clock())
        else {
            try await self.recordFailure(client: client)
            self.logger.notice("console sign-in refused: unknown link", metadata: ["client": "\(client)"])
            throw ConsoleError.badLink
        }
        return try await self.open(tokenHash: token.hash, name: token.name)
    }

    /// The signed-in session whose cookie holds `secret`, refreshed; nil when there is none, it ended, or its
    /// token was revoked (an ended session is deleted).
    func signedIn(secret: String) async throws -> SignedIn? {
        let id = TokenRegistry.hash(secret)
        guard var session = try await self.store.get(ConsoleSession.self, id: id) else { return nil }
        let now = self.clock()
        guard session.isAlive(at: now, settings: self.settings) else {
            try await self.store.delete(ConsoleSession.self, id: id)
            return nil
        }
        guard let identity = await self.tokens.identity(hash: session.tokenHash) else { return nil }
        if now.timeIntervalSince(session.lastSeenAt) >= 60 {
            session.lastSeenAt = now
            try await self.store.put(session)
        }
        return SignedIn(identity: identity, session: session)
    }

    /// Ends the session whose cookie holds `secret` (nothing when there is none).
    func signOut(secret: String) async throws {
        try await self.store.delete(ConsoleSession.self, id: TokenRegistry.hash(secret))
    }

    /// A one-time sign-in link's code for the active token `name`, valid for ``ConsoleSettings/linkMinutes``.
    func makeLink(for name: String) async throws -> String {
        guard let storage = self.tokens.storage else { throw TokenAdministrationError.unknownToken(name) }
        let code = self.makeSecret()
        _ = try await TokenAdministration.addSignInLink(
            name: name, code: code,
            expiresAt: self.clock().addingTimeInterval(TimeInterval(self.settings.linkMinutes * 60)), in: storage)
        return code
    }

    // MARK: - Internals

    private func open(tokenHash: String, name: String) async throws -> (secret: String, session: ConsoleSession) {
        let secret = self.makeSecret()
        let now = self.clock()
        let session = ConsoleSession(
            id: TokenRegistry.hash(secret), tokenHash: tokenHash, name: name, csrf: self.makeSecret(), now: now)
        // Sessions that ended without a sign-out go when someone signs in (they are few: one per browser).
        let ended = try await self.store.all(ConsoleSession.self).filter {
            !$0.isAlive(at: now, settings: self.settings)
        }
        try await self.store.write(
            [try DocumentChange.put(session)]
                + ended.map { DocumentChange(collection: ConsoleSession.collection, id: $0.id, json: nil) })
        self.logger.info("console sign-in", metadata: ["name": "\(name)"])
        return (secret, session)
    }

    private var window: TimeInterval { TimeInterval(self.settings.signInWindowMinutes * 60) }

    private static func attemptsID(_ client: String) -> String { TokenRegistry.hash("sign-in:" + client) }

    private func checkAttempts(client: String) async throws {
        let now = self.clock()
        guard let attempts = try await self.store.get(ConsoleSignInAttempts.self, id: Self.attemptsID(client))
        else { return }
        let recent = attempts.failures.filter { $0 > now.addingTimeInterval(-self.window) }
        guard recent.count >= self.settings.signInAttempts, let oldest = recent.first else { return }
        let retryAfter = Int(oldest.addingTimeInterval(self.window).timeIntervalSince(now).rounded(.up))
        throw ConsoleError.tooManyAttempts(retryAfter: max(1, retryAfter))
    }

    private func recordFailure(client: String) async throws {
        let id = Self.attemptsID(client)
        let now = self.clock()
        let window = self.window
        try await self.coordination.exclusively("console-sign-in:" + id) {
            let earlier = try await self.store.get(ConsoleSignInAttempts.self, id: id)?.failures ?? []
            let failures = earlier.filter { $0 > now.addingTimeInterval(-window) } + [now]
            try await self.store.put(ConsoleSignInAttempts(id: id, failures: failures))
        }
    }
}
