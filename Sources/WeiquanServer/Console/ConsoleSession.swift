import Foundation
import WeiquanStore

/// A signed-in browser of the console, kept in the store (collection `console-sessions`) so that every instance
/// knows it. The document's id is the SHA-256 of the session cookie's secret, which is never kept.
///
/// Who is signed in is the token (by its hash): the session grants what the token grants now, and nothing once
/// the token is revoked.
struct ConsoleSession: StoredDocument, Equatable {
    static let collection = "console-sessions"
    static let currentSchemaVersion = 1

    var schemaVersion: Int
    /// The lowercase hex SHA-256 of the cookie's secret.
    var id: String
    /// The hash of the token that signed in.
    var tokenHash: String
    /// The token's name when it signed in (for the log; who it is comes from the token).
    var name: String
    /// What every change the browser asks for must carry (`X-CSRF-Token`, or a form's `csrf` field).
    var csrf: String
    var createdAt: Date
    /// The last request that used the session (written at most once a minute).
    var lastSeenAt: Date

    var documentID: String { self.id }

    init(id: String, tokenHash: String, name: String, csrf: String, now: Date) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.tokenHash = tokenHash
        self.name = name
        self.csrf = csrf
        self.createdAt = now
        self.lastSeenAt = now
    }

    /// Whether the session still opens the console at `now`: used within the idle time, and not older than the
    /// longest session.
    func isAlive(at now: Date, settings: ConsoleSettings) -> Bool {
        now < self.lastSeenAt.addingTimeInterval(TimeInterval(settings.idleMinutes * 60))
            && now < self.createdAt.addingTimeInterval(TimeInterval(settings.sessionHours * 3600))
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id
        case tokenHash = "token_hash"
        case name, csrf
        case createdAt = "created_at"
        case lastSeenAt = "last_seen_at"
    }
}

/// The failed sign-ins of one client (collection `console-sign-in-attempts`, id: a hash of the client's address)
/// within the window of ``ConsoleSettings/signInWindowMinutes``.
struct ConsoleSignInAttempts: StoredDocument, Equatable {
    static let collection = "console-sign-in-attempts"

    var id: String
    /// When each failure within the window happened, oldest first.
    var failures: [Date]

    var documentID: String { self.id }
}
