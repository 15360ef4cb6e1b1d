import Foundation
import Hummingbird
import Logging
import NIOCore
import WeChatChannel
import WeiquanCore

/// The WeChat webhook: URL verification (GET) and messages (POST) on `/wechat`.
struct WebhookController: Sendable {
    let settings: ServerSettings
    let service: ConversationService
    let metrics: Metrics
    let clock: @Sendable () -> Date
    let logger: Logger
    /// The safe-mode cipher; nil in plain mode.
    let cipher: WeChatCipher?
    /// The clock-skew warning: once every ten minutes at most, with how many requests it held back.
    let skewWarnings = LogThrottle(interval: 600)

    init(
        settings: ServerSettings, service: ConversationService, metrics: Metrics, clock: @escaping @Sendable () -> Date,
        logger: Logger
    ) throws {
        self.settings = settings
        self.service = service
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.cipher =
            settings.wechat.mode == .plain
            ? nil : try WeChatCipher(encodingAESKey: settings.wechat.aesKey, appID: settings.wechat.appID)
    }

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        router.get("/wechat") { request, _ in self.verify(request) }
        router.post("/wechat") { request, _ in try await self.receive(request) }
    }

    /// URL verification: the echostr back exactly when the signature is right.
    func verify(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        guard self.signatureIsValid(query), let echo = query.get("echostr") else {
            self.metrics.increment(.signatureFailures)
            return Self.plain(.forbidden, "forbidden")
        }
        return Self.plain(.ok, echo)
    }

    /// A message: verify, parse, hand to the conversation service, answer with a passive reply.
    func receive(_ request: Request) async throws -> Response {
        let started = ContinuousClock.now
        let query = request.uri.queryParameters
        guard self.signatureIsValid(query) else {
            self.metrics.increment(.signatureFailures)
            return Self.plain(.forbidden, "forbidden")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: self.settings.server.bodyLimitBytes)
        } catch is NIOTooManyBytesError {
            self.metrics.increment(.badRequests, label: "413")
            return Self.plain(.contentTooLarge, "request body too large")
        }
        // Safe and compat mode add encrypt_type=aes; plain mode never encrypts, safe mode always does.
        let encrypted = query.get("encrypt_type")?.lowercased() == "aes"
        switch (self.settings.wechat.mode, encrypted) {
        case (.plain, true), (.safe, false):
            self.metrics.increment(.badRequests, label: "400")
            self.logger.notice("request does not match the configured mode", metadata: ["encrypted": "\(encrypted)"])
            return Self.plain(.badRequest, "message mode does not match the configuration")
        default:
            break
        }
        let message: WeChatMessage
        do {
            if encrypted, let cipher = self.cipher {
                // msg_signature is checked before anything is decrypted.
                message = try WeChatSafeMode.open(
                    body: body.readableBytesView, msgSignature: query.get("msg_signature") ?? "",
                    timestamp: query.get("timestamp") ?? "", nonce: query.get("nonce") ?? "",
                    token: self.settings.wechat.token, cipher: cipher
                )
            } else {
                message = try WeChatXML.parse(body.readableBytesView)
            }
        } catch {
            if error.code == .badSignature {
                self.metrics.increment(.signatureFailures)
                return Self.plain(.forbidden, "forbidden")
            }
            self.metrics.increment(.badRequests, label: "400")
            self.logger.notice("malformed message refused", metadata: ["error": "\(error)"])
            return Self.plain(.badRequest, "malformed message")
        }
        // The type comes from outside: unknown ones share one label so the metric cannot grow without bound.
        self.metrics.increment(.messages, label: message.isRecognisedKind ? message.msgType : "other")
        let now = self.clock()
        if let timestamp = query.get("timestamp").flatMap(Double.init),
            abs(timestamp - now.timeIntervalSince1970) > Double(self.settings.wechat.clockSkewWarningSeconds),
            let heldBack = self.skewWarnings.admit(at: now)
        {
            self.logger.warning(
                "request timestamp far from the server clock",
                metadata: ["timestamp": "\(Int(timestamp))", "held_back": "\(heldBack)"])
        }
        defer {
            let seconds = (ContinuousClock.now - started).inSeconds
            self.metrics.observe(.handlerSeconds, seconds: seconds)
            if seconds > 5 { self.metrics.increment(.lateReplies) }
        }
        let applicant = ApplicantID(message.fromUserName)
        guard let event = message.conversationEvent(menuKeys: self.settings.wechat.menu) else {
            // Nothing for the conversation, but a QR scan or a menu click reopens the applicant's 48-hour window:
            // what the outbox held for it can go out now.
            if message.reopensServiceWindow { await self.service.applicantReturned(applicant) }
            self.metrics.increment(.replies, label: "success")
            return Self.plain(.ok, "success")
        }
        let budget = Duration.milliseconds(self.settings.wechat.replyBudgetMilliseconds)
        switch await self.service.handle(event, applicant: applicant, key: message.dedupeKey, budget: budget) {
        case .reply(let text, let at):
            self.metrics.increment(.replies, label: "text")
            var xml = WeChatXML.textReplyBytes(
                to: message, content: text, createTime: Int64(at.timeIntervalSince1970))
            if encrypted, let cipher = self.cipher {
                // The reply follows the request: encrypted with a fresh random prefix and nonce, and signed.
                xml = WeChatSafeMode.seal(
                    reply: xml, token: self.settings.wechat.token,
                    timestamp: String(Int64(self.clock().timeIntervalSince1970)), cipher: cipher
                )
            }
            return Response(
                status: .ok, headers: [.contentType: "application/xml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: xml))
            )
        case .noReply:
            self.metrics.increment(.replies, label: "success")
            return Self.plain(.ok, "success")
        }
    }

    func signatureIsValid(_ query: Parameters) -> Bool {
        guard let signature = query.get("signature"), let timestamp = query.get("timestamp"),
            let nonce = query.get("nonce")
        else { return false }
        return WeChatSignature.isValid(signature, token: self.settings.wechat.token, timestamp: timestamp, nonce: nonce)
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
