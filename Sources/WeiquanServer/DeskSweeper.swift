import ServiceLifecycle

import WeiquanStore

/// Runs the desk's timers (idle release, the offer after a long wait, the desk closing) every 15 seconds, on
/// one instance at a time (the holder of the `desk-timers` role), so that each fires once; every change a
/// sweep makes is checked again on fresh data under the applicant's lock.
struct DeskSweeper: Service {
    let desk: DeskService
    let coordination: any Coordination
    /// What the pause between sweeps is timed on.
    let clock: any Clock<Duration>
    var interval: Duration = .seconds(15)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            try? await self.coordination.lead("desk-timers") {
                await repeatEvery(self.interval, clock: self.clock) { await self.desk.sweep() }
            }
        }
    }
}
