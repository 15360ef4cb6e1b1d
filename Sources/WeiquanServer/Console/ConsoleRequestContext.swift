import Foundation
import Hummingbird
import NIOCore

/// The request context of the console's routes (`/console`): who is signed in (``ConsoleSessionMiddleware`` finds
/// them by their cookie), and where the request came from.
struct ConsoleRequestContext: RequestContext, RemoteAddressRequestContext {
    typealias Source = WeiquanRequestContext

    var coreContext: CoreRequestContextStorage
    /// The signed-in session; nil until the middleware finds one (pages behind it always have one).
    var signedIn: ConsoleSessions.SignedIn?
    /// The path asked for (`/console/cases`), for the sign-in page to come back to.
    var path: String = "/console"
    /// The request's connection, for its peer address.
    let channel: any Channel

    init(source: WeiquanRequestContext) {
        self.coreContext = source.coreContext
        self.channel = source.channel
        self.signedIn = nil
    }

    /// The peer of the connection (read when a sign-in fails or is checked).
    var remoteAddress: SocketAddress? { self.channel.remoteAddress }

    /// Forms are small: a token, a few fields.
    var maxUploadSize: Int { 64 * 1024 }

    /// The signed-in person; a 401 page when there is none.
    func staff() throws -> StaffIdentity {
        guard let signedIn = self.signedIn else { throw ConsoleError.signInNeeded }
        return signedIn.identity
    }

    /// The session's CSRF token ("" before sign-in).
    var csrf: String { self.signedIn?.session.csrf ?? "" }
}
