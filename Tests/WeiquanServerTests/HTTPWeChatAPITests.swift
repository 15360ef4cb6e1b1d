import Foundation
import Testing
import WeiquanServer
import WeiquanTestSupport

@Suite struct HTTPWeChatAPITests {
    @Test func theSendBodyHasWeChatsShapeWithChineseAndNewlinesIntact() async throws {
        let server = try await FakeWeChatAPIServer.start()
        defer { Task { await server.stop() } }
        let api = HTTPWeChatAPI(baseURL: server.baseURL + "/", timeout: .seconds(5), clock: ManualClock())
        let token = try await api.accessToken(appID: server.appID, secret: server.secret)
        #expect(token == AccessToken(value: "token-1", expiresIn: .seconds(7200)))

        let content = "您好！您的维权援助申请已受理。\n案件编号：WQ202611210001\n详见 https://example.cn/a/b 😀 \"引号\" \\ 结束"
        try await api.sendText(content, to: "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", accessToken: token.value)

        let request = try #require(server.sendRequests.first)
        #expect(request.method == "POST")
        #expect(request.query == ["access_token": "token-1"])
        let message = try #require(FakeWeChatAPIServer.decodeText(request.body))
        #expect(message.touser == "o6_bmjrPTlm6_2sgVt7hMZOPfL2M")
        #expect(message.msgtype == "text")
        #expect(message.content == content)
        // CJK and emoji travel as UTF-8, not \u escapes; the line break is JSON's \n; slashes are left alone.
        #expect(request.body.contains("您好！您的维权援助申请已受理。\\n案件编号"))
        #expect(request.body.contains("😀"))
        #expect(request.body.contains("https://example.cn/a/b"))
        #expect(!request.body.contains("\\u"))
        #expect(server.accepted == [.init(touser: "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", content: content, token: "token-1")])
        // The top level holds exactly the documented keys.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["touser", "msgtype", "text"])
    }

    @Test func weChatErrorCodesAreClassified() async throws {
        let server = try await FakeWeChatAPIServer.start()
        defer { Task { await server.stop() } }
        let api = HTTPWeChatAPI(baseURL: server.baseURL, timeout: .seconds(5), clock: ManualClock())
        let token = try await api.accessToken(appID: server.appID, secret: server.secret).value

        func sendError() async throws -> WeChatAPIError {
            try await #require(throws: WeChatAPIError.self) {
                try await api.sendText("x", to: "user", accessToken: token)
            }
        }
        server.scriptSend(.errcode(45015))
        let window = try await sendError()
        #expect(window.code == 45015 && window.isOutsideWindow && !window.isTransient && !window.isTokenExpired)
        server.scriptSend(.errcode(-1))
        let busy = try await sendError()
        #expect(busy.code == -1 && busy.isTransient)
        server.scriptSend(.errcode(40003))
        let openID = try await sendError()
        #expect(openID.code == 40003 && !openID.isTransient && !openID.isOutsideWindow && !openID.isTokenExpired)
        server.scriptSend(.http(500))
        let serverError = try await sendError()
        #expect(serverError.code == -500 && serverError.httpStatus == 500 && serverError.isTransient)
        server.scriptSend(.http(404))
        let missing = try await sendError()
        #expect(missing.code == -404 && !missing.isTransient)
        server.scriptSend(.raw("<html>gateway</html>"))
        let garbage = try await sendError()
        #expect(garbage.code == WeChatAPIError.badResponse && garbage.isTransient)

        // Tokens it never issued and tokens it expired are refused as WeChat does.
        let unknown = try await #require(throws: WeChatAPIError.self) {
            try await api.sendText("x", to: "user", accessToken: "forged")
        }
        #expect(unknown.code == 40001 && unknown.isTokenExpired)
        server.expire(token)
        let expired = try await sendError()
        #expect(expired.code == 42001 && expired.isTokenExpired)
        #expect(!expired.description.contains(token))
        #expect(server.accepted.isEmpty)
    }

    @Test func rawControlCharactersInAnAnswerAreTolerated() async throws {
        let server = try await FakeWeChatAPIServer.start()
        defer { Task { await server.stop() } }
        let api = HTTPWeChatAPI(baseURL: server.baseURL, timeout: .seconds(5), clock: ManualClock())
        server.scriptSend(.raw("{\"errcode\":45002,\"errmsg\":\"content\u{07} size out of limit\u{08}\"}"))
        let error = try await #require(throws: WeChatAPIError.self) {
            try await api.sendText("x", to: "user", accessToken: "token-1")
        }
        #expect(error.code == 45002)
        #expect(error.message == "content  size out of limit ")
    }

    @Test func aTimeoutIsATransientError() async throws {
        let server = try await FakeWeChatAPIServer.start()
        defer { Task { await server.stop() } }
        let clock = ManualClock()
        let api = HTTPWeChatAPI(baseURL: server.baseURL, timeout: .milliseconds(100), clock: clock)
        // The server has the request and does not answer; then the request's time runs out.
        server.scriptSend(.hang)
        let send = Task { try await api.sendText("x", to: "user", accessToken: "token-1") }
        try await server.waitUntil("the send hangs") { $0.hanging == 1 }
        try await clock.waitForSleepers(1)
        #expect(clock.pendingSleeps == [.milliseconds(100)])
        clock.advance(by: .milliseconds(100))
        let error = try await #require(throws: WeChatAPIError.self) { try await send.value }
        #expect(error.code == WeChatAPIError.timeout)
        #expect(error.isTransient)
        #expect(clock.sleeperCount == 0)
        server.releaseHung()

        server.scriptToken(.hang)
        let fetch = Task { try await api.accessToken(appID: server.appID, secret: server.secret) }
        try await server.waitUntil("the token request hangs") { $0.hanging == 1 }
        try await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(100))
        let tokenError = try await #require(throws: WeChatAPIError.self) { try await fetch.value }
        #expect(tokenError.code == WeChatAPIError.timeout)
        #expect(!tokenError.description.contains(server.secret))
    }

    @Test func anAnswerWithinTheTimeoutStopsItsTimer() async throws {
        let server = try await FakeWeChatAPIServer.start()
        defer { Task { await server.stop() } }
        let clock = ManualClock()
        let api = HTTPWeChatAPI(baseURL: server.baseURL, timeout: .milliseconds(100), clock: clock)
        _ = try await api.accessToken(appID: server.appID, secret: server.secret)
        try await api.sendText("x", to: "user", accessToken: "token-1")
        #expect(clock.sleeperCount == 0)
        #expect(server.accepted.count == 1)
    }

    @Test func cancellingTheCallerCancelsTheRequest() async throws {
        let server = try await FakeWeChatAPIServer.start()
        defer { Task { await server.stop() } }
        let clock = ManualClock()
        let api = HTTPWeChatAPI(baseURL: server.baseURL, timeout: .seconds(5), clock: clock)
        server.scriptSend(.hang)
        let send = Task { try await api.sendText("x", to: "user", accessToken: "token-1") }
        try await server.waitUntil("the send hangs") { $0.hanging == 1 }
        send.cancel()
        await #expect(throws: CancellationError.self) { try await send.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func anUnreachableServerIsATransientError() async throws {
        let server = try await FakeWeChatAPIServer.start()
        let base = server.baseURL
        await server.stop()
        // Connection refused: AsyncHTTPClient may fail at once or keep trying; if it keeps trying, the request's
        // time runs out as soon as its timer waits.
        let clock = ManualClock()
        let api = HTTPWeChatAPI(baseURL: base, timeout: .milliseconds(300), clock: clock)
        let fetch = Task { try await api.accessToken(appID: "wx-test-app", secret: "very-secret-value") }
        let timeout = Task {
            try await clock.waitForSleepers(1)
            clock.advance(by: .milliseconds(300))
        }
        defer { timeout.cancel() }
        let error = try await #require(throws: WeChatAPIError.self) { try await fetch.value }
        #expect(error.isTransient)
        #expect(error.code == WeChatAPIError.transport || error.code == WeChatAPIError.timeout)
        #expect(!error.description.contains("very-secret-value"))
    }

    @Test func theTokenAnswerMustCarryATokenAndALifetime() async throws {
        let server = try await FakeWeChatAPIServer.start()
        defer { Task { await server.stop() } }
        let api = HTTPWeChatAPI(baseURL: server.baseURL, timeout: .seconds(5), clock: ManualClock())
        server.scriptToken(
            .raw(#"{"expires_in":7200}"#), .raw(#"{"access_token":"abc"}"#),
            .raw(#"{"errcode":0,"access_token":"abc","expires_in":60}"#))
        await #expect(throws: WeChatAPIError.self) {
            try await api.accessToken(appID: server.appID, secret: server.secret)
        }
        await #expect(throws: WeChatAPIError.self) {
            try await api.accessToken(appID: server.appID, secret: server.secret)
        }
        #expect(
            try await api.accessToken(appID: server.appID, secret: server.secret)
                == AccessToken(value: "abc", expiresIn: .seconds(60)))
    }
}
