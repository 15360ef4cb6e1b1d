import Foundation
import Synchronization

/// Lets a repeated warning through at most once an interval, counting what it held back in between.
///
/// A condition that holds for every request (a server clock hours off, say) would otherwise write a line for
/// every message: thousands a second under load, burying everything else in the log and costing the
/// messages' own time.
package final class LogThrottle: Sendable {
    private struct State {
        var lastLogged: Date?
        var heldBack = 0
    }

    package let interval: TimeInterval
    private let state = Mutex(State())

    package init(interval: TimeInterval) {
        self.interval = interval
    }

    /// Whether to log an occurrence at `now`: the number of occurrences held back since the last one logged
    /// (0 for the first), or nil to hold this one back.
    package func admit(at now: Date) -> Int? {
        self.state.withLock { state in
            if let last = state.lastLogged, now.timeIntervalSince(last) < self.interval, now >= last {
                state.heldBack += 1
                return nil
            }
            let heldBack = state.heldBack
            state.lastLogged = now
            state.heldBack = 0
            return heldBack
        }
    }
}
