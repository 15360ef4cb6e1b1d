import Foundation
import WeiquanStore

extension Outbox {
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
}
