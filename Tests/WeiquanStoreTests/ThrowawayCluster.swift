import Foundation
import WeiquanTestSupport

/// A PostgreSQL cluster of one test's own, run by `scripts/test-postgres.sh` with a state file of its own.
struct ThrowawayCluster {
    /// The state file the script keeps the cluster's URL in (and, beside it, its directory).
    var stateFile: String
    /// The cluster's URL, once started.
    var url: String
    /// The process the cluster is for (`WEIQUAN_TEST_POSTGRES_OWNER`): this test process unless a test says.
    var owner: Int32
    /// Where the script makes the cluster's directory (`TMPDIR`); the system's unless a test says.
    var temporaryDirectory: String?

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/test-postgres.sh").path

    /// Starts a cluster; stops it again if starting fails half-way.
    static func start(owner: Int32 = getpid(), temporaryDirectory: String? = nil) async throws -> ThrowawayCluster {
        let stateFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("weiquan-test-cluster-\(UUID().uuidString).url").path
        var cluster = ThrowawayCluster(
            stateFile: stateFile, url: "", owner: owner, temporaryDirectory: temporaryDirectory)
        do {
            cluster.url = try await cluster.run("start").trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            _ = try? await cluster.run("stop")
            throw error
        }
        return cluster
    }

    /// The cluster's directory, as the script recorded it beside the state file.
    var directory: String {
        get throws {
            try String(contentsOfFile: self.stateFile + ".directory", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Runs the script with `command`; returns what it printed to its standard output.
    @discardableResult
    func run(_ command: String) async throws -> String {
        let (status, output, errors) = try await self.runReportingErrors(command)
        guard status == 0 else {
            throw TestPostgresError("scripts/test-postgres.sh \(command) exited with \(status): \(output) \(errors)")
        }
        return output
    }

    /// Runs the script with `command`: its exit status, standard output and standard error.
    func runReportingErrors(_ command: String) async throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [ThrowawayCluster.script, command]
        var environment = ProcessInfo.processInfo.environment
        environment["WEIQUAN_TEST_POSTGRES_STATE"] = self.stateFile
        environment["WEIQUAN_TEST_POSTGRES_OWNER"] = String(self.owner)
        if let temporaryDirectory = self.temporaryDirectory {
            environment["TMPDIR"] = temporaryDirectory
        }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return (
            status,
            String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
            String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        )
    }
}
