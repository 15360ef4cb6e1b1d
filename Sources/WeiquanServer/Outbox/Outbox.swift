import Foundation
import Logging
import Synchronization
import WeiquanCore
import WeiquanStore

/// A durable, per-applicant ordered queue of outbound text messages, delivered through the
/// customer-service message API (`/cgi-bin/message/custom/send`).
///
/// **Order.** Each applicant's messages go out strictly in enqueue order: message N+1 is not handed to the
/// API before N was delivered, held or failed. Different applicants are served in parallel, at most
/// ``OutboxRetryPolicy/concurrency`` API calls at once; an applicant waiting out a back-off holds no slot.
///
/// **Errors** (see ``WeChatAPIError``):
/// - token errors (40001, 40014, 42001): the token is invalidated (one refresh however many sends failed
///   with it) and the message is sent once more at once with a fresh token; a second token error counts
///   as transient;
/// - transient errors (-1, timeouts, transport, HTTP 5xx): back-off (1 s, ×2, capped at 5 min) and retry;
///   after ``OutboxRetryPolicy/maxAttempts`` attempts the message is `failed` with the last code;
/// - window errors (45015, 45047, 48001): the message is `held`, not retried; the applicant's later messages
///   wait behind it. The applicant's next message reopens the window: the conversation service either puts
///   the held messages into its passive reply (``takeHeldMessages(for:)``) or has them sent through the API again
///   (``release(for:)``);
/// - any other error (e.g. 40003 bad OpenID, 43004 not following, 45002 too long): `failed` with its code.
///
/// **Ownership.** Right before the bot's or the queue's message is sent, the outbox asks who owns the
/// conversation (``checkOwnership(with:)``); when staff took it in the meantime the message is `withheld`,
/// not sent. Staff's and the desk's messages were checked when they were written.
/// - the token endpoint failing (wrong secret, IP not on the allow-list, WeChat down) is not the message's
///   fault: the applicant's queue waits and retries with back-off, without counting attempts or giving up.
///
/// **Crash safety.** A message is written `sending` (attempts + 1) *before* the API call and `delivered`
/// after it; on start every `pending` or `sending` message is picked up again. The one window: a crash (or
/// a lost answer) after WeChat accepted a message but before `delivered` was on disk sends it again, since
/// the API has no idempotency key. Delivery is therefore at-least-once with exactly that window, and
/// nothing is ever lost: a message leaves the queue only as delivered, delivered-in-reply or failed, and
/// failed messages stay in the store.
///
/// **Shutdown.** Cancelling ``run()`` stops waiting and starting, but a call already handed to the API is
/// allowed to finish (at most the API's timeout) so that its result is recorded; the store must stay open
/// until `run()` has returned.
///
/// Metrics: `weiquan_outbox_sent_total`, `weiquan_outbox_failed_total{code}`, `weiquan_outbox_held_total`,
/// `weiquan_outbox_delivered_in_reply_total`; the token manager counts `weiquan_token_refreshes_total`.
/// Logs carry message ids and codes, never message text or OpenIDs.
///
/// As the conversation service's ``OutboundQueue``, `enqueue` and `takeHeld` deal in texts; the
/// `…Message(s)` variants return the stored documents.
public final class Outbox: OutboundQueue {
    /// Digits of a message id.
    public static let idWidth = 16

    let store: any DocumentStore
    let api: any WeChatAPI
    let tokens: AccessTokenManager
    let clock: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let policy: OutboxRetryPolicy
    let metrics: Metrics
    let logger: Logger

    /// One applicant's unfinished messages, oldest first, and whether a worker is serving them.
    private struct Queue {
        var messages: [OutboxMessage] = []
        var working = false
    }

    private struct State {
        var nextSequence: Int
        var queues: [String: Queue] = [:]
        /// Consecutive failures of the token endpoint, for the back-off of every queue.
        var tokenFailures = 0
        var running = false
    }

    private let state: Mutex<State>
    /// Who owns a conversation (see ``checkOwnership(with:)``); nil: nobody checks.
    private let ownerOf = Mutex<(@Sendable (String) async -> ConversationOwner)?>(nil)
    /// enqueue, takeHeld and release of one applicant, one at a time.
    private let lanes = SerialLanes()
    private let permits: PermitPool
    /// Applicants whose queue got a worker claimed for it; `run()` starts the workers.
    private let wakeups: AsyncStream<String>
    private let wake: AsyncStream<String>.Continuation

    /// Loads the unfinished messages from the store.
    /// - Parameters:
    ///   - clock: The time now (tests inject their own).
    ///   - sleep: Waits out a back-off; tests inject one that advances their clock at once.
    ///   - policy: Back-off, attempts, concurrency.
    public init(
        store: any DocumentStore, api: any WeChatAPI, tokens: AccessTokenManager,
        clock: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        policy: OutboxRetryPolicy = OutboxRetryPolicy(), metrics: Metrics = Metrics(),
        logger: Logger = Logger(label: "weiquan.outbox")
    ) async throws {
        self.store = store
        self.api = api
        self.tokens = tokens
        self.clock = clock
        self.sleep = sleep
        self.policy = policy
        self.metrics = metrics
        self.logger = logger
        self.permits = PermitPool(limit: policy.concurrency)
        (self.wakeups, self.wake) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)

        let stored = try await store.all(OutboxMessage.self)
        var state = State(nextSequence: (stored.compactMap(\.sequence).max() ?? 0) + 1)
        for message in stored where !message.state.isFinished {
            state.queues[message.applicant, default: Queue()].messages.append(message)
        }
        self.state = Mutex(state)
        let waiting = state.queues.values.reduce(0) { $0 + $1.messages.count }
        if waiting > 0 {
            logger.info("outbox loaded", metadata: ["waiting": "\(waiting)", "applicants": "\(state.queues.count)"])
        }
    }

    // MARK: - Public API

    /// Stores the message durably (returns once it is on disk) and wakes delivery; returns it as stored.
    ///
    /// The message goes out after every message enqueued earlier for the same applicant.
    @discardableResult
    public func enqueueMessage(
        _ content: String, to applicant: String, author: OutboxAuthor = .bot
    ) async throws -> OutboxMessage {
        try await self.lanes.run(applicant) {
            let message = self.newMessage(content, to: applicant, author: author)
            try await self.store.put(message)
            let start = self.state.withLock { state in
                state.queues[applicant, default: Queue()].messages.append(message)
                return Self.claim(&state, applicant)
            }
            if start { self.wake.yield(applicant) }
            return message
        }
    }

    /// The messages that could not go out because the applicant's window was closed (45015 …), oldest
    /// first, together with the messages queued behind them, all marked `deliveredInReply` in one durable
    /// write. The conversation service puts them in its next passive reply, before its own answer.
    ///
    /// Returns `[]` when nothing is held (messages merely waiting for the API stay with the outbox). A
    /// message whose API call is in flight at this moment is not included; if it ends up held, the next
    /// message gets it. Messages of the bot or the queue whose author does not own the conversation
    /// (`owner`) any more are `withheld` instead and not returned.
    public func takeHeldMessages(for applicant: String, owner: ConversationOwner = .bot) async throws -> [OutboxMessage] {
        let (all, handover) = try await self.setAsideHeld(for: applicant, owner: owner)
        let handed = all.filter { $0.state == .deliveredInReply }
        guard !all.isEmpty else { return [] }
        do {
            try await self.store.write(handover.changes)
        } catch {
            // Nothing was written: they stay held, where they were.
            handover.rollback()
            throw error
        }
        handover.commit()
        return handed
    }

    /// The applicant wrote again, so the window is open: held messages go back to the API, in order
    /// (use this instead of ``takeHeldMessages(for:)`` when there is no passive reply to carry them). Returns how
    /// many were released.
    @discardableResult
    public func release(for applicant: String) async throws -> Int {
        try await self.lanes.run(applicant) {
            let held = self.state.withLock { state in
                state.queues[applicant]?.messages.filter(Self.isHeld) ?? []
            }
            guard !held.isEmpty else { return 0 }
            let released = held.map { message in
                var message = message
                message.state = .pending
                message.nextAttemptAt = nil
                return message
            }
            try await self.store.put(contentsOf: released)
            let start = self.state.withLock { state in
                for message in released { Self.replace(&state, message) }
                return Self.claim(&state, applicant)
            }
            if start { self.wake.yield(applicant) }
            return released.count
        }
    }

    /// ``OutboundQueue``: stores the text durably and wakes delivery.
    public func enqueue(_ content: String, to applicant: String, author: OutboxAuthor) async throws {
        try await self.enqueueMessage(content, to: applicant, author: author)
    }

    /// ``OutboundQueue``: a message for the caller to write with its own changes; committing queues it for
    /// delivery after everything enqueued or committed before it for the applicant.
    public func prepare(_ content: String, to applicant: String, author: OutboxAuthor) async throws -> PreparedOutbound {
        let message = self.newMessage(content, to: applicant, author: author)
        return PreparedOutbound(
            changes: [try .put(message)],
            commit: {
                let start = self.state.withLock { state in
                    state.queues[applicant, default: Queue()].messages.append(message)
                    return Self.claim(&state, applicant)
                }
                if start { self.wake.yield(applicant) }
            }
        )
    }

    /// Asks `owner` who owns a conversation before each message of the bot or the queue goes out; a message
    /// whose author no longer owns it is `withheld` instead of sent.
    public func checkOwnership(with owner: @escaping @Sendable (String) async -> ConversationOwner) {
        self.ownerOf.withLock { $0 = owner }
    }

    private func newMessage(_ content: String, to applicant: String, author: OutboxAuthor) -> OutboxMessage {
        self.state.withLock { state in
            let id = Self.id(state.nextSequence)
            state.nextSequence += 1
            return OutboxMessage(id: id, applicant: applicant, content: content, createdAt: self.clock(), author: author)
        }
    }

    /// ``OutboundQueue``: held messages go back to the API (see ``release(for:)``).
    public func releaseHeld(for applicant: String) async throws {
        try await self.release(for: applicant)
    }

    /// ``OutboundQueue``: sets the held messages aside for a passive reply; the caller writes the changes
    /// with its own and then commits, or rolls back when its write fails (they are held again).
    public func prepareHeld(for applicant: String, owner: ConversationOwner) async throws -> HeldHandover {
        try await self.setAsideHeld(for: applicant, owner: owner).handover
    }

    /// Takes the held messages (and those queued behind them) out of the applicant's queue, marked
    /// `deliveredInReply`; nothing is written. Committing the hand-over counts them, rolling it back
    /// puts them back in the queue.
    private func setAsideHeld(
        for applicant: String, owner: ConversationOwner
    ) async throws -> (handed: [OutboxMessage], handover: HeldHandover) {
        try await self.lanes.run(applicant) {
            let taken = self.state.withLock { state -> [OutboxMessage] in
                guard let queue = state.queues[applicant], let first = queue.messages.firstIndex(where: Self.isHeld)
                else { return [] }
                let taken = Array(queue.messages[first...])
                state.queues[applicant]?.messages.removeSubrange(first...)
                return taken
            }
            guard !taken.isEmpty else { return ([], .empty) }
            let now = self.clock()
            let handed = taken.map { message in
                var message = message
                if message.author.maySpeak(whileOwnedBy: owner) {
                    message.state = .deliveredInReply
                    message.deliveredAt = now
                } else {
                    // A queue notice held while the window was closed means nothing once the queue is over.
                    message.state = .withheld
                }
                message.nextAttemptAt = nil
                return message
            }
            let delivered = handed.filter { $0.state == .deliveredInReply }
            let handover = HeldHandover(
                texts: delivered.map(\.content), changes: try handed.map { try DocumentChange.put($0) },
                commit: {
                    self.state.withLock { state in
                        if let queue = state.queues[applicant], queue.messages.isEmpty, !queue.working {
                            state.queues[applicant] = nil
                        }
                    }
                    self.metrics.increment("weiquan_outbox_delivered_in_reply_total", by: delivered.count)
                    self.metrics.increment("weiquan_outbox_withheld_total", by: handed.count - delivered.count)
                },
                rollback: {
                    self.state.withLock { state in
                        state.queues[applicant, default: Queue()].messages.append(contentsOf: taken)
                    }
                }
            )
            return (handed, handover)
        }
    }

    /// Unfinished messages (pending, sending, held) across all applicants.
    public var queuedCount: Int {
        self.state.withLock { $0.queues.values.reduce(0) { $0 + $1.messages.count } }
    }

    /// Runs delivery until cancelled, starting with the messages found in the store.
    ///
    /// Call it once per outbox (``OutboxService`` does, inside the application's service group).
    public func run() async throws {
        let initial = self.state.withLock { state -> [String] in
            precondition(!state.running, "Outbox.run() is called once")
            state.running = true
            return state.queues.keys.sorted().filter { Self.claim(&state, $0) }
        }
        await withDiscardingTaskGroup { group in
            for applicant in initial {
                group.addTask { await self.work(applicant) }
            }
            // Ends when this task is cancelled.
            for await applicant in self.wakeups {
                group.addTask { await self.work(applicant) }
            }
            group.cancelAll()
        }
    }

    /// Deletes messages delivered (either way) before `date`; failed messages are kept, and so is the
    /// newest message overall, which carries the id sequence across restarts. Returns how many went.
    @discardableResult
    public func sweep(deliveredBefore date: Date) async throws -> Int {
        let all = try await self.store.all(OutboxMessage.self)
        let newest = all.last?.id
        let old = all.filter { message in
            guard message.id != newest, let delivered = message.deliveredAt, delivered < date else { return false }
            return message.state == .delivered || message.state == .deliveredInReply
        }
        guard !old.isEmpty else { return 0 }
        try await self.store.write(old.map { DocumentChange.delete(OutboxMessage.self, id: $0.id) })
        return old.count
    }

    // MARK: - Delivery

    private enum Step {
        case stop
        case wait(Duration)
        case send(OutboxMessage)
    }

    /// Serves one applicant's queue until it is empty, held, or the task is cancelled.
    private func work(_ applicant: String) async {
        while true {
            let now = self.clock()
            let step = self.state.withLock { state -> Step in
                if Task.isCancelled {
                    state.queues[applicant]?.working = false
                    return .stop
                }
                guard let head = state.queues[applicant]?.messages.first else {
                    state.queues[applicant] = nil
                    return .stop
                }
                if Self.isHeld(head) {
                    state.queues[applicant]?.working = false
                    return .stop
                }
                if let due = head.nextAttemptAt, due.timeIntervalSince(now) > 0.001 {
                    return .wait(.seconds(due.timeIntervalSince(now)))
                }
                return .send(head)
            }
            switch step {
            case .stop:
                return
            case .wait(let pause):
                do {
                    try await self.sleep(pause)
                } catch {
                    // Cancelled: the loop's check stops the worker.
                }
            case .send(let message):
                do {
                    try await self.permits.withPermit { await self.attempt(message) }
                } catch {
                    // Cancelled while waiting for a slot: the loop's check stops the worker.
                }
            }
        }
    }

    private enum Outcome: Sendable {
        case withhold
        case delivered
        case retry(code: Int)
        case hold(code: Int)
        case fail(code: Int)
    }

    /// One attempt at the head message: owner, token, `sending` on disk, the call, the result on disk.
    private func attempt(_ message: OutboxMessage) async {
        if message.author == .bot || message.author == .queue, let ownerOf = self.ownerOf.withLock({ $0 }) {
            let owner = await ownerOf(message.applicant)
            if !message.author.maySpeak(whileOwnedBy: owner) {
                await self.record(.withhold, for: message)
                return
            }
        }
        let token: String
        do {
            token = try await self.tokens.token()
            self.state.withLock { $0.tokenFailures = 0 }
        } catch {
            if Task.isCancelled { return }
            let failures = self.state.withLock { state in
                state.tokenFailures += 1
                return state.tokenFailures
            }
            self.postpone(message, by: self.policy.delay(afterAttempts: failures))
            return
        }

        var sending = message
        sending.state = .sending
        sending.attempts += 1
        sending.nextAttemptAt = nil
        do {
            try await self.store.put(sending)
        } catch {
            self.logger.error(
                "outbox could not record a send; retrying later", metadata: ["message": "\(message.id)", "error": "\(error)"]
            )
            self.postpone(message, by: self.policy.delay(afterAttempts: max(1, message.attempts)))
            return
        }
        self.state.withLock { Self.replace(&$0, sending) }

        // A call handed to the API finishes even if delivery is being cancelled, so its result is recorded.
        let sent = sending
        let outcome = await Task { await self.call(sent, token: token) }.value
        await self.record(outcome, for: sent)
    }

    /// Sends, retrying once at once with a fresh token after a token error.
    private func call(_ message: OutboxMessage, token: String) async -> Outcome {
        do {
            try await self.api.sendText(message.content, to: message.applicant, accessToken: token)
            return .delivered
        } catch let error as WeChatAPIError where error.isTokenExpired {
            await self.tokens.invalidate(token)
            self.logger.info("access token refused; sending again with a fresh one", metadata: ["message": "\(message.id)", "code": "\(error.code)"])
        } catch {
            return Self.classify(error)
        }
        let fresh: String
        do {
            fresh = try await self.tokens.token()
        } catch {
            return .retry(code: (error as? WeChatAPIError)?.code ?? WeChatAPIError.transport)
        }
        do {
            try await self.api.sendText(message.content, to: message.applicant, accessToken: fresh)
            return .delivered
        } catch let error as WeChatAPIError where error.isTokenExpired {
            // Refused twice running: transient, and the next attempt starts from yet another token.
            await self.tokens.invalidate(fresh)
            return .retry(code: error.code)
        } catch {
            return Self.classify(error)
        }
    }

    private static func classify(_ error: any Error) -> Outcome {
        guard let error = error as? WeChatAPIError else {
            return .retry(code: WeChatAPIError.transport)
        }
        if error.isOutsideWindow { return .hold(code: error.code) }
        if error.isTransient { return .retry(code: error.code) }
        return .fail(code: error.code)
    }

    private func record(_ outcome: Outcome, for message: OutboxMessage) async {
        let now = self.clock()
        var message = message
        let finished: Bool
        switch outcome {
        case .withhold:
            message.state = .withheld
            finished = true
            self.metrics.increment("weiquan_outbox_withheld_total")
            self.logger.info(
                "outbox withheld a message: its author no longer owns the conversation",
                metadata: ["message": "\(message.id)", "author": "\(message.author)"]
            )
        case .delivered:
            message.state = .delivered
            message.deliveredAt = now
            finished = true
            self.metrics.increment("weiquan_outbox_sent_total")
        case .retry(let code) where message.attempts >= self.policy.maxAttempts:
            message.state = .failed(code: code)
            message.lastErrorCode = code
            finished = true
            self.metrics.increment("weiquan_outbox_failed_total", label: String(code))
            self.logger.error(
                "outbox gave up on a message after transient errors",
                metadata: ["message": "\(message.id)", "code": "\(code)", "attempts": "\(message.attempts)"]
            )
        case .retry(let code):
            message.state = .pending
            message.lastErrorCode = code
            message.nextAttemptAt = now.addingTimeInterval(Self.seconds(self.policy.delay(afterAttempts: message.attempts)))
            finished = false
            self.logger.warning(
                "outbox send failed; retrying later",
                metadata: ["message": "\(message.id)", "code": "\(code)", "attempts": "\(message.attempts)"]
            )
        case .hold(let code):
            message.state = .held(code: code)
            message.lastErrorCode = code
            finished = false
            self.metrics.increment("weiquan_outbox_held_total")
            self.logger.info(
                "outbox holds a message for the applicant's next visit", metadata: ["message": "\(message.id)", "code": "\(code)"]
            )
        case .fail(let code):
            message.state = .failed(code: code)
            message.lastErrorCode = code
            finished = true
            self.metrics.increment("weiquan_outbox_failed_total", label: String(code))
            self.logger.error("outbox message refused by WeChat", metadata: ["message": "\(message.id)", "code": "\(code)"])
        }
        do {
            try await self.store.put(message)
        } catch {
            // The store still says `sending`: after a restart the message is sent again (at-least-once).
            self.logger.error(
                "outbox could not record a result", metadata: ["message": "\(message.id)", "state": "\(message.state.name)", "error": "\(error)"]
            )
        }
        self.state.withLock { state in
            if finished {
                state.queues[message.applicant]?.messages.removeAll { $0.id == message.id }
            } else {
                Self.replace(&state, message)
            }
        }
    }

    /// Delays the head in memory only (nothing about the message changed).
    private func postpone(_ message: OutboxMessage, by pause: Duration) {
        var later = message
        later.nextAttemptAt = self.clock().addingTimeInterval(Self.seconds(pause))
        self.state.withLock { Self.replace(&$0, later) }
    }

    // MARK: - Helpers

    /// Marks the applicant's queue as served and says whether a worker must be started for it.
    private static func claim(_ state: inout State, _ applicant: String) -> Bool {
        guard let queue = state.queues[applicant], !queue.working, let head = queue.messages.first, !isHeld(head) else {
            return false
        }
        state.queues[applicant]?.working = true
        return true
    }

    private static func replace(_ state: inout State, _ message: OutboxMessage) {
        guard let index = state.queues[message.applicant]?.messages.firstIndex(where: { $0.id == message.id }) else { return }
        state.queues[message.applicant]?.messages[index] = message
    }

    private static func isHeld(_ message: OutboxMessage) -> Bool {
        if case .held = message.state { return true }
        return false
    }

    static func id(_ sequence: Int) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, Self.idWidth - digits.count)) + digits
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
