import Foundation
import Logging
import Synchronization
import WeiquanCore
import WeiquanStore

/// Keeping up with the other instances on the same store: their writes of `outbox/ID` come in through
/// `coordination.changes()` and are taken in by ``OutboxStateMachine/ingest(_:)``.
///
/// A copy is always read again from the store inside the applicant's lane before it is taken in, because the lane is
/// where this instance records its own results: a copy read before this instance wrote `delivered` (and dropped the
/// message) would otherwise bring the message back as unknown and unfinished.
extension Outbox {
    /// Follows the other instances' writes until cancelled. Starts by reading the collection again: writes between
    /// ``init(store:api:tokens:clock:timerClock:policy:coordination:metrics:logger:)`` and the subscription.
    func follow(_ changes: AsyncStream<CoordinationEvent>) async {
        await self.reload()
        for await event in changes {
            switch event {
            case .changed(let keys):
                for key in keys where key.collection == OutboxMessage.collection {
                    await self.ingest(id: key.id)
                }
            case .resync:
                await self.reload()
            }
        }
    }

    /// Reads the whole collection again and takes in what changed; a failed read is tried again after a back-off
    /// (on the timer clock) until it succeeds or the task is cancelled.
    func reload() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let stored = try await self.store.all(OutboxMessage.self)
                let news = self.machine.withLock { $0.news(in: stored) }
                for message in news {
                    try await self.ingestCurrent(id: message.id, of: message.applicant)
                }
                return
            } catch {
                failures += 1
                self.logger.warning(
                    "outbox could not read the store again; retrying", metadata: ["error": "\(error)"])
                let pause = self.machine.withLock { $0.policy.delay(afterAttempts: failures) }
                try? await self.timerClock.sleep(for: pause)
            }
        }
    }

    /// Takes in the stored copy of one message another instance wrote (a deleted one changes nothing: only
    /// finished messages are swept). A failed read reads everything again.
    private func ingest(id: String) async {
        do {
            guard let stored = try await self.store.get(OutboxMessage.self, id: id) else { return }
            try await self.ingestCurrent(id: id, of: stored.applicant)
        } catch {
            self.logger.warning(
                "outbox could not read another instance's message; reading all again",
                metadata: ["message": "\(id)", "error": "\(error)"]
            )
            await self.reload()
        }
    }

    /// Reads the message again inside its applicant's lane and takes it in.
    func ingestCurrent(id: String, of applicant: ApplicantID) async throws {
        try await self.lanes.run(applicant) {
            guard let current = try await self.store.get(OutboxMessage.self, id: id) else { return }
            self.queue { $0.ingest(current) }
        }
    }

    /// Reads the applicant's messages again, with the applicant's newest (``OutboxTail``): called inside the
    /// applicant's lane, while the caller holds the applicant's exclusive lock, so what is handed over or released is
    /// what the store says now and not a mirror that lags behind another instance. Alone on the store it does
    /// nothing: the mirror is exact.
    func refresh(_ applicant: ApplicantID) async throws {
        guard !self.coordination.isSingleInstance else { return }
        var ids = self.machine.withLock { $0.messages(of: applicant).map(\.id) }
        if let tail = try await self.store.get(OutboxTail.self, id: applicant.rawValue), !ids.contains(tail.lastID) {
            ids.append(tail.lastID)
        }
        for id in ids {
            guard let stored = try await self.store.get(OutboxMessage.self, id: id) else { continue }
            self.queue { $0.ingest(stored) }
        }
    }
}
