/// How the outbox retries a message after a transient error: exponential back-off up to a cap, then it gives up.
public struct OutboxRetryPolicy: Sendable, Equatable {
    /// The pause after the first failed attempt.
    public var initialDelay: Duration
    /// Each further failure multiplies the pause by this.
    public var multiplier: Int
    /// The longest pause.
    public var maximumDelay: Duration
    /// After this many attempts that failed transiently, the message is `failed`.
    public var maxAttempts: Int
    /// How many applicants' messages may be on their way to the API at once.
    public var concurrency: Int

    /// 1 s, ×2, at most 5 min, 8 attempts (about 4 min 15 s of pauses in all), 8 at once.
    public init(
        initialDelay: Duration = .seconds(1), multiplier: Int = 2, maximumDelay: Duration = .seconds(300),
        maxAttempts: Int = 8, concurrency: Int = 8
    ) {
        self.initialDelay = initialDelay
        self.multiplier = max(1, multiplier)
        self.maximumDelay = maximumDelay
        self.maxAttempts = max(1, maxAttempts)
        self.concurrency = max(1, concurrency)
    }

    /// The pause after `attempts` attempts failed (1 → `initialDelay`).
    public func delay(afterAttempts attempts: Int) -> Duration {
        var delay = self.initialDelay
        var step = 1
        while step < attempts && delay < self.maximumDelay {
            delay = delay * self.multiplier
            step += 1
        }
        return min(delay, self.maximumDelay)
    }
}
