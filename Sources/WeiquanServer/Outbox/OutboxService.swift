import Foundation
import Logging
import ServiceLifecycle
import WeiquanCore
import WeiquanStore

/// Runs an ``Outbox`` inside the application's service group, and now and then deletes old delivered
/// messages.
///
/// With several instances every one runs this service: each follows the others' writes, the one holding
/// ``Outbox/role`` delivers, and only that one sweeps.
///
/// Graceful shutdown stops delivery (calls already with the API finish and are recorded). The store must
/// close only after this service has stopped: ServiceLifecycle shuts services down in reverse order, so list
/// this one *after* the store's closer.
public struct OutboxService: Service {
    public let outbox: Outbox
    /// Delivered messages older than this are deleted; nil keeps them all.
    public let retention: Duration?
    /// How often old messages are swept.
    public let sweepInterval: Duration
    let clock: @Sendable () -> Date
    let timerClock: any Clock<Duration>
    let logger: Logger

    /// - Parameters:
    ///   - clock: The time now, for the retention's cutoff.
    ///   - timerClock: What the pause between sweeps is timed on (tests move a manual clock).
    public init(
        outbox: Outbox, retention: Duration? = .seconds(7 * 86_400), sweepInterval: Duration = .seconds(3600),
        clock: @escaping @Sendable () -> Date = { Date() }, timerClock: any Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "weiquan.outbox")
    ) {
        self.outbox = outbox
        self.retention = retention
        self.sweepInterval = sweepInterval
        self.clock = clock
        self.timerClock = timerClock
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await self.outbox.run() }
                if let retention = self.retention {
                    group.addTask {
                        await repeatEvery(self.sweepInterval, clock: self.timerClock) {
                            await self.sweep(retention: retention)
                        }
                    }
                }
            }
        }
    }

    private func sweep(retention: Duration) async {
        // Sweeping is the sender's chore: one instance deletes, not all of them at once.
        guard self.outbox.coordination.isSingleInstance || self.outbox.isDelivering else { return }
        do {
            let cutoff = self.clock().addingTimeInterval(-retention.inSeconds)
            let swept = try await self.outbox.sweep(deliveredBefore: cutoff)
            if swept > 0 { self.logger.info("outbox swept delivered messages", metadata: ["count": "\(swept)"]) }
        } catch {
            self.logger.warning("outbox could not sweep delivered messages", metadata: ["error": "\(error)"])
        }
    }
}
