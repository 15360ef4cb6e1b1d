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

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/wechat") { request, _ in self.verify(request) }
        router.post("/wechat") { request, _ in try await self.receive(request) }
    }

    /// URL verification: the echostr back exactly when the signature is right.
    func verify(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        guard self.signatureIsValid(query), let echo = query.get("echostr") else {
            self.metrics.increment("weiquan_signature_failures_total")
            return Self.plain(.forbidden, "forbidden")
        }
        return Self.plain(.ok, echo)
    }

    /// A message: verify, parse, hand to the conversation service, answer with a passive reply.
    func receive(_ request: Request) async throws -> Response {
        let started = ContinuousClock.now
        let query = request.uri.queryParameters
        guard self.signatureIsValid(query) else {
            self.metrics.increment("weiquan_signature_failures_total")
            return Self.plain(.forbidden, "forbidden")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: self.settings.server.bodyLimitBytes)
        } catch is NIOTooManyBytesError {
            self.metrics.increment("weiquan_bad_requests_total", label: "413")
            return Self.plain(.contentTooLarge, "request body too large")
        }
        let message: WeChatMessage
        do {
            message = try WeChatXML.parse(body.readableBytesView)
        } catch {
            self.metrics.increment("weiquan_bad_requests_total", label: "400")
            self.logger.notice("malformed message refused", metadata: ["error": "\(error)"])
            return Self.plain(.badRequest, "malformed message")
        }
        // The type comes from outside: unknown ones share one label so the metric cannot grow without bound.
        self.metrics.increment("weiquan_messages_total", label: message.isRecognisedKind ? message.msgType : "other")
        if let timestamp = query.get("timestamp").flatMap(Double.init),
            abs(timestamp - self.clock().timeIntervalSince1970) > Double(self.settings.wechat.clockSkewWarningSeconds)
        {
            self.logger.warning("request timestamp far from the server clock", metadata: ["timestamp": "\(Int(timestamp))"])
        }
        defer {
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            self.metrics.observe("weiquan_handler_seconds", seconds: seconds)
            if seconds > 5 { self.metrics.increment("weiquan_late_replies_total") }
        }
        guard let event = message.conversationEvent(menuKeys: self.settings.wechat.menu) else {
            self.metrics.increment("weiquan_replies_total", label: "success")
            return Self.plain(.ok, "success")
        }
        let budget = Duration.milliseconds(self.settings.wechat.replyBudgetMilliseconds)
        switch await self.service.handle(event, applicant: message.fromUserName, key: message.dedupeKey, budget: budget) {
        case .reply(let text, let at):
            self.metrics.increment("weiquan_replies_total", label: "text")
            let xml = WeChatXML.textReply(to: message, content: text, createTime: Int64(at.timeIntervalSince1970))
            return Response(
                status: .ok, headers: [.contentType: "application/xml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: xml))
            )
        case .noReply:
            self.metrics.increment("weiquan_replies_total", label: "success")
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
