import Logging
import ServiceLifecycle

/// Forgets old retry answers every half minute.
struct RetrySweeper: Service {
    let service: ConversationService
    /// What the pause between sweeps is timed on.
    let clock: any Clock<Duration>
    var interval: Duration = .seconds(30)
    let logger: Logger

    func run() async throws {
        // Shutdown must not wait out the pause: cancel it as soon as a graceful shutdown begins.
        await cancelWhenGracefulShutdown {
            await repeatEvery(self.interval, clock: self.clock) {
                do {
                    try await self.service.sweepRetries()
                } catch {
                    self.logger.warning("could not sweep old retry answers", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
