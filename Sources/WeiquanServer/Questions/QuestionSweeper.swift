import ServiceLifecycle
import WeiquanStore

/// Runs the question timers (``QuestionService/sweep()``) every minute on one instance at a time (the holder of the
/// `question-leases` role), so that each fires once; and on every instance refreshes what the gauges show.
struct QuestionSweeper: Service {
    let questions: QuestionService
    let coordination: any Coordination
    /// What the pause between sweeps is timed on.
    let clock: any Clock<Duration>
    var interval: Duration = .seconds(60)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    try? await self.coordination.lead("question-leases") {
                        await repeatEvery(self.interval, clock: self.clock) { await self.questions.sweep() }
                    }
                }
                group.addTask {
                    await repeatEvery(self.interval, clock: self.clock) { await self.questions.refreshFigures() }
                }
            }
        }
    }
}
