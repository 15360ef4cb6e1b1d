import WeiquanStore

/// Where answers go that cannot be a passive reply: the outbox, delivering through the
/// customer-service message API.
public protocol OutboundQueue: Sendable {
    /// Queues a text for the applicant durably; returns once it is stored.
    func enqueue(_ content: String, to applicant: String) async throws
    /// Texts that could not be delivered while the applicant's 48-hour window was closed, oldest first,
    /// set aside for the next passive reply. The caller writes ``HeldHandover/changes`` together with its
    /// own changes, then calls ``HeldHandover/commit()``; if its write fails, ``HeldHandover/rollback()``
    /// puts them back, held as before, so nothing is lost.
    func prepareHeld(for applicant: String) async throws -> HeldHandover
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
