import Foundation
import Logging
import Synchronization

/// The active tokens of a ``TokenFile``, kept in memory and read again whenever the file changes.
///
/// Every lookup compares the file's signature with the one read (one `stat(2)`), so `weiquan token create`
/// and `weiquan token revoke` take effect on the next request of the one service that uses the data
/// directory. When a new version of the file cannot be read, the tokens read before stay in force and the
/// error is logged once for that version; a file unreadable from the start counts as no tokens.
public final class TokenFileLookup: TokenLookup {
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

    /// The file read.
    public let file: TokenFile
    private let logger: Logger
    private let state: Mutex<State>

    /// Reads `file` now (logging an error if it cannot be read) and again whenever it changes.
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

    /// The active token with this hash, from the file as it is now.
    public func activeToken(hash: String) -> StoredToken? {
        self.current { $0.byHash[hash] }
    }

    /// The active token with this name, from the file as it is now.
    public func activeToken(named name: String) -> StoredToken? {
        self.current { $0.byName[name] }
    }

    /// Runs `body` on the current tokens, reading the file first if it changed since last read.
    private func current<Value>(_ body: (Tokens) -> Value?) -> Value? {
        // Taken before reading: a change made while reading shows as another signature next time.
        let signature = self.file.signature()
        return self.state.withLock { state in
            if signature != state.signature {
                state.signature = signature
                do {
                    state.tokens = Tokens(try self.file.load())
                } catch {
                    self.logger.error(
                        "desk tokens could not be read again; the tokens read before stay in force",
                        metadata: ["path": "\(self.file.url.path)", "error": "\(error)"]
                    )
                }
            }
            return body(state.tokens)
        }
    }
}
