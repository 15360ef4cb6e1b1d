import Foundation
import Testing
import WeiquanTestSupport

/// `scripts/test-postgres.sh sweep`, which `scripts/test.sh` runs first: the clusters of test runs that died
/// without stopping theirs are stopped and deleted; every other cluster is left alone. Each test sweeps a
/// temporary directory of its own, so that it never sees the suite's cluster or another run's.
@Suite struct TestPostgresSweepTests {
    @Test(.postgres) func aClusterWhoseRunDiedIsStoppedAndDeletedWhileALiveRunsIsLeft() async throws {
        let temporary = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let orphan = try await ThrowawayCluster.start(
            owner: try await Self.endedProcessID(), temporaryDirectory: temporary)
        let kept: ThrowawayCluster
        do {
            kept = try await ThrowawayCluster.start(temporaryDirectory: temporary)
        } catch {
            _ = try? await orphan.run("stop")
            throw error
        }
        do {
            let orphanDirectory = try orphan.directory
            let orphanServer = try Self.serverProcessID(in: orphanDirectory)
            let keptDirectory = try kept.directory
            let keptServer = try Self.serverProcessID(in: keptDirectory)
            #expect(Self.isRunning(orphanServer) && Self.isRunning(keptServer))

            let sweep = try await kept.runReportingErrors("sweep")
            #expect(sweep.status == 0, "\(sweep.errors)")
            #expect(sweep.errors.contains("swept \(orphanDirectory)"), "\(sweep.errors)")
            #expect(!sweep.errors.contains(keptDirectory), "\(sweep.errors)")
            #expect(!Self.isRunning(orphanServer))
            #expect(!FileManager.default.fileExists(atPath: orphanDirectory))
            #expect(!FileManager.default.fileExists(atPath: orphan.stateFile))
            #expect(!FileManager.default.fileExists(atPath: orphan.stateFile + ".directory"))
            #expect(Self.isRunning(keptServer))
            #expect(FileManager.default.fileExists(atPath: keptDirectory + "/data/PG_VERSION"))
            #expect(try String(contentsOfFile: kept.stateFile, encoding: .utf8).contains(kept.url))
        } catch {
            _ = try? await orphan.run("stop")
            _ = try? await kept.run("stop")
            throw error
        }
        _ = try? await orphan.run("stop")
        try await kept.run("stop")
    }

    /// A directory without an owner (a cluster started by hand, or by an older script), with an owner that is not
    /// a process id, or whose owner lives is not the sweep's to delete; nothing needs PostgreSQL here.
    @Test func directoriesWithoutADeadOwnerAreLeftAlone() async throws {
        let temporary = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let owners: [String: String?] = [
            "none": nil, "text": "postgres", "zero": "0", "live": String(getpid()),
        ]
        for (name, owner) in owners {
            let directory = temporary + "/weiquan-test-postgres.\(name)"
            try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
            if let owner {
                try Data((owner + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/owner"))
            }
        }
        let sweeper = ThrowawayCluster(
            stateFile: temporary + "/unused.url", url: "", owner: getpid(), temporaryDirectory: temporary)
        let sweep = try await sweeper.runReportingErrors("sweep")
        #expect(sweep.status == 0, "\(sweep.errors)")
        #expect(sweep.errors.isEmpty)
        for name in owners.keys {
            let directory = temporary + "/weiquan-test-postgres.\(name)"
            #expect(FileManager.default.fileExists(atPath: directory + "/data"), "\(name)")
        }
    }

    /// A directory the cluster's server (the `postgres` user when the tests run as root) can reach, with a short
    /// name: the server's socket path below it must stay under 108 bytes.
    static func makeTemporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("weiquan-sweep-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        return path
    }

    /// The id of a process that has ended (and been reaped): what a crashed test run leaves as a cluster's owner.
    static func endedProcessID() async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return process.processIdentifier
    }

    /// The server's process id, the first line of its `postmaster.pid`.
    static func serverProcessID(in directory: String) throws -> Int32 {
        let text = try String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8)
        return try #require(text.split(separator: "\n").first.flatMap { Int32($0) })
    }

    /// Whether process `id` exists and has not exited (a zombie waiting for its parent counts as gone).
    static func isRunning(_ id: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(id)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        // After the command's name in parentheses: a space, then the state letter.
        let state = stat[close...].dropFirst(2).first
        return state != "Z" && state != "X"
    }
}
