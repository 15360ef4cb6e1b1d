import Foundation
import Testing
import WeiquanPostgres
import WeiquanTestSupport

@testable import WeiquanStore

/// A typed document for the tests.
struct Note: StoredDocument, Equatable {
    static let collection = "notes"
    var id: String
    var schemaVersion = 1
    var text: String
    var created: Date
    var tags: [String] = []

    var documentID: String { self.id }
}

/// A second collection, for multi-document writes.
struct Tally: StoredDocument, Equatable {
    static let collection = "tallies"
    var id: String
    var value: Int

    var documentID: String { self.id }
}

/// The implementations the contract tests run against: PostgreSQL only when a server is given or required (see
/// `TestPostgres`), each test on a database of its own.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case file
    case postgres

    static var allCases: [StoreKind] {
        TestPostgres.shouldRun ? [.memory, .file, .postgres] : [.memory, .file]
    }

    /// Whether the store returns a document's bytes as written; PostgreSQL's jsonb keeps the JSON value instead
    /// (keys reordered, spacing and number spelling normalised).
    var keepsBytes: Bool { self != .postgres }

    var testDescription: String { self.rawValue }
}

/// A fresh directory under the system's temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("weiquan-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// A new, empty store of `kind` (a file store in its own temporary directory), closed afterwards.
func withStore(_ kind: StoreKind, _ body: (any DocumentStore) async throws -> Void) async throws {
    switch kind {
    case .memory:
        try await body(MemoryDocumentStore())
    case .file:
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory.appendingPathComponent("data"))
            try await body(store)
            try await store.close()
        }
    case .postgres:
        try await TestPostgres.withRunningDatabase { database in
            let store = PostgresDocumentStore(database: database)
            try await store.migrate()
            try await body(store)
        }
    }
}

/// Whether a store returned the document `expected`: the same bytes, or the same JSON value from a store that does
/// not keep bytes (PostgreSQL).
func stored(_ actual: Data?, is expected: String, in kind: StoreKind) -> Bool {
    guard let actual else {
        return false
    }
    if kind.keepsBytes {
        return actual == json(expected)
    }
    return sameJSON(actual, json(expected))
}

/// Whether two JSON texts hold the same value (keys in any order, numbers by value).
func sameJSON(_ left: Data, _ right: Data) -> Bool {
    guard let left = try? JSONSerialization.jsonObject(with: left, options: [.fragmentsAllowed]) as? NSObject,
        let right = try? JSONSerialization.jsonObject(with: right, options: [.fragmentsAllowed]) as? NSObject
    else {
        return false
    }
    return left.isEqual(right)
}

/// JSON bytes from a literal.
func json(_ text: String) -> Data {
    Data(text.utf8)
}

/// A put of raw JSON text.
func put(_ collection: String, _ id: String, _ text: String) -> DocumentChange {
    DocumentChange(collection: collection, id: id, json: json(text))
}

/// Every document of every listed collection, as text, for comparing whole states.
func contents(of store: any DocumentStore, collections: [String]) async throws -> [String: [String: String]] {
    var result: [String: [String: String]] = [:]
    for collection in collections {
        var documents: [String: String] = [:]
        for (id, json) in try await store.documents(collection: collection) {
            documents[id] = String(decoding: json, as: UTF8.self)
        }
        result[collection] = documents
    }
    return result
}

/// The names in a directory, sorted, without the writer's lock file.
func storeFileNames(in directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "LOCK" }.sorted()
}

/// A file's bytes.
func bytes(of url: URL) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: url))
}

/// Appends bytes to a file.
func append(_ extra: [UInt8], to url: URL) throws {
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(extra))
}

/// The lines of a journal (without their line feeds).
func journalLines(_ url: URL) throws -> [String] {
    String(decoding: try Data(contentsOf: url), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        .map(String.init).filter { !$0.isEmpty }
}

/// Writes lines back as a journal (each with its line feed).
func writeJournal(_ lines: [String], to url: URL) throws {
    try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: url)
}

/// A date with whole milliseconds, which survives the store's date format unchanged.
func date(_ milliseconds: Int64) -> Date {
    Date(timeIntervalSince1970: Double(milliseconds) / 1000)
}

/// Runs `body` and returns the `StoreError` it threw (failing the test if it threw nothing or something else).
func storeError(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> StoreError? {
    do {
        try await body()
        Issue.record("expected a StoreError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        Issue.record("expected a StoreError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
