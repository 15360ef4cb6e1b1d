import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension HTTPWeChatAPI: WeChatMediaAPI {
    public func media(_ mediaID: String, accessToken: String, maxBytes: Int) async throws -> WeChatMedia {
        let url =
            self.baseURL
            + "/cgi-bin/media/get?access_token=\(Self.escape(accessToken))&media_id=\(Self.escape(mediaID))"
        let media = try await self.download(url, endpoint: "media/get", maxBytes: maxBytes, secrets: [accessToken])
        guard Self.isJSON(media.contentType) || media.bytes.first == UInt8(ascii: "{") else {
            return media
        }
        // JSON instead of bytes: an error, or a video's download address.
        let answer: MediaAnswer
        do {
            answer = try JSONDecoder().decode(MediaAnswer.self, from: Self.sanitized(media.bytes))
        } catch {
            if Self.isJSON(media.contentType) {
                throw WeChatAPIError(code: WeChatAPIError.badResponse, message: "media/get answered malformed JSON")
            }
            return media
        }
        if let code = answer.errcode, code != 0 {
            throw WeChatAPIError(code: code, message: answer.errmsg ?? "")
        }
        if let video = answer.videoURL, video.hasPrefix("http://") || video.hasPrefix("https://") {
            return try await self.download(video, endpoint: "video download", maxBytes: maxBytes, secrets: [])
        }
        throw WeChatAPIError(code: WeChatAPIError.badResponse, message: "media/get answered JSON without media")
    }

    /// GETs `url` and reads at most `maxBytes` of the body: a larger `Content-Length` is refused before the body is
    /// read, and a body that grows past the limit is cut off.
    private func download(_ url: String, endpoint: String, maxBytes: Int, secrets: [String]) async throws
        -> WeChatMedia
    {
        let request = {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            return request
        }()
        let client = self.client
        let outcome: Result<WeChatMedia, WeChatAPIError>
        do {
            outcome = try await withTimeout(self.timeout, clock: self.clock) {
                let response = try await client.execute(request, deadline: .distantFuture)
                guard response.status.code == 200 else {
                    return .failure(
                        .httpStatus(
                            Int(response.status.code), message: "\(endpoint) answered HTTP \(response.status.code)"))
                }
                let contentType = response.headers.first(name: "content-type") ?? ""
                if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > maxBytes {
                    return .failure(Self.tooLarge(endpoint, size: length, limit: maxBytes))
                }
                do {
                    let body = try await response.body.collect(upTo: maxBytes)
                    return .success(WeChatMedia(contentType: contentType, bytes: Array(body.readableBytesView)))
                } catch is NIOTooManyBytesError {
                    return .failure(Self.tooLarge(endpoint, size: nil, limit: maxBytes))
                }
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            if error is DeadlineExceeded {
                throw WeChatAPIError(
                    code: WeChatAPIError.timeout, message: "\(endpoint): no complete answer within \(self.timeout)")
            }
            throw Self.classify(error, endpoint: endpoint, secrets: secrets)
        }
        return try outcome.get()
    }

    private static func tooLarge(_ endpoint: String, size: Int?, limit: Int) -> WeChatAPIError {
        WeChatAPIError(
            code: WeChatAPIError.tooLarge,
            message: "\(endpoint): \(size.map { "\($0) bytes" } ?? "more bytes") than the limit of \(limit)")
    }

    private static func isJSON(_ contentType: String) -> Bool {
        let type = EvidenceSettings.mediaType(contentType)
        return type == "application/json" || type == "text/plain" || type == "text/json"
    }

    /// An error or a video's address.
    private struct MediaAnswer: Decodable {
        var errcode: Int?
        var errmsg: String?
        var videoURL: String?

        enum CodingKeys: String, CodingKey {
            case errcode, errmsg
            case videoURL = "video_url"
        }
    }
}
