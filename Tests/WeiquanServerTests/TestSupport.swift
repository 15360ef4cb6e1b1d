import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import WeChatChannel
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// Paths inside the repository, found from this file's location.
enum RepositoryPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    /// Starts at `date`; by default 2026-11-21 09:00 in Shanghai, a Saturday (the desk is closed).
    init(_ date: Date = Date(timeIntervalSince1970: 1_795_222_800)) {
        self.current = Mutex(date)
    }

    var now: Date { self.current.withLock { $0 } }

    func advance(_ seconds: TimeInterval) { self.current.withLock { $0 += seconds } }

    var function: @Sendable () -> Date { { self.now } }
}

/// The shipped data and settings, with a test token.
enum TestServer {
    static let token = "testtoken123"

    static let data: BotData = {
        do {
            return try BotData.load(intentsDirectory: RepositoryPaths.root.appendingPathComponent("intents"))
        } catch {
            fatalError("the shipped data does not load: \(error)")
        }
    }()

    /// A 43-character EncodingAESKey and an AppID for safe-mode tests.
    static let aesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
    static let appID = "wx0123456789abcdef"

    static func settings(bodyLimit: Int = 65536, port: Int = 0, mode: String = "plain") throws -> ServerSettings {
        let document = try ConfigurationDocument.load(
            file: nil,
            environment: [
                "WEIQUAN_WECHAT_TOKEN": Self.token, "WEIQUAN_SERVER_BODY_LIMIT_BYTES": String(bodyLimit),
                "WEIQUAN_SERVER_PORT": String(port), "WEIQUAN_SERVER_BENCH_ROUTES": "true", "WEIQUAN_WECHAT_MODE": mode,
                "WEIQUAN_WECHAT_AES_KEY": Self.aesKey, "WEIQUAN_WECHAT_APPID": Self.appID,
            ]
        )
        return try document.decode(ServerSettings.self)
    }

    /// Credentials for a fake WeChat API server at `apiBase`; port 0, so that a live test gets a free port.
    static func settings(apiBase: String, replyBudgetMilliseconds: Int = 4000) throws -> ServerSettings {
        try ConfigurationDocument.load(
            file: nil,
            environment: [
                "WEIQUAN_WECHAT_TOKEN": Self.token, "WEIQUAN_WECHAT_APPID": "wx-e2e",
                "WEIQUAN_WECHAT_APPSECRET": "e2e-secret",
                "WEIQUAN_WECHAT_API_BASE": apiBase, "WEIQUAN_WECHAT_REPLY_BUDGET_MS": String(replyBudgetMilliseconds),
                "WEIQUAN_SERVER_PORT": "0",
            ]
        ).decode(ServerSettings.self)
    }

    static func application(
        store: any DocumentStore = MemoryDocumentStore(), clock: TestClock = TestClock(), metrics: Metrics = Metrics(),
        bodyLimit: Int = 65536, mode: String = "plain"
    ) async throws -> some ApplicationProtocol {
        try await WeiquanApplication.build(
            settings: try Self.settings(bodyLimit: bodyLimit, mode: mode), data: Self.data, store: store,
            clock: clock.function, metrics: metrics
        )
    }

    /// `/wechat` with a valid (or deliberately wrong) signature.
    static func uri(timestamp: String = "1795222800", nonce: String = "12345", signed: Bool = true, extra: String = "")
        -> String
    {
        let signature =
            signed
            ? WeChatSignature.signature(token: Self.token, timestamp: timestamp, nonce: nonce)
            : String(repeating: "0", count: 40)
        return "/wechat?signature=\(signature)&timestamp=\(timestamp)&nonce=\(nonce)\(extra)"
    }
}

/// Inbound message bodies as WeChat sends them.
enum Inbound {
    static let account = "gh_testaccount"

    static func header(_ user: String, _ type: String, time: Int = 1_795_222_800) -> String {
        "<ToUserName><![CDATA[\(Self.account)]]></ToUserName><FromUserName><![CDATA[\(user)]]></FromUserName>"
            + "<CreateTime>\(time)</CreateTime><MsgType><![CDATA[\(type)]]></MsgType>"
    }

    static func text(_ content: String, from user: String = "user-a", id: Int) -> String {
        "<xml>\(Self.header(user, "text"))<Content><![CDATA[\(content)]]></Content><MsgId>\(id)</MsgId></xml>"
    }

    static func image(from user: String = "user-a", media: String, id: Int) -> String {
        "<xml>\(Self.header(user, "image"))<PicUrl><![CDATA[http://example.invalid/\(media).jpg]]></PicUrl>"
            + "<MediaId><![CDATA[\(media)]]></MediaId><MsgId>\(id)</MsgId></xml>"
    }

    static func voice(from user: String = "user-a", recognition: String?, id: Int) -> String {
        let recognised = recognition.map { "<Recognition><![CDATA[\($0)]]></Recognition>" } ?? ""
        return
            "<xml>\(Self.header(user, "voice"))<MediaId><![CDATA[voice-1]]></MediaId><Format><![CDATA[amr]]></Format>"
            + "\(recognised)<MsgId>\(id)</MsgId></xml>"
    }

    static func video(_ type: String = "video", from user: String = "user-a", id: Int) -> String {
        "<xml>\(Self.header(user, type))<MediaId><![CDATA[video-1]]></MediaId><ThumbMediaId><![CDATA[thumb-1]]></ThumbMediaId>"
            + "<MsgId>\(id)</MsgId></xml>"
    }

    static func location(from user: String = "user-a", label: String, id: Int) -> String {
        "<xml>\(Self.header(user, "location"))<Location_X>22.8</Location_X><Location_Y>108.3</Location_Y>"
            + "<Scale>15</Scale><Label><![CDATA[\(label)]]></Label><MsgId>\(id)</MsgId></xml>"
    }

    static func link(from user: String = "user-a", id: Int) -> String {
        "<xml>\(Self.header(user, "link"))<Title><![CDATA[商品页]]></Title><Description><![CDATA[d]]></Description>"
            + "<Url><![CDATA[https://shop.example/item/1]]></Url><MsgId>\(id)</MsgId></xml>"
    }

    static func event(_ event: String, key: String? = nil, from user: String = "user-a", time: Int = 1_795_222_800)
        -> String
    {
        let eventKey = key.map { "<EventKey><![CDATA[\($0)]]></EventKey>" } ?? ""
        return "<xml>\(Self.header(user, "event", time: time))<Event><![CDATA[\(event)]]></Event>\(eventKey)</xml>"
    }
}

extension TestClientProtocol {
    /// Posts a message to the webhook and returns the status and body.
    func post(_ body: String, uri: String = TestServer.uri()) async throws -> (HTTPResponse.Status, String) {
        try await self.execute(uri: uri, method: .post, body: ByteBuffer(string: body)) { response in
            (response.status, String(buffer: response.body))
        }
    }

    /// Posts a text message and returns the reply's Content (empty for `success`).
    func say(_ text: String, from user: String = "user-a", id: Int) async throws -> String {
        let (_, body) = try await self.post(Inbound.text(text, from: user, id: id))
        return ReplyXML.content(body)
    }
}

/// Reads a passive reply.
enum ReplyXML {
    static func content(_ xml: String) -> String { self.element("Content", in: xml) }

    static func element(_ name: String, in xml: String) -> String {
        guard let start = xml.range(of: "<\(name)><![CDATA["),
            let end = xml.range(of: "]]></\(name)>", range: start.upperBound..<xml.endIndex)
        else { return "" }
        return String(xml[start.upperBound..<end.lowerBound])
    }
}
