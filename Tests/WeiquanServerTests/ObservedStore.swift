import Foundation
import WeiquanStore
import WeiquanTestSupport

/// A store that tells waiting tests about its writes: ``waitUntil(_:_:)`` checks its condition again after every
/// write, so a test waits for "the message is delivered" as an event rather than polling against a deadline.
final class ObservedStore: DocumentStore {
    let inner: any DocumentStore
    /// Writes done so far.
    private let writes = Observed(0)

    init(_ inner: any DocumentStore = MemoryDocumentStore()) {
        self.inner = inner
    }

    /// How many writes succeeded so far.
    var writeCount: Int { self.writes.value }

    /// Returns once `condition` (which reads the store) holds: checked now and after each write.
    func waitUntil(_ what: String, _ condition: @escaping @Sendable () async throws -> Bool) async throws {
        try await withSafetyLimit(what) {
            while true {
                let seen = self.writes.value
                if try await condition() { return }
                try await self.writes.wait(what) { $0 > seen }
            }
        }
    }

    func write(_ changes: [DocumentChange]) async throws {
        try await self.inner.write(changes)
        self.writes.update { $0 += 1 }
    }

    func document(collection: String, id: String) async throws -> Data? {
        try await self.inner.document(collection: collection, id: id)
    }

    func documents(collection: String) async throws -> [(id: String, json: Data)] {
        try await self.inner.documents(collection: collection)
    }

    func count(collection: String) async throws -> Int { try await self.inner.count(collection: collection) }

    func collections() async throws -> [String] { try await self.inner.collections() }

    func checkWritable() async throws { try await self.inner.checkWritable() }
}
