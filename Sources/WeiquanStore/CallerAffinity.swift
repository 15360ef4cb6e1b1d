/// Where the store resumes the callers of a durable write.
///
/// The writer thread finishes writes in batches. Resumed from that thread, each caller goes to whichever thread the
/// executor picks for it, one hand-over per caller; on a server whose tasks run on event loops, a request's task then
/// moves to another loop than its connection's, and its reply, its memory and the loops' queues are shared between
/// threads. With an affinity the writer resumes a batch's callers on the place each of them waited on (its event
/// loop), with one hand-over per place and batch.
public struct CallerAffinity: Sendable {
    /// The place of the calling thread (nil: none, its caller is resumed from the writer's thread).
    let current: @Sendable () -> (any AnyObject & Sendable)?
    /// Runs `work` at a place ``current`` returned.
    let run: @Sendable (any AnyObject & Sendable, @escaping @Sendable () -> Void) -> Void

    /// - Parameters:
    ///   - current: The place of the calling thread; places are told apart by identity.
    ///   - run: Runs work at a place `current` returned.
    public init(
        current: @escaping @Sendable () -> (any AnyObject & Sendable)?,
        run: @escaping @Sendable (any AnyObject & Sendable, @escaping @Sendable () -> Void) -> Void
    ) {
        self.current = current
        self.run = run
    }

    /// No places: every caller is resumed from the writer's thread.
    public static let none = CallerAffinity(current: { nil }, run: { _, work in work() })

    /// Tells `callers` the outcome of their writes, each at the place it queued its write from (`nil`: here), with
    /// one call of ``run`` per place.
    func complete(
        _ callers: [(place: (any AnyObject & Sendable)?, caller: WriteCaller)], with result: Result<Void, any Error>
    ) {
        var places: [ObjectIdentifier: (place: any AnyObject & Sendable, callers: [WriteCaller])] = [:]
        for (place, caller) in callers {
            guard let place else {
                caller.complete(result)
                continue
            }
            places[ObjectIdentifier(place), default: (place, [])].callers.append(caller)
        }
        for (place, waiting) in places.values {
            self.run(place) {
                for caller in waiting { caller.complete(result) }
            }
        }
    }
}

/// Who waits for a queued write: a suspended task, or a callback (``FileDocumentStore/startWrite(_:completion:)``).
enum WriteCaller: Sendable {
    case task(UnsafeContinuation<Void, any Error>)
    case callback(@Sendable (Result<Void, any Error>) -> Void)

    func complete(_ result: Result<Void, any Error>) {
        switch self {
        case .task(let continuation): continuation.resume(with: result)
        case .callback(let callback): callback(result)
        }
    }
}
