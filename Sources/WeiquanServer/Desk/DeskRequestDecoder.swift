import Foundation
import Hummingbird
import NIOCore

/// Reads a desk request's JSON body for `request.decode(as:context:)`, with refusals a client can act on.
///
/// - A body larger than the context's `maxUploadSize` is a 413 `too_large`.
/// - An empty body reads as `{}`: a body whose fields are all optional takes it, any other is a 400 saying the
///   route needs a JSON body.
/// - JSON that does not fit is a 400 `bad_request` naming the key: "'text' is missing", "'text' has the wrong
///   type", or "not valid JSON".
struct DeskRequestDecoder: RequestDecoder {
    func decode<Body: Decodable>(_ type: Body.Type, from request: Request, context: some RequestContext) async throws
        -> Body
    {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw DeskError.tooLarge(limit: context.maxUploadSize)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard buffer.readableBytes > 0 else {
            do {
                return try decoder.decode(type, from: Data("{}".utf8))
            } catch {
                throw DeskError.badRequest("the request needs a JSON body")
            }
        }
        do {
            return try decoder.decode(type, from: Data(buffer.readableBytesView))
        } catch {
            throw DeskError.badRequest("the body is not the JSON this route takes: \(Self.describe(error))")
        }
    }

    /// What is wrong with the JSON, in a few words.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "'\(key.stringValue)' is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        default: "not valid JSON"
        }
    }
}
