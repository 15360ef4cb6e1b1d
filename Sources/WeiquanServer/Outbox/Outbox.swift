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
///   the held messages into its passive reply (``prepareHeld(for:owner:)``) or has them sent through the API again
///   (``releaseHeld(for:)``);
/// - any other error (e.g. 40003 bad OpenID, 43004 not following, 45002 too long): `failed` with its code;
/// - the token endpoint failing (wrong secret, IP not on the allow-list, WeChat down) is not the message's
///   fault: the applicant's queue waits and retries with back-off, without counting attempts or giving up.
///
/// **Ownership.** Right before the bot's or the queue's message is sent, the outbox asks who owns the
/// conversation (``checkOwnership(with:)``); when staff took it in the meantime the message is `withheld`,
/// not sent. Staff's and the desk's messages were checked when they were written.
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
/// `weiquan_outbox_delivered_in_reply_total`, `weiquan_outbox_withheld_total`; the token manager counts `weiquan_token_refreshes_total`.
/// Logs carry message ids and codes, never message text or OpenIDs.
///
/// **Structure.** The queueing rules live in ``OutboxStateMachine`` (pure: events in, actions out); this class
/// performs the actions: it writes the store, calls the API (`Outbox+Delivery.swift`), runs one worker task per
/// applicant being served and waits out back-offs on the injected timer clock. The conversation service and the
/// desk use it as their ``OutboundQueue`` (`Outbox+OutboundQueue.swift`).
public final class Outbox: OutboundQueue {
    /// Digits of a message id.
    public static let idWidth = 16

    let store: any DocumentStore
    let api: any WeChatAPI
    let tokens: AccessTokenManager
    /// The time now, for the messages' timestamps and due dates.
    let clock: @Sendable () -> Date
    /// What back-offs are waited out on.
    let timerClock: any Clock<Duration>
    let metrics: Metrics
    let logger: Logger

    /// The queues; every decision about them is the machine's.
    let machine: Mutex<OutboxStateMachine>
    /// Who owns a conversation (see ``checkOwnership(with:)``); nil: nobody checks.
    let ownerOf = Mutex<(@Sendable (ApplicantID) async -> ConversationOwner)?>(nil)
    /// An applicant's enqueues, hand-overs, releases and recorded results, one at a time.
    let lanes = SerialLanes<ApplicantID>()
    let permits: PermitPool
    /// Applicants whose queue got a worker claimed for it; `run()` starts the workers.
    private let wakeups: AsyncStream<ApplicantID>
    private let wake: AsyncStream<ApplicantID>.Continuation

    /// Loads the unfinished messages from the store.
    /// - Parameters:
    ///   - clock: The time now (tests inject their own).
    ///   - timerClock: What back-offs are waited out on (tests move a manual clock).
    ///   - policy: Back-off, attempts, concurrency.
    public init(
        store: any DocumentStore, api: any WeChatAPI, tokens: AccessTokenManager,
        clock: @escaping @Sendable () -> Date = { Date() }, timerClock: any Clock<Duration> = ContinuousClock(),
        policy: OutboxRetryPolicy = OutboxRetryPolicy(), metrics: Metrics = Metrics(),
        logger: Logger = Logger(label: "weiquan.outbox")
    ) async throws {
        self.store = store
        self.api = api
        self.tokens = tokens
        self.clock = clock
        self.timerClock = timerClock
        self.metrics = metrics
        self.logger = logger
        self.permits = PermitPool(limit: policy.concurrency)
        (self.wakeups, self.wake) = AsyncStream.makeStream(of: ApplicantID.self, bufferingPolicy: .unbounded)

        let machine = OutboxStateMachine(stored: try await store.all(OutboxMessage.self), policy: policy)
        self.machine = Mutex(machine)
        if machine.queuedCount > 0 {
            logger.info(
                "outbox loaded",
                metadata: ["waiting": "\(machine.queuedCount)", "applicants": "\(machine.queues.count)"]
            )
        }
    }

    /// Asks `owner` who owns a conversation before each message of the bot or the queue goes out; a message
    /// whose author no longer owns it is `withheld` instead of sent.
    public func checkOwnership(with owner: @escaping @Sendable (ApplicantID) async -> ConversationOwner) {
        self.ownerOf.withLock { $0 = owner }
    }

    /// Unfinished messages (pending, sending, held) across all applicants.
    public var queuedCount: Int {
        self.machine.withLock { $0.queuedCount }
    }

    /// Runs delivery until cancelled, starting with the messages found in the store.
    ///
    /// Call it once per outbox (``OutboxService`` does, inside the application's service group).
    public func run() async throws {
        let initial = self.machine.withLock { $0.start() }
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

    /// Performs what the machine says after a message joined a queue: wakes `run()` to start a worker.
    func perform(_ action: OutboxStateMachine.QueueAction) {
        if case .startWorker(let applicant) = action { self.wake.yield(applicant) }
    }

    /// The id of the message with this sequence number: zero-padded to ``idWidth`` digits.
    package static func id(_ sequence: Int) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, Self.idWidth - digits.count)) + digits
    }
}
