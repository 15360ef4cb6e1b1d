import Foundation
import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's basic context, with JSON answers written the same way
/// on every run.
///
/// `JSONEncoder` on Linux does not keep the order in which a type encodes its keys, so answers are written
/// with sorted keys (and ISO 8601 dates); a reply then reads the same from one process to the next. The desk
/// API makes its own ``DeskRequestContext`` from this one.
struct WeiquanRequestContext: RequestContext, RemoteAddressRequestContext {
    /// How answers are written: sorted keys, ISO 8601 dates.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    var coreContext: CoreRequestContextStorage
    /// The request's connection; its peer address is read only when asked for (the console counts failed sign-ins
    /// by it), not on every webhook request.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// The peer of the connection.
    var remoteAddress: SocketAddress? { self.channel.remoteAddress }

    var responseEncoder: JSONEncoder { Self.encoder }
}
