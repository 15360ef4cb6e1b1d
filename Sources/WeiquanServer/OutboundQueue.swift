import WeiquanCore
import WeiquanStore

/// Where answers go that cannot be a passive reply: the outbox, delivering through the
/// customer-service message API.
///
/// **Several instances on one store.** An applicant's messages go out in the order they were made only if they are
/// made one at a time across instances: the caller holds the applicant's `Coordination.exclusively` lock around
/// each call for that applicant *and* around writing what it prepared. The changes of ``prepare(_:to:author:)``
/// create the message (`DocumentChange.create`), so the caller's write may fail with `StoreError` `.conflict` when
/// another instance took the same id at the same moment (or for a create of the caller's own). Then the caller calls
/// `rollback()` and runs its whole step again, preparing anew: rollback leaves the outbox as it was, except that the
/// id stays used up, so the next attempt takes a new id and succeeds. The same holds for
/// ``prepareHeld(for:owner:)``: after `rollback()` the messages are held again, and the next call reads them again
/// from the store.
public protocol OutboundQueue: Sendable {
    /// Queues a text for the applicant durably; returns once it is stored. An id taken by another instance at the same
    /// moment is retried with a new one inside the call.
    /// - Parameter author: Who speaks; the bot's and the queue's messages go out only while they still own
    ///   the conversation when it is their turn to be sent.
    func enqueue(_ content: String, to applicant: ApplicantID, author: OutboxAuthor) async throws
    /// A text for the applicant, ready to be written together with the caller's own changes: write
    /// ``PreparedOutbound/changes``, then ``PreparedOutbound/commit()`` (it is queued for delivery) or, when the
    /// write failed, ``PreparedOutbound/rollback()``.
    func prepare(
        _ content: String, to applicant: ApplicantID, author: OutboxAuthor
    ) async throws -> PreparedOutbound
    /// Texts that could not be delivered while the applicant's 48-hour window was closed, oldest first,
    /// set aside for the next passive reply. The caller writes ``HeldHandover/changes`` together with its
    /// own changes, then calls ``HeldHandover/commit()``; if its write fails, ``HeldHandover/rollback()``
    /// puts them back, held as before, so nothing is lost. Held messages of the bot or the queue that may not
    /// speak while `owner` owns the conversation are withheld in the same write instead of handed over.
    func prepareHeld(for applicant: ApplicantID, owner: ConversationOwner) async throws -> HeldHandover
    /// The applicant wrote, so their 48-hour window is open again: messages held for it go back to the API.
    /// For messages that get no passive reply to carry the held ones (for example while staff own the
    /// conversation).
    func releaseHeld(for applicant: ApplicantID) async throws
}

/// Held outbox messages on their way into a passive reply.
public struct HeldHandover: Sendable {
    /// The texts, oldest first; empty when nothing was held.
    public var texts: [String]
    /// The store changes that mark them delivered in the reply.
    public var changes: [DocumentChange]
    let onCommit: @Sendable () -> Void
    let onRollback: @Sendable () -> Void

    public init(
        texts: [String], changes: [DocumentChange], commit: @escaping @Sendable () -> Void = {},
        rollback: @escaping @Sendable () -> Void = {}
    ) {
        self.texts = texts
        self.changes = changes
        self.onCommit = commit
        self.onRollback = rollback
    }

    /// Nothing held.
    public static let empty = HeldHandover(texts: [], changes: [])

    /// The changes are durable: the messages are delivered in the reply.
    public func commit() { self.onCommit() }

    /// The changes were not written: the messages are held again.
    public func rollback() { self.onRollback() }
}

extension OutboundQueue {
    /// Queues a text from the bot.
    public func enqueue(_ content: String, to applicant: ApplicantID) async throws {
        try await self.enqueue(content, to: applicant, author: .bot)
    }
}

/// Who an outbound message speaks for. Messages of the bot and of the queue are checked against the
/// conversation's owner right before they are sent; staff's were checked when staff wrote them.
public enum OutboxAuthor: Sendable, Equatable, CustomStringConvertible {
    /// The bot's answer (for example one that missed the 5-second window).
    case bot
    /// A notice of the queue (place in line, the offer after a long wait).
    case queue
    /// A staff member, by desk token name.
    case staff(String)
    /// The desk itself: claimed, released, transferred notices.
    case desk

    /// As stored: `bot`, `queue`, `staff:<name>`, `desk`.
    public var description: String {
        switch self {
        case .bot: "bot"
        case .queue: "queue"
        case .staff(let name): "staff:\(name)"
        case .desk: "desk"
        }
    }

    /// Reads what ``description`` wrote; unknown text counts as the bot.
    public init(_ text: String?) {
        switch text {
        case "queue": self = .queue
        case "desk": self = .desk
        case .some(let name) where name.hasPrefix("staff:"): self = .staff(String(name.dropFirst(6)))
        default: self = .bot
        }
    }

    /// True when a message by this author may go out while `owner` owns the conversation.
    public func maySpeak(whileOwnedBy owner: ConversationOwner) -> Bool {
        switch self {
        case .bot: owner == .bot
        case .queue: owner == .queue
        case .staff, .desk: true
        }
    }
}

/// An outbound message on its way into the caller's write.
public struct PreparedOutbound: Sendable {
    /// The store changes that add the message.
    public var changes: [DocumentChange]
    let onCommit: @Sendable () -> Void
    let onRollback: @Sendable () -> Void

    public init(
        changes: [DocumentChange], commit: @escaping @Sendable () -> Void = {},
        rollback: @escaping @Sendable () -> Void = {}
    ) {
        self.changes = changes
        self.onCommit = commit
        self.onRollback = rollback
    }

    /// The changes are durable: deliver the message.
    public func commit() { self.onCommit() }

    /// The changes were not written: forget the message.
    public func rollback() { self.onRollback() }
}
