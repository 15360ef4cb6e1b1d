import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
import WeiquanCore
import WeiquanStore
import WeiquanTestSupport

@testable import WeiquanServer

/// `GET /api/v1/events`: who may listen, what the handoff index tells its listeners (creation, claim, places that
/// moved, another instance's change), the text of the stream with its heartbeats on the timer clock, and a slow
/// listener dropped rather than buffered without end.
@Suite struct EventsAPITests {
    // MARK: - Who may listen

    @Test func volunteersAreRefusedAndAnonymousCallersAskedForAToken() async throws {
        let app = try await DeskAPITests.application()
        try await app.test(.router) { client in
            let volunteer = try await DeskAPITests.call(client, .get, "/api/v1/events", token: "token-vol-1")
            DeskAPITests.expectError(volunteer, .forbidden, "forbidden_role")
            let anonymous = try await DeskAPITests.call(client, .get, "/api/v1/events", token: nil)
            DeskAPITests.expectError(anonymous, .unauthorized, "unauthorized")
        }
    }

    @Test func aUnitBoundTokenHearsItsOwnUnitAndHandoffsLeavingIt() throws {
        let record = try Self.record(unit: "liuzhou")
        let here = HandoffEvent(record, position: 1)
        #expect(here.isVisible(to: DeskHarness.liuzhou))
        #expect(here.isVisible(to: DeskHarness.staff1))
        #expect(here.isVisible(to: DeskHarness.admin))
        #expect(!here.isVisible(to: DeskHarness.volunteer))
        var moved = record
        moved.unit = "nanning"
        #expect(HandoffEvent(moved, position: 1, previousUnit: "liuzhou").isVisible(to: DeskHarness.liuzhou))
        #expect(!HandoffEvent(moved, position: 1).isVisible(to: DeskHarness.liuzhou))
    }

    // MARK: - What the index tells

    @Test func creationClaimAndTheMovedPlacesAreTold() async throws {
        let harness = try await DeskHarness()
        let changes = harness.service.handoffs.changes
        let subscription = changes.subscribe { _ in true }
        var messages = subscription.messages.makeAsyncIterator()
        await harness.say("人工", from: "user-a", id: 1)
        let first = try await Self.nextHandoff(&messages)
        #expect(first.status == "waiting" && first.position == 1 && first.claimedBy == nil)
        await harness.say("人工", from: "user-b", id: 2)
        var second = try await Self.nextHandoff(&messages)
        while second.id == first.id { second = try await Self.nextHandoff(&messages) }
        #expect(second.status == "waiting" && second.position == 2)

        _ = try await harness.desk.claim(DeskHarness.staff1, first.id)
        var told: [HandoffID: HandoffEvent] = [:]
        while told[first.id]?.status != "active" || told[second.id]?.position != 1 {
            let event = try await Self.nextHandoff(&messages)
            told[event.id] = event
        }
        #expect(told[first.id]?.claimedBy == "desk-1" && told[first.id]?.position == nil)
        #expect(told[second.id]?.status == "waiting")
        // What the page shows is what the stream says: the JSON is small and has the documented keys.
        let text = try DeskEventsController.text(of: .handoff(try #require(told[first.id])))
        #expect(text.hasPrefix("event: handoff\ndata: {") && text.hasSuffix("}\n\n"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(text.split(separator: "\n")[1].dropFirst(6).utf8))
                as? [String: Any])
        #expect(Set(json.keys) == ["id", "status", "unit", "claimed_by", "updated"])
        subscription.finish()
    }

    @Test func aTransferToAnotherUnitIsHeardInBothAndMovesThePlacesBehindIt() async throws {
        let harness = try await DeskHarness()
        await harness.say("人工", from: "user-a", id: 1)
        await harness.say("人工", from: "user-b", id: 2)
        let first = try harness.handoff(of: "user-a")
        let second = try harness.handoff(of: "user-b")
        #expect(first.unit == second.unit && first.unit != "liuzhou")
        let subscription = harness.service.handoffs.changes.subscribe { $0.isVisible(to: DeskHarness.liuzhou) }
        let everything = harness.service.handoffs.changes.subscribe { _ in true }
        _ = try await harness.desk.transfer(DeskHarness.staff1, first.id, toStaff: nil, toUnit: "liuzhou")
        var messages = everything.messages.makeAsyncIterator()
        var told: [HandoffID: HandoffEvent] = [:]
        while told[first.id]?.unit != "liuzhou" || told[second.id]?.position != 1 {
            let event = try await Self.nextHandoff(&messages)
            told[event.id] = event
        }
        #expect(told[first.id]?.status == "waiting" && told[first.id]?.position == 1)
        // Liuzhou's staff hear of the handoff that joined their queue, not of the one left behind.
        var liuzhou = subscription.messages.makeAsyncIterator()
        let heard = try await Self.nextHandoff(&liuzhou)
        #expect(heard.id == first.id && heard.unit == "liuzhou")
        subscription.finish()
        everything.finish()
        while let message = await liuzhou.next() {
            if case .handoff(let event) = message { #expect(event.id == first.id) }
        }
    }

    @Test func aReloadTellsListenersToFetchAgain() async throws {
        let harness = try await DeskHarness()
        let subscription = harness.service.handoffs.changes.subscribe { _ in true }
        try await harness.service.reloadShared()
        var messages = subscription.messages.makeAsyncIterator()
        #expect(await messages.next() == .resync)
    }

    @Test func nobodyListeningCostsNothingAndAFinishedListenerIsForgotten() async throws {
        let harness = try await DeskHarness()
        let changes = harness.service.handoffs.changes
        #expect(!changes.isListened)
        let subscription = changes.subscribe { _ in true }
        #expect(changes.isListened && changes.subscriberCount == 1)
        subscription.finish()
        #expect(!changes.isListened && changes.subscriberCount == 0)
    }

    @Test func aListenerThatFallsBehindIsDroppedNotBuffered() async throws {
        let changes = HandoffBroadcaster(bufferLimit: 3)
        let slow = changes.subscribe { _ in true }
        let keeping = changes.subscribe { _ in true }
        let record = try Self.record(unit: "nanning")
        changes.publish([HandoffEvent(record, position: 1), HandoffEvent(record, position: 2)])
        // The one that reads keeps up; the other one never reads.
        var kept = keeping.messages.makeAsyncIterator()
        _ = await kept.next()
        _ = await kept.next()
        changes.publish([HandoffEvent(record, position: 3), HandoffEvent(record, position: 4)])
        #expect(changes.droppedCount == 1)
        #expect(changes.subscriberCount == 1)
        // What it had buffered is still there, then its stream ends: the client reconnects and fetches afresh.
        var count = 0
        for await _ in slow.messages { count += 1 }
        #expect(count == 3)
        #expect(await kept.next() == .handoff(HandoffEvent(record, position: 3)))
        keeping.finish()
    }

    // MARK: - The stream

    @Test func theStreamStartsWithRetryThenEventsAndAHeartbeatEvery15SecondsOnTheTimerClock() async throws {
        let changes = HandoffBroadcaster()
        let clock = ManualClock()
        let writer = RecordingWriter()
        let subscription = changes.subscribe { _ in true }
        let streaming = Task {
            var body: any ResponseBodyWriter = writer
            try await DeskEventsController.stream(subscription, to: &body, clock: clock)
        }
        try await writer.chunks.wait("the preamble") { $0 == [DeskEventsController.preamble] }
        changes.publish([HandoffEvent(try Self.record(unit: "nanning"), position: 1)])
        try await writer.chunks.wait("the event") { $0.count == 2 }
        #expect(writer.chunks.value[1].hasPrefix("event: handoff\ndata: {\"id\":\"H000042\""))
        try await clock.waitForSleepers(1)
        #expect(clock.pendingSleeps == [.seconds(15)])
        clock.advance(by: .seconds(15))
        try await writer.chunks.wait("a heartbeat") { $0.count == 3 }
        #expect(writer.chunks.value[2] == ": heartbeat\n\n")
        changes.resync()
        try await writer.chunks.wait("the resync") { $0.last == "event: resync\ndata: {}\n\n" }
        // The server shutting down (or the client gone) ends the subscription: the response ends.
        subscription.finish()
        try await streaming.value
        #expect(writer.finished.value)
        #expect(changes.subscriberCount == 0)
    }

    // MARK: - Over HTTP

    @Test(arguments: ConversationClusterTests.Backend.available)
    func aHandoffQueuedOnOneInstanceIsHeardOnTheOther(_ backend: ConversationClusterTests.Backend) async throws {
        _ = try await ConversationClusterTests.withTwoInstances(on: backend) { a, b in
            let port = try #require(b.port)
            let listener = EventListener(port: port, token: "token-desk-1")
            try await listener.text.wait("the stream's start") { $0.contains(": connected") }
            #expect(listener.head.value?.status == .ok)
            #expect(listener.head.value?.contentType?.hasPrefix("text/event-stream") == true)
            _ = try await a.say("人工", from: "user-e", id: 1)
            try await listener.text.wait("the handoff's event") { $0.contains("\"status\":\"waiting\"") }
            let id = try await DeskAPITests.firstHandoffID(a)
            #expect(listener.text.value.contains("event: handoff\ndata: {\"id\":\"\(id)\""))
            // The claim on this instance is heard too.
            _ = try await DeskAPITests.call(b, .post, "/api/v1/handoffs/\(id)/claim", token: "token-desk-2")
            try await listener.text.wait("the claim's event") { $0.contains("\"claimed_by\":\"desk-2\"") }
            await listener.stop()
        }
    }

    // MARK: - Helpers

    static func record(unit: UnitID) throws -> HandoffRecord {
        HandoffRecord(
            id: "H000042", applicant: "user-z", unit: unit, reason: .requested, status: .waiting,
            requestedAt: DeskHarness.mondayMorning)
    }

    /// The next handoff event (resyncs and heartbeats skipped).
    static func nextHandoff(
        _ messages: inout AsyncStream<HandoffBroadcaster.Message>.Iterator
    ) async throws -> HandoffEvent {
        while let message = await messages.next() {
            if case .handoff(let event) = message { return event }
        }
        throw CancellationError()
    }
}

/// A response body writer that keeps what it is given, chunk by chunk, for a test to wait on.
struct RecordingWriter: ResponseBodyWriter, Sendable {
    let chunks = Observed<[String]>([])
    let finished = Observed(false)

    func write(_ buffer: ByteBuffer) async throws {
        self.chunks.update { $0.append(String(buffer: buffer)) }
    }

    func write(contentsOf buffers: some Sequence<ByteBuffer>) async throws {
        for buffer in buffers { try await self.write(buffer) }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        self.finished.update { $0 = true }
    }
}

/// `GET /api/v1/events` of a live server, read as it arrives, until ``stop()``.
final class EventListener: Sendable {
    struct Head: Sendable {
        var status: HTTPResponse.Status
        var contentType: String?
    }

    /// Everything received so far.
    let text = Observed("")
    let head = Observed<Head?>(nil)
    private let reading = Mutex<Task<Void, any Error>?>(nil)

    init(port: Int, token: String) {
        let text = self.text
        let head = self.head
        let task = Task {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/events")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await HTTPClient.shared.execute(request, deadline: .distantFuture)
            head.update {
                $0 = Head(
                    status: HTTPResponse.Status(code: Int(response.status.code)),
                    contentType: response.headers.first(name: "Content-Type"))
            }
            for try await chunk in response.body {
                text.update { $0 += String(buffer: chunk) }
            }
        }
        self.reading.withLock { $0 = task }
    }

    /// Closes the connection.
    func stop() async {
        let task = self.reading.withLock { $0 }
        task?.cancel()
        _ = await task?.result
    }
}
