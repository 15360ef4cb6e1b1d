import Foundation
import Testing
import WeiquanPostgres
import WeiquanTestSupport

@testable import WeiquanStore

/// What every `BlobStore` does, on the store each document store keeps beside it (`BlobStoreProviding`): memory,
/// `<data>/blobs` and PostgreSQL's `blobs` table (when a server is given).
@Suite struct BlobStoreContractTests {
    /// 64 hex digits (the stores check the form, not the hash).
    static let key = String(repeating: "ab", count: 32)
    static let other = String(repeating: "0f", count: 32)

    func withBlobs(_ kind: StoreKind, _ body: (any BlobStore) async throws -> Void) async throws {
        try await withStore(kind) { store in
            let provider = try #require(store as? any BlobStoreProviding, "\(kind) keeps blobs")
            try await body(provider.blobs)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func bytesRoundTripByKey(kind: StoreKind) async throws {
        try await withBlobs(kind) { blobs in
            let bytes = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) } + [0, 0xFF, 0x00]
            #expect(try await blobs.get(sha256: Self.key) == nil)
            try await blobs.put(bytes, sha256: Self.key)
            #expect(try await blobs.get(sha256: Self.key) == bytes)
            try await blobs.put([], sha256: Self.other)
            #expect(try await blobs.get(sha256: Self.other) == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aSecondPutOfAKeyKeepsTheFirstAndFailsNeither(kind: StoreKind) async throws {
        try await withBlobs(kind) { blobs in
            try await blobs.put([1, 2, 3], sha256: Self.key)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { try await blobs.put([1, 2, 3], sha256: Self.key) } }
                try await group.waitForAll()
            }
            #expect(try await blobs.get(sha256: Self.key) == [1, 2, 3])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aDeletedBlobIsGoneAndDeletingNothingIsNoError(kind: StoreKind) async throws {
        try await withBlobs(kind) { blobs in
            try await blobs.put([1, 2, 3], sha256: Self.key)
            try await blobs.put([4], sha256: Self.other)
            try await blobs.delete(sha256: Self.key)
            #expect(try await blobs.get(sha256: Self.key) == nil)
            #expect(try await blobs.get(sha256: Self.other) == [4])
            try await blobs.delete(sha256: Self.key)
            try await blobs.put([5], sha256: Self.key)
            #expect(try await blobs.get(sha256: Self.key) == [5])
            await #expect(throws: StoreError.self) { try await blobs.delete(sha256: "../x") }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func keysThatAreNotLowercaseHexAreRefused(kind: StoreKind) async throws {
        try await withBlobs(kind) { blobs in
            for key in ["", "../etc/passwd", String(repeating: "AB", count: 32), String(repeating: "a", count: 63)] {
                await #expect(throws: StoreError.self) { try await blobs.put([1], sha256: key) }
                await #expect(throws: StoreError.self) { try await blobs.get(sha256: key) }
            }
        }
    }

    @Test func theFileStoreKeepsBlobsInItsDirectoryAcrossReopening() async throws {
        try await withTemporaryDirectory { directory in
            let data = directory.appendingPathComponent("data")
            let store = try await FileDocumentStore.open(directory: data)
            try await store.blobs.put([9, 8, 7], sha256: Self.key)
            try await store.close()
            #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("blobs/\(Self.key)").path))
            let reopened = try await FileDocumentStore.open(directory: data)
            #expect(try await reopened.blobs.get(sha256: Self.key) == [9, 8, 7])
            try await reopened.close()
        }
    }
}
