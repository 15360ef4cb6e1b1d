import Crypto
import Foundation
import Logging
import Synchronization
import WeiquanCore

/// The active desk tokens, for authenticating `Authorization: Bearer …` on the staff desk API.
///
/// Tokens are looked up by the SHA-256 of the secret, so the secret is never kept, and comparing hashes
/// reveals nothing useful about it. A registry built on a ``TokenFile`` checks the file's signature on
/// every lookup (one `stat(2)`) and reads the file again when it changed, so `weiquan token create` and
/// `weiquan token revoke` take effect on the next request of a running service. When a new version of
/// the file cannot be read, the registry keeps the tokens it had and logs the error once for that version.
public final class TokenRegistry: Sendable {
    /// Active tokens, by hash and by name.
    private struct Tokens {
        var byHash: [String: StoredToken] = [:]
        var byName: [String: StoredToken] = [:]

        init(_ tokens: [StoredToken]) {
            for token in tokens where token.isActive {
                self.byHash[token.hash] = token
                self.byName[token.name] = token
            }
        }
    }

    private struct State {
        var tokens: Tokens
        /// The signature of the file when the tokens were read (or failed to be read).
        var signature: TokenFileSignature?
    }

    private let file: TokenFile?
    private let logger: Logger?
    private let state: Mutex<State>

    /// Tokens read from `file`, and read again whenever it changes. A file that cannot be read is logged,
    /// and counts as no tokens until it is fixed.
    public init(file: TokenFile, logger: Logger) {
        self.file = file
        self.logger = logger
        let signature = file.signature()
        let tokens: [StoredToken]
        do {
            tokens = try file.load()
        } catch {
            logger.error(
                "desk tokens could not be read; no token is accepted until the file is fixed",
                metadata: ["path": "\(file.url.path)", "error": "\(error)"]
            )
            tokens = []
        }
        self.state = Mutex(State(tokens: Tokens(tokens), signature: signature))
    }

    /// Fixed tokens held in memory (for tests); revoked ones never match.
    public init(tokens: [StoredToken]) {
        self.file = nil
        self.logger = nil
        self.state = Mutex(State(tokens: Tokens(tokens), signature: nil))
    }

    /// Who holds this bearer token; nil for an unknown or revoked one.
    public func identity(bearer token: String) -> StaffIdentity? {
        let hash = TokenRegistry.hash(token)
        return self.current { $0.byHash[hash] }.map(StaffIdentity.init)
    }

    /// The active token named `name`, as an identity (to check that a staff member exists); nil if none.
    public func identity(named name: String) -> StaffIdentity? {
        self.current { $0.byName[name] }.map(StaffIdentity.init)
    }

    /// The lowercase hex SHA-256 of the token's UTF-8 bytes, as stored in `tokens.json`.
    public static func hash(_ token: String) -> String {
        let digest = SHA256.hash(data: Data(token.utf8))
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(SHA256.byteCount * 2)
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
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

    /// Runs `body` on the current tokens, reading the file first if it changed since last read.
    private func current<Value>(_ body: (Tokens) -> Value?) -> Value? {
        guard let file = self.file else {
            return self.state.withLock { body($0.tokens) }
        }
        // Taken before reading: a change made while reading shows as another signature next time.
        let signature = file.signature()
        return self.state.withLock { state in
            if signature != state.signature {
                state.signature = signature
                do {
                    state.tokens = Tokens(try file.load())
                } catch {
                    self.logger?.error(
                        "desk tokens could not be read again; the tokens read before stay in force",
                        metadata: ["path": "\(file.url.path)", "error": "\(error)"]
                    )
                }
            }
            return body(state.tokens)
        }
    }
}
