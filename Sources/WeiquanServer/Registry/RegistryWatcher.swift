import Logging
import ServiceLifecycle

/// Refreshes the ``LiveRegistry`` now and then, so an import — from `weiquan registry import` beside this
/// instance or on another instance's database — is answered from without a restart.
struct RegistryWatcher: Service {
    let registry: LiveRegistry
    /// What the pause between checks is timed on.
    let clock: any Clock<Duration>
    var interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await repeatEvery(self.interval, clock: self.clock) { await self.registry.refresh() }
        }
    }
}
