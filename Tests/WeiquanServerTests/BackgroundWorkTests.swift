import Synchronization
import Testing
import WeiquanServer

/// Work started in the background is owned: waiting for it ends exactly when it is done.
@Suite struct BackgroundWorkTests {
    /// A gate the work waits at until the test opens it.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

        func wait() async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let open = self.state.withLock { state -> Bool in
                    if !state.open { state.waiting.append(continuation) }
                    return state.open
                }
                if open { continuation.resume() }
            }
        }

        func open() {
            let waiting = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.open = true
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume() }
        }
    }

    @Test func idleReturnsAtOnceWithNothingRunning() async {
        await BackgroundWork().idle()
    }

    @Test func idleWaitsForTheWorkAndTheWorkItStarted() async {
        let work = BackgroundWork()
        let gate = Gate()
        let done = Mutex<[String]>([])
        work.start {
            await gate.wait()
            done.withLock { $0.append("first") }
            work.start {
                await gate.wait()
                done.withLock { $0.append("second") }
            }
        }
        #expect(work.count == 1)
        let waiter = Task {
            await work.idle()
            return done.withLock { $0 }
        }
        gate.open()
        // Whenever idle returns, both pieces of work are done: the second was started before the first ended.
        #expect(await waiter.value == ["first", "second"])
        #expect(work.count == 0)
    }
}
