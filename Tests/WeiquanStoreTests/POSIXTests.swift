import Foundation
import SystemPackage
import Testing

@testable import WeiquanStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The store's file calls: what they do, and that every failure names the call, the path and the reason.
@Suite struct POSIXTests {
    /// Runs `body`, which must throw a `StoreError` with `code` whose message is "`operation` failed for
    /// `path`: reason (errno N)".
    func expectFailure(
        _ code: StoreError.Code,
        _ operation: String,
        _ path: String,
        _ errno: Errno,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws(StoreError) -> Void
    ) {
        do throws(StoreError) {
            try body()
            Issue.record("expected a StoreError, nothing was thrown", sourceLocation: sourceLocation)
        } catch {
            self.expect(error, code, operation, path, errno, sourceLocation: sourceLocation)
        }
    }

    /// Checks an error's code and that its message is "`operation` failed for `path`: reason (errno N)".
    func expect(
        _ error: StoreError,
        _ code: StoreError.Code,
        _ operation: String,
        _ path: String,
        _ errno: Errno,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(error.code == code, sourceLocation: sourceLocation)
        #expect(error.path == path, sourceLocation: sourceLocation)
        #expect(error.systemError == errno.rawValue, sourceLocation: sourceLocation)
        let expected = "\(operation) failed for \(path): \(StoreError.reason(errno.rawValue)) (errno \(errno.rawValue))"
        #expect(error.message == expected, sourceLocation: sourceLocation)
    }

    /// A pipe, closed afterwards: a descriptor that is no file.
    func withPipe(_ body: (FileDescriptor, FileDescriptor) throws -> Void) throws {
        let (reading, writing) = try FileDescriptor.pipe()
        defer {
            POSIX.close(reading)
            POSIX.close(writing)
        }
        try body(reading, writing)
    }

    @Test func filesAreWrittenAtTheirPositionOrAtAnOffsetAndReadWhole() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("file").path
            let file = try POSIX.open(
                path, .readWrite, options: [.create, .exclusiveCreate], permissions: .ownerReadWrite)
            defer { POSIX.close(file) }
            let big = (0..<10_000).map { UInt8(truncatingIfNeeded: $0) }
            try big.withBytes { raw throws(StoreError) in try POSIX.writeAll(file, raw, at: nil, path: path) }
            try Array("abc".utf8).withBytes { raw throws(StoreError) in try POSIX.writeAll(file, raw, at: 2, path: path)
            }
            var expected = big
            expected.replaceSubrange(2..<5, with: Array("abc".utf8))
            #expect(try POSIX.readFile(path) == expected)
            try POSIX.truncate(file, to: 4, path: path)
            try POSIX.syncData(file, path: path)
            #expect(try POSIX.readFile(path) == Array(expected.prefix(4)))
            #expect(try FilePath(path).stat().permissions == .ownerReadWrite)
            try POSIX.setPermissions(file, [.ownerReadWrite, .groupRead], path: path)
            #expect(try FilePath(path).stat().permissions == [.ownerReadWrite, .groupRead])
            // An empty file reads as nothing.
            let empty = directory.appendingPathComponent("empty").path
            POSIX.close(try POSIX.open(empty, .writeOnly, options: .create))
            #expect(try POSIX.readFile(empty) == [])
        }
    }

    @Test func theRawDescriptorFormsDoTheSame() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("journal").path
            let descriptor = try POSIX.open(path, O_WRONLY | O_CREAT | O_EXCL)
            defer { POSIX.close(descriptor) }
            try Array("hello world".utf8).withBytes { raw throws(StoreError) in
                try POSIX.writeAll(descriptor, raw, at: nil, path: path)
            }
            try Array("W".utf8).withBytes { raw throws(StoreError) in
                try POSIX.writeAll(descriptor, raw, at: 6, path: path)
            }
            try POSIX.syncData(descriptor, path: path)
            #expect(String(decoding: try POSIX.readFile(path), as: UTF8.self) == "hello World")
            try POSIX.truncate(descriptor, to: 5, path: path)
            #expect(String(decoding: try POSIX.readFile(path), as: UTF8.self) == "hello")
            let identity = try #require(POSIX.identity(of: descriptor))
            #expect(identity.links == 1)
            guard case .success(let byPath) = POSIX.identity(ofPath: path) else {
                Issue.record("stat failed")
                return
            }
            #expect(byPath.inode == identity.inode)
            #expect(!byPath.isDirectory)
            try POSIX.remove(path)
            #expect(POSIX.identity(of: descriptor)?.links == 0)
            // O_EXCL: a second exclusive create of the same name fails.
            POSIX.close(try POSIX.open(path, O_WRONLY | O_CREAT | O_EXCL))
            self.expectFailure(.io, "open", path, .fileExists) { () throws(StoreError) in
                _ = try POSIX.open(path, O_WRONLY | O_CREAT | O_EXCL)
            }
        }
    }

    @Test func directoriesAreListedRenamedIntoAndSynced() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.path
            #expect(try POSIX.listDirectory(path) == [])
            try Data("x".utf8).write(to: directory.appendingPathComponent("a"))
            try POSIX.rename(path + "/a", to: path + "/b")
            #expect(try POSIX.listDirectory(path) == ["b"])
            try POSIX.syncDirectory(path)
            guard case .success(let identity) = POSIX.identity(ofPath: path) else {
                Issue.record("stat failed")
                return
            }
            #expect(identity.isDirectory)
            // Removing what is already gone is fine.
            try POSIX.remove(path + "/a")
        }
    }

    @Test func aMissingFileOrDirectoryIsNotFound() async throws {
        try await withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("missing").path
            self.expectFailure(.notFound, "open", missing, .noSuchFileOrDirectory) { () throws(StoreError) in
                _ = try POSIX.readFile(missing)
            }
            self.expectFailure(.notFound, "opendir", missing, .noSuchFileOrDirectory) { () throws(StoreError) in
                _ = try POSIX.listDirectory(missing)
            }
            self.expectFailure(.notFound, "open", missing, .noSuchFileOrDirectory) { () throws(StoreError) in
                try POSIX.syncDirectory(missing)
            }
            guard case .failure(let error) = POSIX.identity(ofPath: missing) else {
                Issue.record("stat of a missing file succeeded")
                return
            }
            self.expect(error, .notFound, "stat", missing, .noSuchFileOrDirectory)
            #expect(POSIX.signature(ofPath: missing) == nil)
            // Only where a missing file is a state of its own is it `.notFound`; elsewhere it is an I/O error.
            let renamed = missing + "-2"
            self.expectFailure(.io, "rename to \(renamed)", missing, .noSuchFileOrDirectory) { () throws(StoreError) in
                try POSIX.rename(missing, to: renamed)
            }
        }
    }

    @Test func aLargeFileIsRemovedGraduallyAndAMissingOneIsFine() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("journal-1.jsonl").path
            try Data(repeating: 0x61, count: 20 << 20 | 5).write(to: URL(fileURLWithPath: path))
            try POSIX.removeGradually(path, step: 8 << 20, sync: true)
            #expect(!FileManager.default.fileExists(atPath: path))
            try POSIX.removeGradually(path, step: 8 << 20, sync: true)
            let small = directory.appendingPathComponent("snapshot-1.json").path
            try Data("{}".utf8).write(to: URL(fileURLWithPath: small))
            try POSIX.removeGradually(small, step: 8 << 20, sync: false)
            #expect(!FileManager.default.fileExists(atPath: small))
        }
    }

    /// An immutable file (`chattr +i`, refused even to root) cannot be opened to be cut down: the error names the
    /// call and the file, and the file is all there. Skipped where the file system has no such attribute.
    @Test func aFileThatCannotBeCutDownIsReportedAndKept() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("journal-1.jsonl").path
            let bytes = Data(repeating: 0x62, count: 3 << 20)
            try bytes.write(to: URL(fileURLWithPath: path))
            guard Self.chattr("+i", path) else {
                print("chattr +i is not possible here; aFileThatCannotBeCutDownIsReportedAndKept skipped")
                return
            }
            defer { _ = Self.chattr("-i", path) }
            do throws(StoreError) {
                try POSIX.removeGradually(path, step: 1 << 20, sync: true)
                Issue.record("an immutable file was cut down or removed")
            } catch {
                #expect(error.message.contains("open"), "\(error.message)")
                #expect(error.path == path)
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        }
    }

    static func chattr(_ flag: String, _ path: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [flag, path]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test func failedCallsNameTheCallThePathAndTheReason() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("file").path
            try Data("x".utf8).write(to: URL(fileURLWithPath: file))
            let folder = directory.path
            // Reading, writing or removing a directory; listing or syncing a file as one.
            self.expectFailure(.io, "read", folder, .isDirectory) { () throws(StoreError) in
                _ = try POSIX.readFile(folder)
            }
            self.expectFailure(.io, "open", folder, .isDirectory) { () throws(StoreError) in
                _ = try POSIX.open(folder, .writeOnly)
            }
            self.expectFailure(.io, "unlink", folder, .isDirectory) { () throws(StoreError) in
                try POSIX.remove(folder)
            }
            self.expectFailure(.io, "opendir", file, .notDirectory) { () throws(StoreError) in
                _ = try POSIX.listDirectory(file)
            }
            self.expectFailure(.io, "open", file, .notDirectory) { () throws(StoreError) in
                try POSIX.syncDirectory(file)
            }
            // A pipe is no file: it cannot be synced or truncated, and its reading end cannot be written.
            try self.withPipe { reading, writing in
                self.expectFailure(.io, "fsync", "pipe", .invalidArgument) { () throws(StoreError) in
                    try POSIX.syncData(reading, path: "pipe")
                }
                self.expectFailure(.io, "ftruncate", "pipe", .invalidArgument) { () throws(StoreError) in
                    try POSIX.truncate(writing, to: 0, path: "pipe")
                }
                self.expectFailure(.io, "write", "pipe", .badFileDescriptor) { () throws(StoreError) in
                    try Array("x".utf8).withBytes { raw throws(StoreError) in
                        try POSIX.writeAll(reading, raw, at: nil, path: "pipe")
                    }
                }
            }
        }
    }

    #if os(Linux)
    /// An `O_PATH` descriptor names a file without opening it: every call on its content fails.
    @Test func callsOnADescriptorThatCannotTakeThemFail() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("file").path
            try Data("x".utf8).write(to: URL(fileURLWithPath: path))
            // O_PATH, which the Glibc module does not export (the same value on every Linux architecture we run).
            let pathOnly: Int32 = 0o10_000_000
            let handle = FileDescriptor(rawValue: try POSIX.open(path, pathOnly))
            defer { POSIX.close(handle) }
            self.expectFailure(.io, "flock", path, .badFileDescriptor) { () throws(StoreError) in
                _ = try POSIX.lockExclusively(handle, wait: true, path: path)
            }
            self.expectFailure(.io, "fchmod", path, .badFileDescriptor) { () throws(StoreError) in
                try POSIX.setPermissions(handle, .ownerReadWrite, path: path)
            }
            self.expectFailure(.io, "fsync", path, .badFileDescriptor) { () throws(StoreError) in
                try POSIX.syncData(handle, path: path)
            }
            // A directory whose entries cannot be synced (procfs).
            self.expectFailure(.io, "fsync of the directory", "/proc/self", .invalidArgument) { () throws(StoreError) in
                try POSIX.syncDirectory("/proc/self")
            }
        }
    }
    #endif
}
