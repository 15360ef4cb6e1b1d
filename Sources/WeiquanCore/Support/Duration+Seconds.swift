import Foundation

extension Duration {
    /// The duration in seconds, as Foundation counts time (`Date.addingTimeInterval(_:)`, metrics in seconds).
    ///
    /// Exact to well below a nanosecond for any duration the service deals in.
    package var inSeconds: TimeInterval {
        let (seconds, attoseconds) = self.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
