import Foundation

/// The documents of a `FileDocumentStore` in memory, behind a lock: readers on any thread, the writer
/// thread applying each committed batch.
final class StoreState: @unchecked Sendable {
    private let lock = NSLock()
    private var table: DocumentTable
    private var isClosed = false
    private let directory: String

    init(table: DocumentTable, directory: String) {
        self.table = table
        self.directory = directory
    }

    /// Runs `body` on the table, or throws `.closed` after `close()`.
    func read<T>(_ body: (inout DocumentTable) -> T) throws(StoreError) -> T {
        self.lock.lock()
        defer { self.lock.unlock() }
        guard !self.isClosed else {
            throw self.closedError()
        }
        return body(&self.table)
    }

    /// Changes the table (the writer thread, after a batch is durable).
    func update(_ body: (inout DocumentTable) -> Void) {
        self.lock.lock()
        defer { self.lock.unlock() }
        body(&self.table)
    }

    /// Runs `body` on the table even after `close()` (the writer thread, checking a batch before committing it).
    func inspect<T, Failure: Error>(_ body: (DocumentTable) throws(Failure) -> T) throws(Failure) -> T {
        self.lock.lock()
        defer { self.lock.unlock() }
        return try body(self.table)
    }

    /// The documents now (a copy-on-write copy: cheap, and later changes copy one shard at a time).
    func snapshot() -> DocumentTable {
        self.lock.lock()
        defer { self.lock.unlock() }
        return self.table
    }

    /// Throws `.closed` after `close()`.
    func ensureOpen() throws(StoreError) {
        self.lock.lock()
        defer { self.lock.unlock() }
        if self.isClosed {
            throw self.closedError()
        }
    }

    /// Refuses every later read.
    func close() {
        self.lock.lock()
        defer { self.lock.unlock() }
        self.isClosed = true
    }

    func closedError() -> StoreError {
        StoreError(code: .closed, message: "the store at \(self.directory) was closed", path: self.directory)
    }
}
