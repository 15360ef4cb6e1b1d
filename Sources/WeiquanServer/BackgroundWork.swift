import Synchronization

/// Work a request starts but must not wait for — a message's handling once WeChat's reply budget ran out,
/// the notices to applicants whose place in a queue improved — owned here instead of left to run on its own:
/// shutdown waits for it before the store closes, and tests wait for it to finish instead of polling.
///
/// The work runs in its own task because it must not run in the lane it was started from: a notice is a
/// change to another applicant's conversation, made in that applicant's lane, and one lane waiting for
/// another could wait for ever.
package final class BackgroundWork: Sendable {
    private struct State {
        /// The work not yet finished, by number.
        var running: Set<Int> = []
        var next = 0
        /// Callers of ``idle()`` waiting for the running work to finish.
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    package init() {}

    /// Starts `operation` in its own task.
    package func start(_ operation: @escaping @Sendable () async -> Void) {
        self.run(operation)
    }

    /// Starts `operation` in its own task and returns the task, for a caller that may wait for its value — or
    /// stop waiting while the work goes on, still owned here.
    @discardableResult
    package func run<Value: Sendable>(_ operation: @escaping @Sendable () async -> Value) -> Task<Value, Never> {
        self.state.withLock { state in
            let id = state.next
            state.next += 1
            state.running.insert(id)
            return Task {
                let value = await operation()
                self.finished(id)
                return value
            }
        }
    }

    private func finished(_ id: Int) {
        let waiting = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.running.remove(id)
            guard state.running.isEmpty else { return [] }
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Returns once no work is running, including work started by the work it waited for.
    package func idle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = self.state.withLock { state -> Bool in
                if state.running.isEmpty { return true }
                state.waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// How many pieces of work are running.
    package var count: Int { self.state.withLock { $0.running.count } }
}
