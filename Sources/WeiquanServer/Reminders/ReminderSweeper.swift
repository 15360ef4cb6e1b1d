import Logging
import ServiceLifecycle
import WeiquanStore

/// Sends the reminders whose day has come (``ConversationService/sendDueReminders()``) every five minutes, on one
/// instance at a time (the holder of the `reminders` role); each reminder is read fresh under its applicant's lock
/// and leaves the store in the write that hands it on, so it goes out once across instances and retries.
struct ReminderSweeper: Service {
    /// The role (``Coordination/lead(_:_:)``) of the instance that sends reminders.
    static let role = "reminders"

    let service: ConversationService
    let coordination: any Coordination
    /// What the pause between sweeps is timed on.
    let clock: any Clock<Duration>
    var interval: Duration = .seconds(300)
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            try? await self.coordination.lead(Self.role) {
                await repeatEvery(self.interval, clock: self.clock) {
                    do {
                        let sweep = try await self.service.sendDueReminders()
                        if sweep.sent + sweep.held > 0 {
                            self.logger.info(
                                "reminders due", metadata: ["sent": "\(sweep.sent)", "held": "\(sweep.held)"])
                        }
                    } catch {
                        self.logger.warning("could not send due reminders", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }
}
