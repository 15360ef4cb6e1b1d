import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The store's own threads (the journal writer, a compaction's snapshot writer): named, and scheduled so that they
/// do not cut into the threads serving requests.
///
/// On Linux a thread under ``Policy/batch`` (`SCHED_BATCH`) that wakes up waits for the running thread's time slice
/// to end instead of preempting it; on an idle core it runs at once, and its share of the processor is unchanged
/// (same nice value), so it is never starved. The journal writer waits for work under it: on a busy machine the
/// event loops go on queueing writes instead of being cut off by the first one, and one `fdatasync` covers more of
/// them. It commits under ``Policy/normal``, because its callers are waiting for that sync and its hand-over. A
/// snapshot is written under ``Policy/background``.
/// Measured on two cores under `bench/webhook.sh`'s full load, this change alone (README, issue 15): one sync per
/// 24–27 messages instead of 12–15, a third fewer context switches a message.
///
/// Foundation's `Thread.name` does not reach the kernel on Linux; the name is also set from inside the thread
/// (`/proc/thread-self/comm`, at most 15 bytes), so `top -H`, `perf` and `/proc/<pid>/task/*/comm` show it.
enum StoreThread {
    /// How the kernel schedules a store thread.
    enum Policy: Sendable {
        /// The default time-sharing policy (`SCHED_OTHER`).
        case normal
        /// `SCHED_BATCH`: on waking, does not preempt the running thread.
        case batch
        /// `SCHED_BATCH` at nice 10 (a tenth of a normal thread's share while both want the processor): work nobody
        /// waits for, such as writing a snapshot, which should not lengthen the replies' tail while it runs.
        case background
    }

    /// Starts a thread that names itself, takes `policy` and runs `body`.
    static func start(name: String, policy: Policy, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            StoreThread.nameCurrent(name)
            StoreThread.apply(policy)
            body()
        }
        thread.name = name
        thread.start()
    }

    /// Moves the calling thread to `policy`. Only Linux has `SCHED_BATCH`; elsewhere, and if the call fails, the
    /// thread stays as it is: the policy only helps the scheduler, and the store works without it.
    static func apply(_ policy: Policy) {
        #if os(Linux)
        var parameters = sched_param()
        parameters.sched_priority = 0
        _ = sched_setscheduler(0, policy.linuxPolicy, &parameters)
        // On Linux the nice value is the calling thread's own (`who` 0); raising it needs no privilege, lowering it
        // back does, so only a thread that stays in the background takes it.
        if policy == .background {
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, StoreThread.backgroundNice)
        }
        #endif
    }

    /// The nice value of ``Policy/background``.
    static let backgroundNice: Int32 = 10

    /// Names the calling thread for the kernel (on Linux; elsewhere `Thread.name` is enough).
    private static func nameCurrent(_ name: String) {
        #if os(Linux)
        // `pthread_setname_np` and `prctl` are not imported from Glibc; the kernel takes the name here as well.
        let descriptor = Glibc.open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        Glibc.close(descriptor)
        #endif
    }
}

extension StoreThread.Policy {
    /// The policy's number in `<sched.h>` (`SCHED_OTHER` 0, `SCHED_BATCH` 3; not imported into Swift as constants).
    var linuxPolicy: Int32 {
        switch self {
        case .normal: 0
        case .batch, .background: 3
        }
    }
}
