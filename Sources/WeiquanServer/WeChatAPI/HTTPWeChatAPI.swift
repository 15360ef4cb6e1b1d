import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The live WeChat API client over AsyncHTTPClient.
///
/// - The base URL comes from the configuration (`wechat.api_base`, normally `https://api.weixin.qq.com`), so
///   tests and proxies can point it elsewhere.
/// - Every request has its own timeout, timed on the injected clock; running out of it cancels the request and is a
///   ``WeChatAPIError/timeout`` error.
/// - Answers are decoded leniently: raw control characters, which WeChat sometimes puts in strings, are
///   read as spaces instead of failing the whole answer.
/// - Request bodies are UTF-8 JSON with CJK and emoji as they are (never `\uXXXX`, which WeChat has shown
///   literally) and real line breaks encoded as `\n`.
/// - It logs nothing, and no error it throws contains the app secret or an access token (both travel in the
///   query string, so URLs are never put into messages).
public struct HTTPWeChatAPI: WeChatAPI {
    /// Where the API lives, without a trailing slash.
    public let baseURL: String
    /// The longest one request (connect, send, answer) may take.
    public let timeout: Duration
    let client: HTTPClient
    /// What request timeouts are timed on.
    let clock: any Clock<Duration>

    /// The most bytes of an answer that are read; WeChat's answers here are well under 1 KB.
    static let maxResponseBytes = 1 << 20

    /// - Parameters:
    ///   - baseURL: `https://api.weixin.qq.com` in production (configuration `wechat.api_base`).
    ///   - client: The HTTP client to use; its owner shuts it down.
    ///   - timeout: Per request.
    ///   - clock: What the timeout is timed on (tests move a manual clock).
    public init(
        baseURL: String, client: HTTPClient, timeout: Duration = .seconds(10),
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.client = client
        self.timeout = timeout
        self.clock = clock
    }

    /// A client on AsyncHTTPClient's shared `HTTPClient` (which never needs shutting down).
    public init(baseURL: String, timeout: Duration = .seconds(10), clock: any Clock<Duration> = ContinuousClock()) {
        self.init(baseURL: baseURL, client: HTTPClient.shared, timeout: timeout, clock: clock)
    }

    public func accessToken(appID: String, secret: String) async throws -> AccessToken {
        let url =
            self.baseURL
            + "/cgi-bin/token?grant_type=client_credential&appid=\(Self.escape(appID))&secret=\(Self.escape(secret))"
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        let answer = try await self.perform(request, endpoint: "token", secrets: [secret])
        if let code = answer.errcode, code != 0 {
            throw WeChatAPIError(code: code, message: answer.errmsg ?? "")
        }
        guard let token = answer.accessToken, !token.isEmpty else {
            throw WeChatAPIError(code: WeChatAPIError.badResponse, message: "the token answer has no access_token")
        }
        guard let seconds = answer.expiresIn, seconds > 0 else {
            throw WeChatAPIError(
                code: WeChatAPIError.badResponse, message: "the token answer has no positive expires_in")
        }
        return AccessToken(value: token, expiresIn: .seconds(seconds))
    }

    public func sendText(_ content: String, to openID: String, accessToken: String) async throws {
        let url = self.baseURL + "/cgi-bin/message/custom/send?access_token=\(Self.escape(accessToken))"
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        let body = CustomTextMessage(touser: openID, msgtype: "text", text: .init(content: content))
        let bytes = try Self.encoder.encode(body)
        request.body = .bytes(ByteBuffer(bytes: bytes))
        let answer = try await self.perform(request, endpoint: "custom/send", secrets: [accessToken])
        guard let code = answer.errcode else {
            throw WeChatAPIError(code: WeChatAPIError.badResponse, message: "the send answer has no errcode")
        }
        if code != 0 {
            throw WeChatAPIError(code: code, message: answer.errmsg ?? "")
        }
    }

    /// Installs the official account's custom menu: POST {base}/cgi-bin/menu/create with the menu JSON.
    public func createMenu(_ json: Data, accessToken: String) async throws {
        let url = self.baseURL + "/cgi-bin/menu/create?access_token=\(Self.escape(accessToken))"
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.body = .bytes(ByteBuffer(bytes: json))
        let answer = try await self.perform(request, endpoint: "menu/create", secrets: [accessToken])
        if let code = answer.errcode, code != 0 {
            throw WeChatAPIError(code: code, message: answer.errmsg ?? "")
        }
    }

    // MARK: - Transport

    /// Runs a request and decodes the JSON answer; every failure becomes a `WeChatAPIError` (or a
    /// `CancellationError` when the calling task was cancelled).
    ///
    /// The timeout is a timer of ours on the injected clock, raced against the request (connect, send, the whole
    /// answer): when it fires the request is cancelled. AsyncHTTPClient gets no deadline of its own.
    private func perform(_ request: HTTPClientRequest, endpoint: String, secrets: [String]) async throws -> Answer {
        let client = self.client
        let body: ByteBuffer
        let status: UInt
        do {
            (status, body) = try await withTimeout(self.timeout, clock: self.clock) {
                let response = try await client.execute(request, deadline: .distantFuture)
                return (response.status.code, try await response.body.collect(upTo: Self.maxResponseBytes))
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            if error is DeadlineExceeded {
                throw WeChatAPIError(
                    code: WeChatAPIError.timeout, message: "\(endpoint): no complete answer within \(self.timeout)")
            }
            throw Self.classify(error, endpoint: endpoint, secrets: secrets)
        }
        guard status == 200 else {
            throw WeChatAPIError.httpStatus(Int(status), message: "\(endpoint) answered HTTP \(status)")
        }
        do {
            return try JSONDecoder().decode(Answer.self, from: Self.sanitized(Array(body.readableBytesView)))
        } catch {
            throw WeChatAPIError(
                code: WeChatAPIError.badResponse, message: "\(endpoint) answered something that is not its JSON")
        }
    }

    /// A transport error as a `WeChatAPIError`: timeouts apart from everything else.
    static func classify(_ error: any Error, endpoint: String, secrets: [String]) -> WeChatAPIError {
        var text = String(describing: error)
        for secret in secrets where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: "***")
        }
        if let error = error as? HTTPClientError {
            let timeouts: [HTTPClientError] = [
                .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout, .httpProxyHandshakeTimeout, .socksHandshakeTimeout,
            ]
            if timeouts.contains(error) {
                return WeChatAPIError(code: WeChatAPIError.timeout, message: "\(endpoint): \(text)")
            }
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return WeChatAPIError(code: WeChatAPIError.timeout, message: "\(endpoint): \(text)")
        }
        return WeChatAPIError(code: WeChatAPIError.transport, message: "\(endpoint): \(text)")
    }

    // MARK: - Coding

    private struct CustomTextMessage: Encodable {
        struct Text: Encodable { var content: String }
        var touser: String
        var msgtype: String
        var text: Text
    }

    /// Both endpoints' answers in one shape.
    private struct Answer: Decodable {
        var errcode: Int?
        var errmsg: String?
        var accessToken: String?
        var expiresIn: Int?

        enum CodingKeys: String, CodingKey {
            case errcode, errmsg
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The bytes with every ASCII control character read as a space: legal between JSON tokens, and inside a
    /// string it keeps the text readable where a strict decoder would refuse the whole answer.
    static func sanitized(_ bytes: [UInt8]) -> Data {
        Data(bytes.map { $0 < 0x20 ? 0x20 : $0 })
    }

    /// A query value with everything but RFC 3986's unreserved characters percent-encoded.
    static func escape(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? value
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
