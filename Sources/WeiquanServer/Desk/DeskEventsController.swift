import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import WeiquanCore

/// `GET /api/v1/events`: server-sent events (`text/event-stream`) for the desk's live pages, staff and admins only.
///
/// - `event: handoff` with `data:` a ``HandoffEvent`` as JSON whenever a handoff the caller may see is created or
///   changes (status, claim, transfer, new transcript line) and for every waiting handoff whose place it moved;
///   changes made on other instances come through the ``ChangeFollower`` as they reach this one.
/// - `event: resync` (`data: {}`) when changes may have been missed: fetch the list again.
/// - a comment line (`: heartbeat`) every ``heartbeatInterval`` on the timer clock, which keeps proxies from closing
///   a quiet connection and finds clients that went away.
///
/// The stream ends when the server shuts down, when the client goes away, or when the client falls so far behind
/// that its buffer is full (``HandoffBroadcaster``); `retry:` tells `EventSource` to reconnect after 3 s, and a
/// page fetches the list afresh on every (re)connection.
struct DeskEventsController: Sendable {
    let changes: HandoffBroadcaster
    let tokens: TokenRegistry
    /// What the heartbeats wait on (tests move a manual clock).
    let clock: any Clock<Duration>

    static let heartbeatInterval: Duration = .seconds(15)
    /// What every stream starts with: how long `EventSource` waits before it reconnects, and a first line that
    /// shows the subscription is in place.
    static let preamble = "retry: 3000\n: connected\n\n"

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        DeskController.api(router, tokens: self.tokens).get("events") { _, context -> Response in
            let who = try context.staff()
            try DeskService.requireStaff(who)
            let changes = self.changes
            let clock = self.clock
            var headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]
            // nginx would otherwise hold the events back until its buffer fills.
            if let buffering = HTTPField.Name("X-Accel-Buffering") { headers[buffering] = "no" }
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    let subscription = changes.subscribe { $0.isVisible(to: who) }
                    try await Self.stream(subscription, to: &writer, clock: clock)
                }
            )
        }
    }

    /// Writes the subscription's messages as server-sent events until it ends, with heartbeats in between.
    static func stream(
        _ subscription: HandoffBroadcaster.Subscription, to writer: inout any ResponseBodyWriter,
        clock: any Clock<Duration>
    ) async throws {
        defer { subscription.finish() }
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    await repeatEvery(Self.heartbeatInterval, clock: clock) { subscription.heartbeat() }
                }
                try await writer.write(ByteBuffer(string: Self.preamble))
                for await message in subscription.messages {
                    try await writer.write(ByteBuffer(string: try Self.text(of: message)))
                }
                group.cancelAll()
            }
            try await writer.finish(nil)
        } onGracefulShutdown: {
            subscription.finish()
        }
    }

    /// One message as the text of a server-sent event.
    static func text(of message: HandoffBroadcaster.Message) throws -> String {
        switch message {
        case .handoff(let event):
            let data = try DeskRequestContext.encoder.encode(event)
            return "event: handoff\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
        case .resync:
            return "event: resync\ndata: {}\n\n"
        case .heartbeat:
            return ": heartbeat\n\n"
        }
    }
}
