import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing
import WeiquanServer
import WeiquanStore

@Suite struct LogThrottleTests {
    let start = Date(timeIntervalSince1970: 1_795_222_800)

    @Test func letsTheFirstThroughThenOneAnIntervalWithWhatItHeldBack() {
        let throttle = LogThrottle(interval: 600)
        #expect(throttle.admit(at: self.start) == 0)
        #expect(throttle.admit(at: self.start.addingTimeInterval(1)) == nil)
        #expect(throttle.admit(at: self.start.addingTimeInterval(599)) == nil)
        #expect(throttle.admit(at: self.start.addingTimeInterval(600)) == 2)
        #expect(throttle.admit(at: self.start.addingTimeInterval(601)) == nil)
        #expect(throttle.admit(at: self.start.addingTimeInterval(1300)) == 1)
    }

    @Test func aClockSetBackDoesNotSilenceItForever() {
        let throttle = LogThrottle(interval: 600)
        #expect(throttle.admit(at: self.start) == 0)
        // The server's clock jumped back an hour: the next occurrence is logged, not held until the hour returns.
        #expect(throttle.admit(at: self.start.addingTimeInterval(-3600)) == 0)
        #expect(throttle.admit(at: self.start.addingTimeInterval(-3599)) == nil)
    }

    /// WeChat's request timestamps an hour off the server's clock: warned once, not once a message, and again
    /// ten minutes later with the number of requests in between.
    @Test func theWebhookWarnsOfClockSkewOnceAnInterval() async throws {
        let clock = TestClock()
        let recorder = LogRecorder()
        let app = try await WeiquanApplication.build(
            settings: try TestServer.settings(), data: TestServer.data, store: MemoryDocumentStore(),
            clock: clock.function, metrics: Metrics(), logger: recorder.logger)
        let skewed = TestServer.uri(timestamp: String(1_795_222_800 - 3600))
        let warning = "request timestamp far from the server clock"
        try await app.test(.router) { client in
            for id in 1...3 {
                let (status, _) = try await client.post(Inbound.text("你好", id: id), uri: skewed)
                #expect(status == .ok)
            }
            #expect(recorder.entries(warning).count == 1)
            #expect(recorder.entries(warning).first?.metadata["held_back"] == "0")
            // A request on time is not counted as held back.
            _ = try await client.post(Inbound.text("你好", id: 4))
            clock.advance(600)
            _ = try await client.post(Inbound.text("你好", id: 5), uri: skewed)
            #expect(recorder.entries(warning).count == 2)
            #expect(recorder.entries(warning).last?.metadata["held_back"] == "2")
            #expect(recorder.entries(warning).last?.level == .warning)
        }
    }
}
