/// The time elapsed on a clock since the stopwatch was made.
///
/// Code that holds `any Clock<Duration>` cannot store or compare its instants (their type is hidden); it keeps
/// deadlines as durations on a stopwatch instead, and they stay monotonic whatever the wall clock does.
struct Stopwatch: Sendable {
    private let read: @Sendable () -> Duration

    /// Starts now on `clock`.
    init(_ clock: any Clock<Duration>) {
        self.read = Self.reader(clock)
    }

    private static func reader<C: Clock<Duration>>(_ clock: C) -> @Sendable () -> Duration {
        let start = clock.now
        return { start.duration(to: clock.now) }
    }

    /// The time since the stopwatch started.
    var elapsed: Duration { self.read() }
}
