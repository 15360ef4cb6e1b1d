/// How an operation raced against its deadline ended (see ``withDeadline(_:clock:operation:)``).
package struct DeadlineOutcome<Value: Sendable>: Sendable {
    /// What the operation returned: its result, or what it made of being cancelled at the deadline.
    package var value: Value
    /// The deadline came first, so the operation was cancelled before it returned.
    package var deadlinePassed: Bool
}

/// Runs `operation` and cancels it once `limit` has passed on `clock`.
///
/// The operation and a timer race in a task group, and whichever ends first cancels the other: when the operation
/// returns first, the timer is cancelled at once (no sleeping task is left behind); when the timer fires first, the
/// operation is cancelled and the call waits for what it returns. Either way nothing started here outlives the call,
/// and the caller's own cancellation reaches the operation as usual.
///
/// - Parameters:
///   - limit: How long the operation may take.
///   - clock: What the timer sleeps on (`ContinuousClock` in production; tests move a manual clock).
///   - operation: Must return soon once cancelled.
package func withDeadline<Value: Sendable>(
    _ limit: Duration, clock: any Clock<Duration>, operation: @escaping @Sendable () async -> Value
) async -> DeadlineOutcome<Value> {
    await withTaskGroup(of: DeadlineRacer<Value>.self) { group in
        group.addTask { .returned(await operation()) }
        group.addTask {
            do {
                try await clock.sleep(for: limit)
                return .deadlinePassed
            } catch {
                return .timerStopped
            }
        }
        var deadlinePassed = false
        for await racer in group {
            switch racer {
            case .returned(let value):
                // Stops the timer; the group waits for it before returning, so it is gone when this returns.
                group.cancelAll()
                return DeadlineOutcome(value: value, deadlinePassed: deadlinePassed)
            case .deadlinePassed:
                deadlinePassed = true
                group.cancelAll()
            case .timerStopped:
                break
            }
        }
        preconditionFailure("the operation's child task always reports back")
    }
}

/// Which side of a ``withDeadline(_:clock:operation:)`` race reported.
private enum DeadlineRacer<Value: Sendable>: Sendable {
    case returned(Value)
    case deadlinePassed
    /// The timer was cancelled before it fired.
    case timerStopped
}

/// The error ``withTimeout(_:clock:operation:)`` throws when the deadline passed first.
package struct DeadlineExceeded: Error, CustomStringConvertible {
    /// The limit that passed.
    package var limit: Duration

    package var description: String { "no result within \(self.limit)" }
}

/// Runs `operation`, cancelling it once `limit` has passed on `clock`; if it then fails (as a cancelled operation
/// does), throws ``DeadlineExceeded`` instead of its error. A result that came in spite of the deadline is kept.
package func withTimeout<Value: Sendable>(
    _ limit: Duration, clock: any Clock<Duration>, operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    let outcome = await withDeadline(limit, clock: clock) { () -> Result<Value, any Error> in
        do {
            return .success(try await operation())
        } catch {
            return .failure(error)
        }
    }
    switch outcome.value {
    case .success(let value):
        return value
    case .failure where outcome.deadlinePassed:
        throw DeadlineExceeded(limit: limit)
    case .failure(let error):
        throw error
    }
}
