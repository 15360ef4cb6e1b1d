import Synchronization

extension Task where Failure == Never {
    /// The task's value if it comes within `limit` on `clock`, else nil; the task goes on either way.
    ///
    /// For work that must finish even when its caller stops waiting (WeChat's 5-second reply budget): the wait and a
    /// timer race in a task group (``withDeadline(_:clock:operation:)``), so the timer is cancelled as soon as the
    /// value comes and the wait ends at the deadline although the task goes on. One small task awaits the value for as
    /// long as the work runs and hands it over; it holds nothing else and ends with the work.
    package func value(within limit: Duration, clock: any Clock<Duration>) async -> Success? {
        let handover = ValueHandover<Success>()
        Task<Void, Never> { handover.fill(await self.value) }
        return await withDeadline(limit, clock: clock) { await handover.value() }.value
    }
}

/// One value, handed from the task that computes it to the one waiting for it; the waiter may stop waiting.
final class ValueHandover<Value: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Value?, Never>)
        case filled(Value)
        /// The waiter stopped waiting; a value that comes later is dropped.
        case abandoned
    }

    private let state = Mutex(State.empty)

    /// Hands the value to the waiter (now or when it comes to wait).
    func fill(_ value: Value) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Value?, Never>? in
            switch state {
            case .waiting(let continuation):
                state = .filled(value)
                return continuation
            case .empty:
                state = .filled(value)
                return nil
            case .filled, .abandoned:
                return nil
            }
        }
        waiter?.resume(returning: value)
    }

    /// The value, or nil if the waiting task was cancelled before it came.
    func value() async -> Value? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                let immediate = self.state.withLock { state -> Value?? in
                    switch state {
                    case .filled(let value):
                        return .some(value)
                    case .empty where Task.isCancelled, .abandoned:
                        state = .abandoned
                        return .some(nil)
                    case .empty:
                        state = .waiting(continuation)
                        return nil
                    case .waiting:
                        preconditionFailure("one waiter per handover")
                    }
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> CheckedContinuation<Value?, Never>? in
                switch state {
                case .waiting(let continuation):
                    state = .abandoned
                    return continuation
                case .empty:
                    state = .abandoned
                    return nil
                case .filled, .abandoned:
                    return nil
                }
            }
            waiter?.resume(returning: nil)
        }
    }
}
