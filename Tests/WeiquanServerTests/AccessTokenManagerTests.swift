import Foundation
import Logging
import Testing
import WeiquanServer
import WeiquanTestSupport

@Suite struct AccessTokenManagerTests {
    /// A manager whose token lifetimes run on `clock`; its requests' timeouts run on a clock nobody moves, so a slow
    /// machine never makes a request time out.
    static func manager(
        _ server: FakeWeChatAPIServer, clock: ManualClock = ManualClock(), secret: String? = nil,
        metrics: Metrics = Metrics()
    ) -> AccessTokenManager {
        var logger = Logger(label: "token-test")
        logger.logLevel = .critical
        return AccessTokenManager(
            api: HTTPWeChatAPI(baseURL: server.baseURL, timeout: .seconds(5), clock: ManualClock()),
            appID: server.appID,
            secret: secret ?? server.secret, clock: clock, metrics: metrics, logger: logger
        )
    }

    @Test func fiftyConcurrentCallersShareOneRequest() async throws {
        let server = try await FakeWeChatAPIServer.start()
        defer { Task { await server.stop() } }
        // The token endpoint answers only once the fetch is under way, while the callers arrive.
        server.scriptToken(.hang)
        let metrics = Metrics()
        let manager = Self.manager(server, metrics: metrics)
        async let fetched = withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<50 { group.addTask { try await manager.token() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try await server.waitUntil("the fetch is under way") { $0.hanging == 1 }
        server.releaseHung()
        let tokens = try await fetched
        #expect(tokens.count == 50)
        #expect(Set(tokens) == ["token-1"])
        #expect(server.tokenRequests.count == 1)
        #expect(metrics.value("weiquan_token_refreshes_total") == 1)
        // The query carries what the token endpoint documents.
        let query = try #require(server.tokenRequests.first?.query)
        #expect(query == ["grant_type": "client_credential", "appid": server.appID, "secret": server.secret])
    }

    @Test func refreshesAheadOfExpiryOnTheInjectedClock() async throws {
        let server = try await FakeWeChatAPIServer.start()
        defer { Task { await server.stop() } }
        let clock = ManualClock()
        let manager = Self.manager(server, clock: clock)
        #expect(try await manager.token() == "token-1")
        clock.advance(by: .seconds(7200 - 300 - 1))  // one second before the five-minute margin
        #expect(try await manager.token() == "token-1")
        #expect(server.tokenRequests.count == 1)
        clock.advance(by: .seconds(2))  // inside the margin: refresh while the old token still works
        #expect(try await manager.token() == "token-2")
        #expect(try await manager.token() == "token-2")
        #expect(server.tokenRequests.count == 2)
    }

    @Test func aShortLivedTokenIsRefreshedAtHalfItsLife() async throws {
        let server = try await FakeWeChatAPIServer.start()
        defer { Task { await server.stop() } }
        server.setExpiresIn(120)  // shorter than the margin
        let clock = ManualClock()
        let manager = Self.manager(server, clock: clock)
        #expect(try await manager.token() == "token-1")
        clock.advance(by: .seconds(59))
        #expect(try await manager.token() == "token-1")
        clock.advance(by: .seconds(2))
        #expect(try await manager.token() == "token-2")
    }

    @Test func twoInvalidationsOfTheSameTokenCauseOneRefresh() async throws {
        let server = try await FakeWeChatAPIServer.start()
        defer { Task { await server.stop() } }
        let metrics = Metrics()
        let manager = Self.manager(server, metrics: metrics)
        let first = try await manager.token()
        #expect(first == "token-1")
        // Two sends failed with token-1 at about the same time.
        await manager.invalidate(first)
        await manager.invalidate(first)
        #expect(try await manager.token() == "token-2")
        // A late third failure with the old token changes nothing.
        await manager.invalidate(first)
        #expect(try await manager.token() == "token-2")
        #expect(server.tokenRequests.count == 2)
        #expect(metrics.value("weiquan_token_refreshes_total") == 2)
    }

    @Test func concurrentInvalidationsAndCallsCauseOneRefresh() async throws {
        let server = try await FakeWeChatAPIServer.start()
        defer { Task { await server.stop() } }
        let manager = Self.manager(server)
        let stale = try await manager.token()
        server.scriptToken(.hang)
        async let fetched = withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    await manager.invalidate(stale)
                    return try await manager.token()
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try await server.waitUntil("the refresh is under way") { $0.hanging == 1 }
        server.releaseHung()
        let tokens = try await fetched
        #expect(Set(tokens) == ["token-2"])
        #expect(server.tokenRequests.count == 2)
    }

    @Test func tokenEndpointErrorsSurfaceAsWeChatAPIErrors() async throws {
        let server = try await FakeWeChatAPIServer.start()
        defer { Task { await server.stop() } }
        let wrong = Self.manager(server, secret: "not-the-secret")
        let error = try await #require(throws: WeChatAPIError.self) { try await wrong.token() }
        #expect(error.code == 40125)
        #expect(!error.isTransient)
        #expect(!error.description.contains("not-the-secret"))

        let manager = Self.manager(server)
        server.scriptToken(.errcode(40164))  // the server's IP is not on the account's allow-list
        await #expect(throws: WeChatAPIError(code: 40164, message: "scripted error")) { try await manager.token() }
        server.scriptToken(.http(502))
        let gateway = try await #require(throws: WeChatAPIError.self) { try await manager.token() }
        #expect(gateway.code == -502)
        #expect(gateway.isTransient)
        // A failed fetch is not remembered: the next call tries again and succeeds.
        #expect(try await manager.token() == "token-1")
    }

    @Test func aFailedEarlyRefreshFallsBackToTheStillValidToken() async throws {
        let server = try await FakeWeChatAPIServer.start()
        defer { Task { await server.stop() } }
        let clock = ManualClock()
        let metrics = Metrics()
        let manager = Self.manager(server, clock: clock, metrics: metrics)
        #expect(try await manager.token() == "token-1")
        clock.advance(by: .seconds(7000))  // inside the margin, not yet expired
        server.scriptToken(.errcode(-1))
        #expect(try await manager.token() == "token-1")
        #expect(metrics.value("weiquan_token_refresh_failures_total") == 1)
        // The next call tries again.
        #expect(try await manager.token() == "token-2")
        // Once expired, a failed refresh is an error.
        clock.advance(by: .seconds(7200))
        server.scriptToken(.errcode(-1))
        await #expect(throws: WeChatAPIError.self) { try await manager.token() }
    }
}
