import Foundation

/// Paths inside the repository, found from this file's location, so tests can read shipped data.
enum RepositoryPaths {
    /// The repository root (the directory holding `Package.swift`).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // WeiquanCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// A path relative to the repository root, e.g. `intents/evaluation.tsv`.
    static func url(_ relativePath: String) -> URL {
        self.root.appendingPathComponent(relativePath)
    }
}
