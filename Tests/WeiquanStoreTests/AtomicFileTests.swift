import Dispatch
import Foundation
import Testing

@testable import WeiquanStore

/// The file helpers the store offers the rest of the package: `AtomicFile`, `FileLock`, `FileSignature`.
@Suite struct AtomicFileTests {
    /// Runs `body` and returns the `StoreError` it threw.
    func failure(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws(StoreError) -> Void)
        -> StoreError?
    {
        do throws(StoreError) {
            try body()
            Issue.record("expected a StoreError, nothing was thrown", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    func permissions(_ path: String) throws -> Int? {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }

    @Test func aReplacementIsWholeDurableAndHasTheModeAsked() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("tokens.json").path
            let temporary = path + ".tmp"
            #expect(FileSignature(path: path) == nil)
            // A temporary left by a crash, with a wider mode, passes neither its content nor its mode on.
            try Data("junk that is longer than what replaces it".utf8).write(to: URL(fileURLWithPath: temporary))
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: temporary)
            try AtomicFile.replace(path, with: Array("first".utf8), through: temporary, permissions: 0o600)
            #expect(try AtomicFile.read(path) == Array("first".utf8))
            #expect(try self.permissions(path) == 0o600)
            #expect(!FileManager.default.fileExists(atPath: temporary))
            let first = try #require(FileSignature(path: path))
            #expect(first.size == 5)
            #expect(FileSignature(path: path) == first)
            try AtomicFile.replace(path, with: Array("second".utf8), through: temporary)
            #expect(try AtomicFile.read(path) == Array("second".utf8))
            let second = try #require(FileSignature(path: path))
            #expect(second != first)
            #expect(second.inode != first.inode)
            #expect(try self.permissions(path) == 0o644)
        }
    }

    @Test func aMissingFileReadsAsNotFound() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("none").path
            let error = self.failure { () throws(StoreError) in _ = try AtomicFile.read(path) }
            #expect(error?.code == .notFound)
            #expect(error?.message == "open failed for \(path): No such file or directory (errno 2)")
        }
    }

    @Test func aTemporaryThatCannotBeWrittenLeavesTheFileAsItWas() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("tokens.json").path
            try AtomicFile.replace(path, with: Array("kept".utf8), through: path + ".tmp")
            let signature = FileSignature(path: path)
            // The temporary's name is taken by a directory.
            let blocked = directory.appendingPathComponent("blocked").path
            try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: false)
            let error = self.failure { () throws(StoreError) in
                try AtomicFile.replace(path, with: Array("lost".utf8), through: blocked)
            }
            #expect(error?.code == .io)
            #expect(error?.path == blocked)
            #expect(error?.message.hasPrefix("open failed for \(blocked): ") == true, "\(error?.message ?? "")")
            #expect(try AtomicFile.read(path) == Array("kept".utf8))
            #expect(FileSignature(path: path) == signature)
            // In a directory that does not exist, nothing is written either.
            let nowhere = directory.appendingPathComponent("missing/tokens.json").path
            let missing = self.failure { () throws(StoreError) in
                try AtomicFile.replace(nowhere, with: Array("lost".utf8), through: nowhere + ".tmp")
            }
            #expect(missing?.code == .notFound)
            #expect(missing?.path == nowhere + ".tmp")
        }
    }

    @Test func aFileThatCannotBeReplacedIsNamedWithItsTemporary() async throws {
        try await withTemporaryDirectory { directory in
            // The file's name is taken by a directory that is not empty: the rename fails.
            let path = directory.appendingPathComponent("occupied").path
            try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
            let temporary = path + ".tmp"
            let error = self.failure { () throws(StoreError) in
                try AtomicFile.replace(path, with: Array("new".utf8), through: temporary)
            }
            #expect(error?.code == .io)
            #expect(error?.path == temporary)
            #expect(
                error?.message.hasPrefix("rename to \(path) failed for \(temporary): ") == true,
                "\(error?.message ?? "")")
            #expect(FileManager.default.fileExists(atPath: path + "/inside"))
        }
    }

    @Test func aLockExcludesEveryOtherHolderUntilReleased() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("tokens.lock").path
            let held = try FileLock(path: path, permissions: 0o600)
            #expect(held.path == path)
            #expect(try self.permissions(path) == 0o600)
            // Another descriptor, even of this process, does not get it.
            #expect(try FileLock(ifFree: path) == nil)
            // A writer that waits gets it once the holder lets go.
            let waiter: Task<Bool, any Error> = Task {
                try await withCheckedThrowingContinuation { continuation in
                    DispatchQueue.global().async {
                        do throws(StoreError) {
                            let lock = try FileLock(path: path)
                            lock.release()
                            continuation.resume(returning: true)
                        } catch {
                            continuation.resume(throwing: error)
                        }
                    }
                }
            }
            held.release()
            held.release()
            #expect(try await waiter.value)
            let again = try #require(try FileLock(ifFree: path))
            again.release()
            #expect(again.file == nil)
        }
    }

    @Test func aLockInADirectoryThatDoesNotExistIsNotFound() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("missing/tokens.lock").path
            let error = self.failure { () throws(StoreError) in _ = try FileLock(path: path) }
            #expect(error?.code == .notFound)
            #expect(error?.path == path)
            #expect(error?.message.hasPrefix("open failed for \(path): ") == true)
        }
    }
}
