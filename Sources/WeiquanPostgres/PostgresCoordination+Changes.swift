import Logging
import PostgresNIO
import ServiceLifecycle
import WeiquanStore

extension PostgresCoordination {
    /// Word of what other instances write, as they commit it: the store's writes send a
    /// ``PostgresChangeNotice`` on ``PostgresChangeNotice/channel``, which ``run()`` listens to on one connection
    /// for every subscriber.
    ///
    /// - Notices from this instance (its `instanceID`) are left out; a notice that names too many keys becomes
    ///   `.resync`, and so does every (re)connection of the listener: word may have been missed while it was
    ///   not listening. A stream asked for before ``run()`` listens therefore begins with `.resync`.
    /// - A subscriber that falls far behind gets `.resync` in place of the events it missed.
    /// - The stream ends when ``run()`` ends; nothing arrives unless ``run()`` runs.
    public func changes() -> AsyncStream<CoordinationEvent> {
        self.subscribers.subscribe()
    }

    /// How many streams from ``changes()`` are still being read.
    public var subscriberCount: Int { self.subscribers.count }

    /// Listens for the other instances' change notices until cancelled or until graceful shutdown, then ends
    /// the streams of ``changes()``. When the connection fails it listens again on a new one, after a pause on
    /// the clock that doubles with each failure in a row (from 0.1 s up to 10 s).
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.listen()
        }
        self.subscribers.finish()
    }

    private func listen() async {
        let logger = self.logger
        var failures = 0
        while !Task.isCancelled {
            do {
                try await self.database.lockClient.withConnection { connection in
                    try await connection.listen(on: PostgresChangeNotice.channel) { notifications in
                        failures = 0
                        logger.debug("listening for change notices")
                        self.subscribers.send(.resync)
                        for try await notification in notifications {
                            self.receive(notification.payload)
                        }
                    }
                }
                if Task.isCancelled { return }
                logger.warning("change notices ended: the listening connection closed")
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "listening for change notices failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            failures += 1
            do {
                try await self.clock.sleep(for: Self.listenBackoff(afterFailures: failures))
            } catch {
                return
            }
        }
    }

    /// The pause before listening again after `failures` failures in a row.
    static func listenBackoff(afterFailures failures: Int) -> Duration {
        var pause = Self.firstListenBackoff
        for _ in 1..<max(1, failures) where pause < Self.longestListenBackoff {
            pause *= 2
        }
        return min(pause, Self.longestListenBackoff)
    }

    /// Turns one notice into an event for the subscribers.
    func receive(_ payload: String) {
        guard let notice = PostgresChangeNotice(payload: payload) else {
            self.logger.warning("ignored a change notice that is not ours", metadata: ["payload": "\(payload)"])
            return
        }
        guard notice.instanceID != self.database.instanceID else { return }
        guard let keys = notice.keys else {
            self.subscribers.send(.resync)
            return
        }
        guard !keys.isEmpty else { return }
        self.subscribers.send(.changed(keys))
    }
}
