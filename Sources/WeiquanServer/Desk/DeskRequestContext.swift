import Foundation
import Hummingbird
import HummingbirdAuth

/// The request context of the staff desk API (`/api/v1`): the caller, once ``DeskTokenAuthenticator`` has
/// accepted their bearer token, and JSON read and written the desk's way.
///
/// Made from the application's context for the routes of the desk's router group. Bodies are at most
/// ``bodyLimit`` bytes (413 `too_large` beyond), read by ``DeskRequestDecoder``; answers are JSON with ISO 8601
/// dates and sorted keys.
struct DeskRequestContext: AuthRequestContext, RequestContext {
    typealias Source = WeiquanRequestContext

    /// Largest request body accepted.
    static let bodyLimit = 64 * 1024

    /// How the desk writes JSON: ISO 8601 dates, sorted keys, slashes as they are.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    var coreContext: CoreRequestContextStorage
    /// Who holds the bearer token of the request; nil until it is authenticated.
    var identity: StaffIdentity?

    /// The context for a desk route, from the application's (its parameters and endpoint path included).
    init(source: WeiquanRequestContext) {
        self.coreContext = source.coreContext
        self.identity = nil
    }

    var maxUploadSize: Int { Self.bodyLimit }
    var requestDecoder: DeskRequestDecoder { DeskRequestDecoder() }
    var responseEncoder: JSONEncoder { Self.encoder }

    /// The authenticated caller; a 401 when there is none (``DeskIdentityGuard`` makes sure there is).
    func staff() throws -> StaffIdentity {
        guard let identity = self.identity else { throw DeskError.missingToken }
        return identity
    }
}
