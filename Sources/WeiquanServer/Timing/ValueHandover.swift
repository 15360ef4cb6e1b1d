import Synchronization

/// One value, handed from the task that computes it to the one waiting for it; the waiter may stop waiting.
package final class ValueHandover<Value: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Value?, Never>)
        case filled(Value)
        /// The waiter stopped waiting; a value that comes later is dropped.
        case abandoned
        /// The waiter has the value; nothing more is kept (a deadline may hold the handover a while longer).
        case delivered
    }

    private let state = Mutex(State.empty)

    /// An empty handover.
    package init() {}

    /// Hands the value to the waiter (now or when it comes to wait); false when the waiter stopped waiting (or the
    /// handover was filled before), and the value is dropped: whoever filled it then carries on with it.
    @discardableResult
    package func fill(_ value: Value) -> Bool {
        let (waiter, taken) = self.state.withLock { state -> (CheckedContinuation<Value?, Never>?, Bool) in
            switch state {
            case .waiting(let continuation):
                state = .delivered
                return (continuation, true)
            case .empty:
                state = .filled(value)
                return (nil, true)
            case .filled, .abandoned, .delivered:
                return (nil, false)
            }
        }
        waiter?.resume(returning: value)
        return taken
    }

    /// The value, or nil if the waiting task was cancelled before it came.
    package func value() async -> Value? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                let immediate = self.state.withLock { state -> Value?? in
                    switch state {
                    case .filled(let value):
                        state = .delivered
                        return .some(value)
                    case .empty where Task.isCancelled, .abandoned:
                        state = .abandoned
                        return .some(nil)
                    case .empty:
                        state = .waiting(continuation)
                        return nil
                    case .waiting, .delivered:
                        preconditionFailure("one waiter per handover")
                    }
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            self.abandon()
        }
    }

    /// The waiter stops waiting (its wait ends with nil); a value that comes later is dropped.
    package func abandon() {
        let waiter = self.state.withLock { state -> CheckedContinuation<Value?, Never>? in
            switch state {
            case .waiting(let continuation):
                state = .abandoned
                return continuation
            case .empty:
                state = .abandoned
                return nil
            case .filled, .abandoned, .delivered:
                return nil
            }
        }
        waiter?.resume(returning: nil)
    }
}
