import Logging
import ServiceLifecycle
import WeiquanStore

/// Keeps a ``KnowledgeBase`` up to date with the other instances' writes while the application runs: subscribes to
/// ``Coordination/changes()``, then reads every entry again (what was written between the base's first load and the
/// subscription is not missed), then follows the changes. Runs only when the instance is not alone on its store.
struct KnowledgeFollower: Service {
    let knowledge: KnowledgeBase

    func run() async throws {
        let events = self.knowledge.coordination.changes()
        await cancelWhenGracefulShutdown {
            do {
                try await self.knowledge.reload()
            } catch {
                self.knowledge.logger.warning(
                    "the knowledge base could not reload from the store", metadata: ["error": "\(error)"])
            }
            await self.knowledge.follow(events)
        }
    }
}
