import Logging
import ServiceLifecycle
import Synchronization
import WeiquanCore
import WeiquanStore

/// Keeps what this instance holds in memory about the shared store — the applicants' cases, the open handoffs
/// and their queues, the next case number and handoff id — up to date with the writes of the other instances,
/// as ``Coordination/changes()`` reports them; reloads them all on `.resync`. Runs only when the instance is not
/// alone on its store.
///
/// What is decided on this memory is either checked again where it matters (a conversation and its handoff are
/// read fresh under the applicant's lock; new case numbers and handoff ids are written create-only) or only
/// shown (queue lists and positions, which may lag another instance's change by the time word of it takes).
struct ChangeFollower: Service {
    let service: ConversationService
    let coordination: any Coordination
    let logger: Logger

    func run() async throws {
        let events = self.coordination.changes()
        await cancelWhenGracefulShutdown {
            for await event in events {
                await self.service.takeIn(event, logger: self.logger)
            }
        }
    }
}

extension ConversationService {
    /// Takes in one report of other instances' writes; on a failure, reloads everything at the next report.
    func takeIn(_ event: CoordinationEvent, logger: Logger) async {
        do {
            switch event {
            case .changed(let keys):
                for key in keys { try await self.takeIn(key) }
            case .resync:
                try await self.reloadShared()
            }
        } catch {
            logger.warning(
                "could not take in another instance's change; reloading", metadata: ["error": "\(error)"])
            do {
                try await self.reloadShared()
            } catch {
                logger.error("could not reload from the store", metadata: ["error": "\(error)"])
            }
        }
    }

    private func takeIn(_ key: DocumentKey) async throws {
        switch key.collection {
        case CaseRecord.collection:
            if let record = try await self.store.get(CaseRecord.self, id: key.id) {
                self.takeIn([record])
            } else if let id = CaseID(rawValue: key.id) {
                self.caseIndex.remove(id)
            }
        case QuestionRecord.collection:
            self.observe(QuestionID(rawValue: key.id))
        case HandoffRecord.collection:
            if let record = try await self.store.get(HandoffRecord.self, id: key.id) {
                self.handoffs.update(record)
            } else {
                self.handoffs.remove(HandoffID(key.id))
            }
        default:
            break
        }
    }

    /// Reloads the cases and handoffs from the store (word of other instances' writes may have been missed).
    func reloadShared() async throws {
        let cases = try await self.store.all(CaseRecord.self)
        let handoffs = try await self.store.all(HandoffRecord.self)
        self.casesByApplicant.withLock { $0 = Self.summaries(of: cases) }
        self.caseIndex.reload(cases)
        for record in cases { self.numbering.observe(record.id) }
        self.handoffs.reload(handoffs)
    }
}
