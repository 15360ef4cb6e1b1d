import Foundation
import Synchronization
import Testing

@testable import WeiquanStore

/// `startWrite`: the write goes on without the caller waiting; its completion is told once it is durable, or why not.
@Suite struct StartWriteTests {
    /// The completion's result, for the test to wait on.
    static func started(_ changes: [DocumentChange], on store: any DocumentStore) async -> Result<Void, any Error> {
        await withCheckedContinuation { continuation in
            store.startWrite(changes) { continuation.resume(returning: $0) }
        }
    }

    @Test func theFileStoreTellsTheCompletionOnceTheWriteIsDurable() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            #expect(store.readsAreImmediate)
            try await #require(Self.started([put("notes", "a", #"{"n":1}"#)], on: store).get())
            #expect(store.statistics.writes == 1)
            try await store.close()
            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(try await reopened.document(collection: "notes", id: "a") != nil)
            try await reopened.close()
        }
    }

    @Test func refusedChangesAreToldAtOnceAndNothingIsWritten() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            let told = Mutex<Result<Void, any Error>?>(nil)
            // Not one JSON object: refused before it is queued, so the completion is told before startWrite returns.
            store.startWrite([put("notes", "a", "[1]")]) { result in told.withLock { $0 = result } }
            let result = try #require(told.withLock { $0 })
            #expect(throws: StoreError.self) { try result.get() }
            try await store.write([
                DocumentChange(collection: "notes", id: "b", json: json(#"{"n":2}"#), mustNotExist: true)
            ])
            let conflict = await Self.started(
                [DocumentChange(collection: "notes", id: "b", json: json(#"{"n":3}"#), mustNotExist: true)], on: store)
            #expect(throws: StoreError.self) { try conflict.get() }
            #expect(try await store.count(collection: "notes") == 1)
            try await store.close()
            let closed = await Self.started([put("notes", "c", #"{"n":4}"#)], on: store)
            #expect(throws: StoreError.self) { try closed.get() }
        }
    }

    @Test func anEmptyWriteIsToldAtOnce() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            let told = Mutex(false)
            store.startWrite([]) { result in told.withLock { $0 = (try? result.get()) != nil } }
            #expect(told.withLock { $0 })
            #expect(store.statistics.writes == 0)
            try await store.close()
        }
    }

    @Test func otherStoresWriteInATaskOfTheirOwn() async throws {
        let store = MemoryDocumentStore()
        #expect(!store.readsAreImmediate)
        try await #require(Self.started([put("notes", "a", #"{"n":1}"#)], on: store).get())
        #expect(try await store.document(collection: "notes", id: "a") != nil)
        try await store.write([
            DocumentChange(collection: "notes", id: "b", json: json(#"{"n":2}"#), mustNotExist: true)
        ])
        let conflict = await Self.started(
            [DocumentChange(collection: "notes", id: "b", json: json(#"{"n":3}"#), mustNotExist: true)], on: store)
        #expect(throws: StoreError.self) { try conflict.get() }
    }
}
