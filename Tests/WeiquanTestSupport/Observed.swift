import Synchronization

/// A value that tests can wait on: ``wait(_:until:)`` ends on the change that makes its condition true,
/// because every ``update(_:)`` checks the waiting conditions (no polling, no sleeping).
///
/// Fakes keep what they record in one (a fake server's requests, a queue's messages) so that a test waits
/// for "the third request arrived" instead of sleeping and hoping it did.
public final class Observed<Value: Sendable>: Sendable {
    private struct Waiter {
        let id: Int
        let condition: @Sendable (Value) -> Bool
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var value: Value
        var waiters: [Waiter] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    public init(_ value: Value) {
        self.state = Mutex(State(value: value))
    }

    /// The value now.
    public var value: Value { self.state.withLock { $0.value } }

    /// Changes the value and wakes the waiters whose condition now holds.
    @discardableResult
    public func update<Outcome: Sendable>(_ body: (inout Value) -> Outcome) -> Outcome {
        let (result, ready) = self.state.withLock { state -> (Outcome, [Waiter]) in
            let result = body(&state.value)
            let value = state.value
            let ready = state.waiters.filter { $0.condition(value) }
            state.waiters.removeAll { $0.condition(value) }
            return (result, ready)
        }
        for waiter in ready { waiter.continuation.resume() }
        return result
    }

    /// Returns once `condition` holds (at once if it does already).
    ///
    /// Ends early only by cancellation, or by throwing ``SafetyLimitExceeded`` after `safetyLimit` of real time.
    public func wait(
        _ what: String, safetyLimit: Duration = SafetyLimit.standard,
        until condition: @escaping @Sendable (Value) -> Bool
    ) async throws {
        try await withSafetyLimit(what, limit: safetyLimit) {
            try await self.until(condition)
        }
    }

    private func until(_ condition: @escaping @Sendable (Value) -> Bool) async throws {
        let id = self.state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate = self.state.withLock { state -> Result<Void, any Error>? in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if condition(state.value) { return .success(()) }
                    state.waiters.append(Waiter(id: id, condition: condition, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }
}
