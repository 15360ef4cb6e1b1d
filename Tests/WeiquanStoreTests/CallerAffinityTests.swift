import Foundation
import Synchronization
import Testing

@testable import WeiquanStore

/// The writer resumes each caller of a durable write at the place it waited on, one hand-over per place and batch.
@Suite struct CallerAffinityTests {
    /// A place: counts the hand-overs it is given and runs them at once, or holds them until told to run them.
    final class Place: Sendable {
        let holds: Bool
        let handOvers = Mutex(0)
        let held = Mutex<[@Sendable () -> Void]>([])
        /// Tells of every hand-over held.
        let heldOne: AsyncStream<Void>.Continuation
        let heldEvents: AsyncStream<Void>

        init(holds: Bool = false) {
            self.holds = holds
            (self.heldEvents, self.heldOne) = AsyncStream.makeStream()
        }

        func take(_ work: @escaping @Sendable () -> Void) {
            self.handOvers.withLock { $0 += 1 }
            guard self.holds else { return work() }
            self.held.withLock { $0.append(work) }
            self.heldOne.yield()
        }

        func runHeld() {
            for work in self.held.withLock({ held in
                defer { held = [] }; return held
            }) { work() }
        }
    }

    @TaskLocal static var place: Place?

    static let affinity = CallerAffinity(
        current: { CallerAffinityTests.place },
        run: { place, work in
            guard let place = place as? Place else { return work() }
            place.take(work)
        })

    @Test func aCallerWaitsUntilItsPlaceRunsTheHandOver() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(
                directory: directory, options: .init(callerAffinity: Self.affinity))
            let place = Place(holds: true)
            let finished = Mutex(false)
            let writing = Task {
                try await Self.$place.withValue(place) {
                    try await store.write([put("notes", "a", #"{"n":1}"#)])
                }
                finished.withLock { $0 = true }
            }
            // The write is durable and handed to the place; until the place runs it, its caller stays suspended.
            var events = place.heldEvents.makeAsyncIterator()
            _ = await events.next()
            #expect(store.statistics.writes == 1)
            #expect(finished.withLock { $0 } == false)
            #expect(place.handOvers.withLock { $0 } == 1)
            place.runHeld()
            try await writing.value
            #expect(finished.withLock { $0 })
            #expect(try await store.document(collection: "notes", id: "a") != nil)
            try await store.close()
        }
    }

    @Test func eachPlaceGetsOneHandOverPerBatch() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(
                directory: directory, options: .init(callerAffinity: Self.affinity))
            let places = [Place(), Place()]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<300 {
                    group.addTask {
                        // A third of the callers wait on no place: they are resumed from the writer's thread.
                        let place = writer % 3 == 2 ? nil : places[writer % 3]
                        try await Self.$place.withValue(place) {
                            try await store.write([put("notes", "n\(writer)", #"{"n":\#(writer)}"#)])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let statistics = store.statistics
            #expect(statistics.writes == 300)
            #expect(try await store.count(collection: "notes") == 300)
            for place in places {
                let handOvers = place.handOvers.withLock { $0 }
                #expect(handOvers >= 1)
                #expect(handOvers <= statistics.batches, "at most one hand-over per batch (\(handOvers))")
            }
            try await store.close()
        }
    }

    @Test func withoutAffinityCallersAreResumedFromTheWriter() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            let place = Place(holds: true)
            try await Self.$place.withValue(place) {
                try await store.write([put("notes", "a", #"{"n":1}"#)])
            }
            #expect(place.handOvers.withLock { $0 } == 0)
            try await store.close()
        }
    }
}
