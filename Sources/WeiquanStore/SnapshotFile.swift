import Foundation
import SystemPackage

/// `snapshot-<g>.json`: the whole state when generation g began, one document per line so that `cat`,
/// `grep` and `jq` all work on it:
///
/// ```
/// {"schemaVersion":1,"generation":2,"seq":1234,"collections":{
/// "cases":{
/// "WQ20240501001":{…},
/// "WQ20240501002":{…}
/// },
/// "dedupe":{
/// "m-123":{…}
/// }
/// }}
/// ```
///
/// `seq` is the sequence number of the last write it includes; the journals that follow continue from
/// there. Collections and ids are in ascending order.
enum SnapshotFile {
    /// The version of this layout; a snapshot with another one is refused.
    static let schemaVersion = 1

    /// What a snapshot holds.
    struct Contents: Sendable {
        var generation: Int
        var sequence: Int
        var collections: [String: DocumentCollection]
    }

    /// Writes a snapshot to `path` (a temporary name), then syncs it (when `sync`) before returning.
    ///
    /// With `sync` and a positive `syncEvery`, the file is also synced each time that many bytes more have been
    /// written. A snapshot synced once, at its end, makes the file system's commit carry all of it, and on ext4
    /// the journal's own syncs wait behind those tens of megabytes (40-60 ms here for 100 MB, against under 15 ms
    /// when synced every 2 MB): that pause was the fixed-rate tail after a full-load phase.
    ///
    /// - Returns: how many syncs were made before the final one.
    @discardableResult
    static func write(
        _ table: DocumentTable,
        generation: Int,
        sequence: Int,
        to path: String,
        sync: Bool,
        syncEvery: Int = 0
    ) throws(StoreError) -> Int {
        let file = try POSIX.open(path, .writeOnly, options: [.create, .truncate])
        defer { POSIX.close(file) }
        var output = ChunkedOutput(file: file, path: path, syncEvery: sync ? syncEvery : 0)
        output.buffer.append(contentsOf: #"{"schemaVersion":"#.utf8)
        JSONOutput.appendInteger(SnapshotFile.schemaVersion, to: &output.buffer)
        output.buffer.append(contentsOf: #","generation":"#.utf8)
        JSONOutput.appendInteger(generation, to: &output.buffer)
        output.buffer.append(contentsOf: #","seq":"#.utf8)
        JSONOutput.appendInteger(sequence, to: &output.buffer)
        output.buffer.append(contentsOf: #","collections":{"#.utf8)
        output.buffer.append(ASCII.lineFeed)
        let names = table.collections.keys.sorted()
        for (collectionIndex, name) in names.enumerated() {
            guard let documents = table.collections[name] else {
                continue
            }
            JSONOutput.appendString(name, to: &output.buffer)
            output.buffer.append(contentsOf: ":{\n".utf8)
            var remaining = documents.count
            try documents.forEachInIDOrder { (id, json) throws(StoreError) in
                JSONOutput.appendString(utf8: id, to: &output.buffer)
                output.buffer.append(ASCII.colon)
                output.buffer.append(contentsOf: json)
                remaining -= 1
                if remaining > 0 {
                    output.buffer.append(ASCII.comma)
                }
                output.buffer.append(ASCII.lineFeed)
                try output.flushIfFull()
            }
            output.buffer.append(ASCII.closeBrace)
            if collectionIndex + 1 < names.count {
                output.buffer.append(ASCII.comma)
            }
            output.buffer.append(ASCII.lineFeed)
        }
        output.buffer.append(contentsOf: "}}\n".utf8)
        try output.flush()
        if sync {
            try POSIX.syncData(file, path: path)
        }
        return output.syncs
    }

    /// Parses a snapshot read from `path` (named in errors).
    static func parse(_ bytes: [UInt8], path: String) throws(StoreError) -> Contents {
        let result: Result<Contents, StoreError> = bytes.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw)
            do {
                return .success(try SnapshotFile.parse(&scanner, path: path))
            } catch let error as StoreError {
                return .failure(error)
            } catch let error as JSONSyntaxError {
                return .failure(SnapshotFile.damaged(path, raw, error))
            } catch {
                return .failure(StoreError(code: .corrupt, message: "\(path) cannot be read: \(error)", path: path))
            }
        }
        return try result.get()
    }

    private static func parse(_ scanner: inout JSONScanner, path: String) throws -> Contents {
        scanner.skipWhitespace()
        try scanner.expect(ASCII.openBrace, "'{'")
        var generation: Int?
        var sequence: Int?
        var collections: [String: DocumentCollection]?
        var isFirst = true
        while let key = try scanner.nextMember(isFirst: &isFirst) {
            switch key {
            case "schemaVersion":
                let version = try scanner.readInteger()
                guard version == SnapshotFile.schemaVersion else {
                    throw StoreError(
                        code: .unsupportedVersion,
                        message: "\(path) has schemaVersion \(version); this version of the store reads "
                            + "\(SnapshotFile.schemaVersion) only",
                        path: path
                    )
                }
            case "generation":
                generation = try scanner.readInteger()
            case "seq":
                sequence = try scanner.readInteger()
            case "collections":
                collections = try SnapshotFile.parseCollections(&scanner)
            default:
                try scanner.skipValue(depth: 1)
            }
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else {
            throw scanner.failure("more after the snapshot object")
        }
        guard let generation, let sequence, let collections else {
            throw JSONSyntaxError(offset: 0, reason: "the snapshot lacks \"generation\", \"seq\" or \"collections\"")
        }
        return Contents(generation: generation, sequence: sequence, collections: collections)
    }

    /// The collections, each document's JSON copied straight into the collection's chunks (no `Data` each on the
    /// way: the largest stores would have held their documents twice while starting).
    private static func parseCollections(
        _ scanner: inout JSONScanner
    ) throws(JSONSyntaxError) -> [String: DocumentCollection] {
        try scanner.expect(ASCII.openBrace, "'{'")
        var collections: [String: DocumentCollection] = [:]
        var isFirstCollection = true
        while let name = try scanner.nextMember(isFirst: &isFirstCollection) {
            let nameOffset = scanner.index
            try scanner.expect(ASCII.openBrace, "a collection object")
            var documents = DocumentCollection()
            var isFirst = true
            while let id = try scanner.nextMember(isFirst: &isFirst) {
                let range = try scanner.readObjectRange()
                guard documents.put(bytes: UnsafeRawBufferPointer(rebasing: scanner.bytes[range]), id: id) else {
                    throw JSONSyntaxError(
                        offset: range.lowerBound, reason: "document id \(JSONOutput.string(id)) appears twice")
                }
            }
            guard collections.updateValue(documents, forKey: name) == nil else {
                throw JSONSyntaxError(offset: nameOffset, reason: "collection \(JSONOutput.string(name)) appears twice")
            }
        }
        return collections
    }

    /// The error for a snapshot that does not parse: file, line and byte.
    private static func damaged(_ path: String, _ raw: UnsafeRawBufferPointer, _ error: JSONSyntaxError) -> StoreError {
        let offset = min(error.offset, raw.count)
        let line = raw[..<offset].reduce(1) { $1 == ASCII.lineFeed ? $0 + 1 : $0 }
        return StoreError(
            code: .corrupt,
            message: "\(path) is damaged at line \(line) (byte \(error.offset)): \(error.reason); "
                + "the store was not opened",
            path: path
        )
    }
}

/// A byte buffer written to a file in chunks of about a megabyte.
private struct ChunkedOutput {
    let file: FileDescriptor
    let path: String
    var buffer: [UInt8] = []
    /// Bytes between syncs while writing; 0 for none.
    let syncEvery: Int
    /// Bytes written since the last sync.
    private var unsynced = 0
    /// How many syncs were made while writing.
    private(set) var syncs = 0

    init(file: FileDescriptor, path: String, syncEvery: Int) {
        self.file = file
        self.path = path
        self.syncEvery = syncEvery
        self.buffer.reserveCapacity(1 << 20 + 64 << 10)
    }

    mutating func flushIfFull() throws(StoreError) {
        if self.buffer.count >= 1 << 20 {
            try self.flush()
        }
    }

    mutating func flush() throws(StoreError) {
        let file = self.file
        let path = self.path
        try self.buffer.withBytes { raw throws(StoreError) in
            try POSIX.writeAll(file, raw, at: nil, path: path)
        }
        self.unsynced += self.buffer.count
        self.buffer.removeAll(keepingCapacity: true)
        if self.syncEvery > 0 && self.unsynced >= self.syncEvery {
            try POSIX.syncData(file, path: path)
            self.unsynced = 0
            self.syncs += 1
        }
    }
}
