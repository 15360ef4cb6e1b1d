import Logging
import ServiceLifecycle
import WeiquanStore

/// Anonymises what was kept past `conversation.retention_years` (``PrivacyService/sweepRetention()``) once an hour,
/// on one instance at a time (the holder of the `retention` role); each case is checked again on a fresh copy under
/// its applicant's lock.
struct RetentionSweeper: Service {
    let privacy: PrivacyService
    let coordination: any Coordination
    /// What the pause between sweeps is timed on.
    let clock: any Clock<Duration>
    var interval: Duration = .seconds(3600)
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            try? await self.coordination.lead("retention") {
                await repeatEvery(self.interval, clock: self.clock) {
                    do {
                        try await self.privacy.sweepRetention()
                    } catch {
                        self.logger.warning("retention sweep failed; next hour again", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }
}
