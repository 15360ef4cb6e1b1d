/// Runs `body` every `interval` on `clock`, the first time one interval from now, until the task is cancelled.
///
/// A cancellation during the pause ends it at once and quietly (a thrown `CancellationError` would fail a
/// service); one during `body` ends it once `body` returns.
package func repeatEvery(_ interval: Duration, clock: any Clock<Duration>, _ body: @Sendable () async -> Void) async {
    while !Task.isCancelled {
        do {
            try await clock.sleep(for: interval)
        } catch {
            return
        }
        await body()
    }
}
