import ServiceLifecycle

/// Runs the desk's timers (idle release, the offer after a long wait, the desk closing) every 15 seconds.
struct DeskSweeper: Service {
    let desk: DeskService
    /// What the pause between sweeps is timed on.
    let clock: any Clock<Duration>
    var interval: Duration = .seconds(15)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await repeatEvery(self.interval, clock: self.clock) { await self.desk.sweep() }
        }
    }
}
