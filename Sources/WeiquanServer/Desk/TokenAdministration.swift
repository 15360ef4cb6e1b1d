import Foundation
import WeiquanCore

/// Creating, revoking and listing desk tokens (what `weiquan token` does) in a ``TokenStorage``: the data
/// directory's ``TokenFile`` or the store's ``TokenCollection``. Safe while the service runs: its
/// ``TokenRegistry`` sees the change on the next request (on PostgreSQL, every instance's next request).
public enum TokenAdministration {
    /// The longest token name, in characters.
    public static let maximumNameLength = 64

    /// Adds an active token whose secret is `secret` (only its hash is stored) and returns what was stored.
    ///
    /// Throws ``TokenAdministrationError/invalidName(_:)`` unless `name` is 1 to 64 letters (any script),
    /// digits, `-`, `_` or `.`; ``TokenAdministrationError/duplicateName(_:)`` when an active token has
    /// that name; ``TokenAdministrationError/unknownUnit(_:known:)`` when `unit` or one of `regions` is not in
    /// `directory`; ``TokenAdministrationError/unknownSpecialty(_:)`` when a specialty is not an ``IPType``.
    /// - Parameters:
    ///   - specialties: A volunteer's fields (``IPType`` raw values); empty: all.
    ///   - regions: The units whose questions a volunteer sees; empty: all.
    public static func create(
        name: String,
        role: DeskRole,
        unit: UnitID?,
        specialties: [String] = [],
        regions: [UnitID] = [],
        directory: OrgDirectory,
        in storage: any TokenStorage,
        now: Date,
        secret: String
    ) async throws -> StoredToken {
        guard TokenAdministration.isValidName(name) else {
            throw TokenAdministrationError.invalidName(name)
        }
        for unit in [unit].compactMap({ $0 }) + regions where directory.unit(id: unit) == nil {
            throw TokenAdministrationError.unknownUnit(unit, known: directory.units.map(\.id))
        }
        if let unknown = specialties.first(where: { IPType(rawValue: $0) == nil }) {
            throw TokenAdministrationError.unknownSpecialty(unknown)
        }
        let token = StoredToken(
            name: name, role: role, unit: unit, hash: TokenRegistry.hash(secret), createdAt: now,
            specialties: specialties, regions: regions)
        try await storage.updateTokens { tokens in
            guard !tokens.contains(where: { $0.isActive && $0.name == name }) else {
                throw TokenAdministrationError.duplicateName(name)
            }
            tokens.append(token)
        }
        return token
    }

    /// Marks the active token named `name` revoked at `now` and returns it as stored.
    ///
    /// Throws ``TokenAdministrationError/unknownToken(_:)`` when no active token has that name.
    public static func revoke(name: String, in storage: any TokenStorage, now: Date) async throws -> StoredToken {
        try await storage.updateTokens { tokens in
            guard let index = tokens.firstIndex(where: { $0.isActive && $0.name == name }) else {
                throw TokenAdministrationError.unknownToken(name)
            }
            tokens[index].revokedAt = now
            return tokens[index]
        }
    }

    /// Gives the active token named `name` a one-time sign-in link for the console, valid until `expiresAt`, and
    /// returns the token as stored. The link's `code` (only its hash is kept) replaces any earlier link not used yet.
    ///
    /// Throws ``TokenAdministrationError/unknownToken(_:)`` when no active token has that name.
    public static func addSignInLink(
        name: String, code: String, expiresAt: Date, in storage: any TokenStorage
    ) async throws -> StoredToken {
        let link = StoredToken.SignInLink(hash: TokenRegistry.hash(code), expiresAt: expiresAt)
        return try await storage.updateTokens { tokens in
            guard let index = tokens.firstIndex(where: { $0.isActive && $0.name == name }) else {
                throw TokenAdministrationError.unknownToken(name)
            }
            tokens[index].signInLink = link
            return tokens[index]
        }
    }

    /// Uses the one-time sign-in link whose code is `code`: removes it, in the same atomic write that checks it,
    /// and returns the token it signs in. Nil when no active token has a link with that code, or it expired
    /// (an expired link is removed too). Two instances using one link at once: one of them gets the token.
    public static func useSignInLink(code: String, in storage: any TokenStorage, now: Date) async throws
        -> StoredToken?
    {
        let hash = TokenRegistry.hash(code)
        return try await storage.updateTokens { tokens in
            guard let index = tokens.firstIndex(where: { $0.isActive && $0.signInLink?.hash == hash }),
                let link = tokens[index].signInLink
            else { return nil }
            tokens[index].signInLink = nil
            return link.expiresAt > now ? tokens[index] : nil
        }
    }

    /// Every token, revoked ones included, oldest first.
    public static func list(in storage: any TokenStorage) async throws -> [StoredToken] {
        try await storage.allTokens()
    }

    /// 1 to 64 characters, each a letter (Chinese too), an ASCII digit, `-`, `_` or `.`.
    static func isValidName(_ name: String) -> Bool {
        guard (1...TokenAdministration.maximumNameLength).contains(name.count) else {
            return false
        }
        return name.allSatisfy { character in
            character.isLetter || ("0"..."9").contains(character) || character == "-" || character == "_"
                || character == "."
        }
    }
}

/// Why a token could not be created or revoked.
public enum TokenAdministrationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The name is empty, too long, or has a character other than letters, digits, `-`, `_` and `.`.
    case invalidName(String)
    /// An active token already has this name.
    case duplicateName(String)
    /// The unit is not in the configuration's directory (the known unit ids are given).
    case unknownUnit(UnitID, known: [UnitID])
    /// No active token has this name.
    case unknownToken(String)
    /// A volunteer's specialty that is not an IP type.
    case unknownSpecialty(String)

    /// The message for a person.
    public var description: String {
        switch self {
        case .invalidName(let name):
            return "'\(name)' is not a valid token name: use 1 to \(TokenAdministration.maximumNameLength) "
                + "letters, digits, '-', '_' or '.'"
        case .duplicateName(let name):
            return "an active token is already named '\(name)': choose another name, or revoke it first "
                + "(weiquan token revoke --name \(name))"
        case .unknownUnit(let unit, let known):
            let list =
                known.isEmpty ? "none is configured" : "known units: " + known.map(\.rawValue).joined(separator: ", ")
            return "there is no unit '\(unit)' in the configuration's directory (\(list))"
        case .unknownToken(let name):
            return "there is no active token named '\(name)' (weiquan token list shows them)"
        case .unknownSpecialty(let specialty):
            let known = IPType.allCases.map(\.rawValue).joined(separator: ", ")
            return "'\(specialty)' is not an IP type: use \(known)"
        }
    }
}
