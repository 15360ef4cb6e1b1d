import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import WeiquanServer
import WeiquanTestSupport

/// A real HTTP server on 127.0.0.1 (a free port) that plays the WeChat endpoints the service calls:
/// `GET /cgi-bin/token`, `POST /cgi-bin/message/custom/send` and `GET /cgi-bin/media/get` (temporary media put
/// there with ``addMedia(_:contentType:bytes:)``; an unknown media id gets 40007, as WeChat answers one it forgot).
///
/// - It issues tokens `token-1`, `token-2`, … (earlier ones stay valid, like WeChat's grace period, until
///   ``expire(_:)``), and refuses sends with a token it never issued (40001) or one it was told to expire
///   (42001).
/// - It records every request (method, path, decoded query, body) and, separately, the messages it
///   accepted, in order.
/// - Each endpoint has a queue of scripted answers, used one per request before the normal behaviour:
///   `[.errcode(40001), .ok]`, `.errcode(45015)`, `.http(500)`, `.hang`, ….
/// - What it records is ``Observed``: a test waits for "the second send arrived" (``waitUntil(_:_:)``)
///   instead of sleeping; a `.hang` request is answered only once the test calls ``releaseHung()`` (or the server
///   stops), so "a slow answer" takes exactly as long as the test says.
///
/// Tests run the live `HTTPWeChatAPI` (AsyncHTTPClient) against it.
final class FakeWeChatAPIServer: Sendable {
    /// One scripted answer.
    enum Script: Sendable {
        /// Behave normally (issue a token; check the token and accept the message).
        case ok
        /// Answer 200 with `{"errcode":code,"errmsg":…}` (for a send, nothing is accepted).
        case errcode(Int)
        /// Answer with this HTTP status and an HTML body.
        case http(Int)
        /// Answer 200 with this body as it is.
        case raw(String)
        /// Wait until the test calls ``releaseHung()`` (or the server stops), then behave normally.
        case hang
        /// Sends only: expire the token the request carries, then answer 42001 as for any expired token.
        case expireToken
    }

    /// One request as it arrived.
    struct Recorded: Sendable, Equatable {
        var method: String
        var path: String
        var query: [String: String]
        var body: String
    }

    /// A message the server accepted.
    struct Accepted: Sendable, Equatable {
        var touser: String
        var content: String
        var token: String
    }

    /// Everything the server recorded and is told, as a test sees it while waiting.
    struct State: Sendable {
        var requests: [Recorded] = []
        var accepted: [Accepted] = []
        var tokenScript: [Script] = []
        var sendScript: [Script] = []
        var mediaScript: [Script] = []
        /// Temporary media by MediaId: content type and bytes.
        var media: [String: (contentType: String, bytes: [UInt8])] = [:]
        var issued = 0
        var expired: Set<String> = []
        var expiresIn = 7200
        var sendsInFlight = 0
        var maxSendsInFlight = 0
        /// Requests that met `.hang`, and how many of them were released.
        var hung = 0
        var released = 0

        var tokenRequests: [Recorded] { self.requests.filter { $0.path == "/cgi-bin/token" } }
        var sendRequests: [Recorded] { self.requests.filter { $0.path == "/cgi-bin/message/custom/send" } }
        var mediaRequests: [Recorded] { self.requests.filter { $0.path == "/cgi-bin/media/get" } }
        /// Requests waiting in `.hang` now.
        var hanging: Int { self.hung - self.released }
    }

    let appID: String
    let secret: String
    private let state = Observed(State())
    private let port = Mutex(0)
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let group = Mutex<ServiceGroup?>(nil)

    private init(appID: String, secret: String) {
        self.appID = appID
        self.secret = secret
    }

    /// Starts a server and returns once it listens.
    static func start(appID: String = "wx-test-app", secret: String = "s3cret-value") async throws
        -> FakeWeChatAPIServer
    {
        let server = FakeWeChatAPIServer(appID: appID, secret: secret)
        let router = Router()
        router.get("/cgi-bin/token") { request, _ -> Response in
            await server.token(request)
        }
        router.post("/cgi-bin/menu/create") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let query = Self.query(request)
            server.state.update {
                $0.requests.append(
                    Recorded(method: "POST", path: request.uri.path, query: query, body: String(buffer: body)))
            }
            return Self.json(#"{"errcode":0,"errmsg":"ok"}"#)
        }
        router.get("/cgi-bin/media/get") { request, _ -> Response in
            await server.media(request)
        }
        router.post("/cgi-bin/message/custom/send") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            return await server.send(request, body: String(buffer: body))
        }
        var logger = Logger(label: "fake-wechat-api")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        // Stopped by a graceful shutdown, never by cancellation: cancelling a NIO server while a connection
        // is being accepted can trap in NIOAsyncWriter's deinit.
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        server.group.withLock { $0 = group }
        server.task.withLock { $0 = task }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await group.triggerGracefulShutdown()
            throw FakeServerError.notListening
        }
        server.port.withLock { $0 = port }
        return server
    }

    enum FakeServerError: Error { case notListening }

    /// `http://127.0.0.1:<port>`.
    var baseURL: String { "http://127.0.0.1:\(self.port.withLock { $0 })" }

    /// Stops the server (answering hung requests first).
    func stop() async {
        self.releaseHung()
        let (group, task) = (self.group.withLock { $0 }, self.task.withLock { $0 })
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
    }

    // MARK: - Scripting and inspection

    /// Appends answers for the next token requests.
    func scriptToken(_ answers: Script...) {
        self.state.update { $0.tokenScript += answers }
    }

    /// Appends answers for the next send requests.
    func scriptSend(_ answers: Script...) {
        self.state.update { $0.sendScript += answers }
    }

    /// Appends `count` copies of an answer for the next send requests.
    func scriptSend(_ answer: Script, times count: Int) {
        self.state.update { $0.sendScript += Array(repeating: answer, count: count) }
    }

    /// Appends answers for the next media requests.
    func scriptMedia(_ answers: Script...) {
        self.state.update { $0.mediaScript += answers }
    }

    /// Keeps `bytes` as the temporary media `mediaID`, served with `contentType`.
    func addMedia(_ mediaID: String, contentType: String, bytes: [UInt8]) {
        self.state.update { $0.media[mediaID] = (contentType, bytes) }
    }

    /// Lets every request hanging in `.hang` go on.
    func releaseHung() {
        self.state.update { $0.released = $0.hung }
    }

    /// Returns once `condition` holds for what the server recorded (at once if it does already).
    func waitUntil(_ what: String, _ condition: @escaping @Sendable (State) -> Bool) async throws {
        try await self.state.wait(what, until: condition)
    }

    /// Sends with this token are refused with 42001 from now on.
    func expire(_ token: String) {
        self.state.update { _ = $0.expired.insert(token) }
    }

    /// The `expires_in` of the tokens issued from now on.
    func setExpiresIn(_ seconds: Int) {
        self.state.update { $0.expiresIn = seconds }
    }

    var requests: [Recorded] { self.state.value.requests }
    var tokenRequests: [Recorded] { self.state.value.tokenRequests }
    var sendRequests: [Recorded] { self.state.value.sendRequests }
    var mediaRequests: [Recorded] { self.state.value.mediaRequests }
    var accepted: [Accepted] { self.state.value.accepted }
    /// The most send requests that were being answered at the same time.
    var maxSendsInFlight: Int { self.state.value.maxSendsInFlight }

    /// The contents accepted for one applicant, in order.
    func accepted(for touser: String) -> [String] {
        self.accepted.filter { $0.touser == touser }.map(\.content)
    }

    // MARK: - Endpoints

    private func token(_ request: Request) async -> Response {
        let query = Self.query(request)
        let script = self.state.update { state -> Script in
            state.requests.append(Recorded(method: "GET", path: request.uri.path, query: query, body: ""))
            return state.tokenScript.isEmpty ? .ok : state.tokenScript.removeFirst()
        }
        if let answer = await self.scripted(script) { return answer }
        guard query["grant_type"] == "client_credential" else { return Self.error(40002, "invalid grant_type") }
        guard query["appid"] == self.appID else { return Self.error(40013, "invalid appid") }
        guard query["secret"] == self.secret else { return Self.error(40125, "invalid appsecret") }
        let (token, expiresIn) = self.state.update { state -> (String, Int) in
            state.issued += 1
            return ("token-\(state.issued)", state.expiresIn)
        }
        return Self.json(#"{"access_token":"\#(token)","expires_in":\#(expiresIn)}"#)
    }

    private func send(_ request: Request, body: String) async -> Response {
        self.state.update { state in
            state.sendsInFlight += 1
            state.maxSendsInFlight = max(state.maxSendsInFlight, state.sendsInFlight)
        }
        defer { self.state.update { $0.sendsInFlight -= 1 } }
        let query = Self.query(request)
        let token = query["access_token"] ?? ""
        let script = self.state.update { state -> Script in
            state.requests.append(Recorded(method: "POST", path: request.uri.path, query: query, body: body))
            return state.sendScript.isEmpty ? .ok : state.sendScript.removeFirst()
        }
        if case .expireToken = script {
            self.expire(token)
        } else if let answer = await self.scripted(script) {
            return answer
        }
        let valid = self.state.update { state -> Int in
            guard let number = Int(token.dropFirst("token-".count)), token.hasPrefix("token-"), number >= 1,
                number <= state.issued
            else { return 40001 }
            return state.expired.contains(token) ? 42001 : 0
        }
        if valid == 40001 { return Self.error(40001, "invalid credential, access_token is invalid or not latest") }
        if valid == 42001 { return Self.error(42001, "access_token expired") }
        guard let message = Self.decodeText(body) else { return Self.error(44002, "empty post data or bad json") }
        self.state.update {
            $0.accepted.append(Accepted(touser: message.touser, content: message.content, token: token))
        }
        return Self.json(#"{"errcode":0,"errmsg":"ok"}"#)
    }

    private func media(_ request: Request) async -> Response {
        let query = Self.query(request)
        let script = self.state.update { state -> Script in
            state.requests.append(Recorded(method: "GET", path: request.uri.path, query: query, body: ""))
            return state.mediaScript.isEmpty ? .ok : state.mediaScript.removeFirst()
        }
        if let answer = await self.scripted(script) { return answer }
        let token = query["access_token"] ?? ""
        let (valid, media) = self.state.update { state in
            let number = Int(token.dropFirst("token-".count)) ?? 0
            let valid = token.hasPrefix("token-") && number >= 1 && number <= state.issued
            return (valid, state.media[query["media_id"] ?? ""])
        }
        guard valid else { return Self.error(40001, "invalid credential, access_token is invalid or not latest") }
        guard let media else { return Self.error(40007, "invalid media_id") }
        return Response(
            status: .ok, headers: [.contentType: media.contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: media.bytes)))
    }

    /// The answer a script dictates, or nil to go on normally.
    private func scripted(_ script: Script) async -> Response? {
        switch script {
        case .ok, .expireToken:
            return nil
        case .errcode(let code):
            return Self.error(code, "scripted error")
        case .http(let status):
            return Response(
                status: .init(code: status), headers: [.contentType: "text/html"],
                body: .init(byteBuffer: ByteBuffer(string: "<html><body>\(status)</body></html>"))
            )
        case .raw(let text):
            return Self.json(text)
        case .hang:
            let ticket = self.state.update { state -> Int in
                state.hung += 1
                return state.hung
            }
            // Ends when released; the safety limit only keeps a broken test from hanging the server for ever.
            try? await self.state.wait("hung request \(ticket) released") { $0.released >= ticket }
            return nil
        }
    }

    private static func query(_ request: Request) -> [String: String] {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        return query
    }

    private static func error(_ code: Int, _ message: String) -> Response {
        self.json(#"{"errcode":\#(code),"errmsg":"\#(message)"}"#)
    }

    private static func json(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; encoding=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The body of a customer-service text message, strictly as WeChat documents it.
    struct TextMessage: Decodable, Equatable {
        struct Text: Decodable, Equatable { var content: String }
        var touser: String
        var msgtype: String
        var text: Text
        var content: String { self.text.content }
    }

    static func decodeText(_ body: String) -> TextMessage? {
        guard let message = try? JSONDecoder().decode(TextMessage.self, from: Data(body.utf8)),
            message.msgtype == "text"
        else {
            return nil
        }
        return message
    }
}
