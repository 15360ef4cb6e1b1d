/// Where answers go that cannot be a passive reply: the outbox, delivering through the
/// customer-service message API.
public protocol OutboundQueue: Sendable {
    /// Queues a text for the applicant durably; returns once it is stored.
    func enqueue(_ content: String, to applicant: String) async throws
    /// Texts that could not be delivered while the applicant's 48-hour window was closed, oldest first,
    /// handed over (and marked delivered) so the next passive reply can carry them.
    func takeHeld(for applicant: String) async throws -> [String]
}
