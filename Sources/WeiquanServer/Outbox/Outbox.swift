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
/// **Several instances** (one account, one store; see ``Coordination``):
/// - *One sender.* Delivery runs only under `coordination.lead("outbox")` (``role``). On taking the role the
///   outbox reads the unfinished messages from the store again (the previous sender delivered some, other
///   instances queued some) and starts; when the role is lost delivery is cancelled as on shutdown: calls in flight
///   finish and are recorded. The crash-safety window above applies to a hand-over too: a call in flight when the
///   role passed is sent again by the next sender if its result was not on disk when that sender read the store.
/// - *One token refresher.* Only delivery asks the ``AccessTokenManager`` for tokens, so only the instance holding
///   the role fetches them (WeChat invalidates the old token when a new one is fetched).
/// - *A mirror everywhere.* Every instance's ``run()`` also follows `coordination.changes()` (a task beside
///   delivery, for as long as `run()` runs): other instances' writes of `outbox/ID` are read and taken in through
///   ``OutboxStateMachine/ingest(_:)`` (a new message is queued, a newer state replaces an older one), and
///   `.resync` reads the whole collection again. The sender thus learns of messages enqueued elsewhere, and every
///   instance of messages delivered, held or released elsewhere.
/// - *Ids without collision.* New messages are written with `.create`, so two instances taking the same id is a
///   `StoreError` `.conflict` for the second. Before writing, the outbox looks whether its next id is taken (and
///   goes past it), and takes an id above the applicant's newest one (``OutboxTail``, read under the caller's
///   exclusive lock of the applicant), so an applicant's ids follow the order in which their messages were made on
///   whichever instance. ``enqueue(_:to:author:)`` retries a conflict with a new id a few times; for
///   ``prepare(_:to:author:)`` the caller's write fails with `.conflict` and the caller runs its step again (see
///   ``OutboundQueue``).
/// - *Order across instances.* The sender may hear of a message made elsewhere only after a later one of the same
///   applicant made here. So each new message names the applicant's previous one (``OutboxMessage/previousID``, the
///   tail); before sending a head whose previous message it has not seen finish, the sender reads that one from the
///   store and, if it is unfinished, sends it first.
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
    /// The role (``Coordination/lead(_:_:)``) of the instance that delivers the account's messages and so refreshes
    /// its access token.
    public static let role = "outbox"
    /// How many ids a new message tries before giving up with `.conflict` (each taken one is gone past).
    static let idAttempts = 16

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
    /// Who delivers, and what other instances wrote.
    let coordination: any Coordination
    /// While delivering: where applicants whose queue got a worker claimed for it go (delivery starts the workers).
    /// A new stream each time delivery starts, changed only under the machine's lock, so a worker claimed while
    /// delivering is started by that delivery or by none.
    let wake = Mutex<AsyncStream<ApplicantID>.Continuation?>(nil)
    /// Work that needs the account's access token, run beside delivery while this instance holds ``role``
    /// (``whileDelivering(_:)``).
    let companions = Mutex<[@Sendable () async -> Void]>([])

    /// Loads the unfinished messages from the store.
    /// - Parameters:
    ///   - clock: The time now (tests inject their own).
    ///   - timerClock: What back-offs are waited out on (tests move a manual clock).
    ///   - policy: Back-off, attempts, concurrency.
    ///   - coordination: Who delivers (the holder of ``role``) and what other instances wrote; alone by default.
    public init(
        store: any DocumentStore, api: any WeChatAPI, tokens: AccessTokenManager,
        clock: @escaping @Sendable () -> Date = { Date() }, timerClock: any Clock<Duration> = ContinuousClock(),
        policy: OutboxRetryPolicy = OutboxRetryPolicy(), coordination: any Coordination = InProcessCoordination(),
        metrics: Metrics = Metrics(), logger: Logger = Logger(label: "weiquan.outbox")
    ) async throws {
        self.store = store
        self.api = api
        self.tokens = tokens
        self.clock = clock
        self.timerClock = timerClock
        self.coordination = coordination
        self.metrics = metrics
        self.logger = logger
        self.permits = PermitPool(limit: policy.concurrency)

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

    /// True while this instance delivers (it holds ``role``).
    public var isDelivering: Bool {
        self.machine.withLock { $0.running }
    }

    /// Runs `body` beside delivery during each term this instance holds ``role`` (cancelled when the term ends), so
    /// that work which needs the access token (the evidence's downloads) uses ``tokens`` where, and only where, the
    /// token is fetched: one refresher across instances. Call it before ``run()``.
    public func whileDelivering(_ body: @escaping @Sendable () async -> Void) {
        self.companions.withLock { $0.append(body) }
    }

    /// Runs until cancelled: delivers while this instance holds ``role``, and follows the other instances' writes.
    ///
    /// Call it once per outbox (``OutboxService`` does, inside the application's service group). Alone on its
    /// store (``Coordination/isSingleInstance``), it delivers at once and follows nothing.
    public func run() async throws {
        // Subscribed before anything is read again, so that no write of another instance falls in between.
        let changes = self.coordination.changes()
        try await withThrowingDiscardingTaskGroup { group in
            if !self.coordination.isSingleInstance {
                group.addTask { await self.follow(changes) }
            }
            try await self.coordination.lead(Self.role) {
                let companions = self.companions.withLock { $0 }
                try await withThrowingDiscardingTaskGroup { term in
                    for companion in companions { term.addTask { await companion() } }
                    try await self.deliver()
                    term.cancelAll()
                }
            }
            group.cancelAll()
        }
    }

    /// One term of delivery, while this instance holds ``role``: until cancelled (the role lost, or shutdown);
    /// returns once every worker has ended.
    func deliver() async throws {
        if !self.coordination.isSingleInstance {
            // Another instance may have delivered, held or queued messages since this one last looked.
            await self.reload()
            self.logger.info("outbox delivers for this instance", metadata: ["waiting": "\(self.queuedCount)"])
        }
        let (wakeups, wake) = AsyncStream.makeStream(of: ApplicantID.self, bufferingPolicy: .unbounded)
        let initial = self.machine.withLock { machine in
            self.wake.withLock { $0 = wake }
            return machine.start()
        }
        await withDiscardingTaskGroup { group in
            for applicant in initial {
                group.addTask { await self.work(applicant) }
            }
            // Ends when this task is cancelled.
            for await applicant in wakeups {
                group.addTask { await self.work(applicant) }
            }
            group.cancelAll()
        }
        // Every worker has ended.
        self.machine.withLock { machine in
            self.wake.withLock { $0 = nil }
            machine.stop()
        }
        wake.finish()
    }

    /// Changes the queues through the machine and, if it claimed a worker, has delivery start it (under the
    /// machine's lock, so the claim and the start belong to the same term of delivery).
    func queue(_ change: (inout OutboxStateMachine) -> OutboxStateMachine.QueueAction) {
        self.machine.withLock { machine in
            if case .startWorker(let applicant) = change(&machine) {
                self.wake.withLock { _ = $0?.yield(applicant) }
            }
        }
    }

    /// The id of the message with this sequence number: zero-padded to ``idWidth`` digits.
    package static func id(_ sequence: Int) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, Self.idWidth - digits.count)) + digits
    }
}
