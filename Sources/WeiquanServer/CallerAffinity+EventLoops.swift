import NIOCore
import NIOPosix
import WeiquanStore

extension CallerAffinity {
    /// The event loop of the calling thread: where Swift Concurrency runs on NIO's loops (`serve`), a message's task is
    /// resumed after its durable write on the loop of its connection, where its reply is written. A caller on no loop
    /// (another executor, a test) is resumed from the writer's thread.
    package static let eventLoops = CallerAffinity(
        current: { MultiThreadedEventLoopGroup.currentEventLoop },
        run: { place, work in
            guard let loop = place as? any EventLoop else { return work() }
            loop.execute(work)
        }
    )
}
