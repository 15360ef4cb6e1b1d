import Foundation

/// What recovery found in a store directory, and where a writer goes on from.
struct RecoveredStore: Sendable {
    /// The recovered documents.
    var table: DocumentTable
    /// What was found, for the caller.
    var report: RecoveryReport
    /// The generation of the snapshot loaded; nil when the directory held no snapshot (a new store).
    var snapshotGeneration: Int?
    /// The sequence number of the last write recovered (0 for a new store).
    var lastSequence: Int
    /// The generations of the journals replayed, ascending: the snapshot's own, then any started by a
    /// compaction that did not finish. Empty when the snapshot's journal does not exist yet.
    var journalChain: [Int]
    /// The length of the last journal without its torn tail (where a writer appends next).
    var lastJournalValidLength: Int
    /// The length the last journal had when read.
    var lastJournalLength: Int
    /// Names left by an interrupted compaction, for a writer to delete: older generations, temporaries.
    var staleNames: [String]
}

/// Reads a store directory back: the newest snapshot, then its journal and any journals after it.
///
/// The rules:
/// - The newest `snapshot-<G>.json` is loaded (snapshots appear by an atomic rename after an fsync, so it
///   is complete); older generations are leftovers of a compaction that did not finish deleting them.
/// - Journals `G, G+1, …` are replayed in order (more than one only when a compaction was interrupted
///   after starting the next journal but before its snapshot was in place). Their sequence numbers must
///   continue the snapshot's `seq` without a gap; a missing journal in the run is an error.
/// - Only the very last line of the last journal may be torn (no line feed at its end, or unparseable):
///   it is dropped. A bad line anywhere else is corruption: recovery stops with the file and line.
/// - A journal without any snapshot at or before its generation is an error.
/// - A writer also checks that an older journal it is about to delete holds nothing the snapshot lacks.
enum Recovery {
    /// Recovers the store in `directory`; `forWriting` adds the checks a writer needs before deleting.
    static func load(directory: String, forWriting: Bool) throws(StoreError) -> RecoveredStore {
        let files = try StoreFiles.scan(directory)
        guard let generation = files.snapshots.last else {
            if let journal = files.journals.first {
                let path = directory + "/" + StoreFiles.journalName(journal)
                throw StoreError(
                    code: .corrupt,
                    message: "\(path) has no snapshot: there is no snapshot-*.json in \(directory), so the "
                        + "journal cannot be replayed; restore the snapshot (or move the journal away) and retry",
                    path: path
                )
            }
            return RecoveredStore(
                table: DocumentTable(),
                report: RecoveryReport(createdNewStore: true),
                snapshotGeneration: nil,
                lastSequence: 0,
                journalChain: [],
                lastJournalValidLength: 0,
                lastJournalLength: 0,
                staleNames: files.temporaries
            )
        }

        let snapshotPath = directory + "/" + StoreFiles.snapshotName(generation)
        let snapshot = try SnapshotFile.parse(try POSIX.readFile(snapshotPath), path: snapshotPath)
        guard snapshot.generation == generation else {
            throw StoreError(
                code: .corrupt,
                message: "\(snapshotPath) says it is generation \(snapshot.generation); the store was not opened",
                path: snapshotPath
            )
        }

        let chain = files.journals.filter { $0 >= generation }
        for (index, journal) in chain.enumerated() where journal != generation + index {
            let missing = directory + "/" + StoreFiles.journalName(generation + index)
            throw StoreError(
                code: .corrupt,
                message: "\(missing) is missing: \(StoreFiles.snapshotName(generation)) is followed by "
                    + chain.map(StoreFiles.journalName).joined(separator: ", ")
                    + "; the store was not opened",
                path: missing
            )
        }

        var staleNames = files.temporaries
        for older in files.journals where older < generation {
            let name = StoreFiles.journalName(older)
            if forWriting {
                try Recovery.checkCovered(directory + "/" + name, by: snapshotPath, sequence: snapshot.sequence)
            }
            staleNames.append(name)
        }
        staleNames += files.snapshots.filter { $0 < generation }.map(StoreFiles.snapshotName)

        var table = DocumentTable(collections: snapshot.collections)
        var report = RecoveryReport(generation: generation, snapshotDocuments: table.documentCount)
        var nextSequence = snapshot.sequence + 1
        var validLength = 0
        var length = 0
        for (index, journal) in chain.enumerated() {
            let name = StoreFiles.journalName(journal)
            let path = directory + "/" + name
            let bytes = try POSIX.readFile(path)
            let isLast = index == chain.count - 1
            let replay = try Recovery.replay(
                bytes, path: path, isLast: isLast, nextSequence: &nextSequence, into: &table)
            report.journalFiles.append(name)
            report.recordsReplayed += replay.records
            if isLast {
                validLength = replay.validLength
                length = bytes.count
                if replay.validLength < bytes.count {
                    report.tornBytesDropped = bytes.count - replay.validLength
                    report.tornFile = name
                }
            }
        }
        report.lastSequence = nextSequence - 1
        return RecoveredStore(
            table: table,
            report: report,
            snapshotGeneration: generation,
            lastSequence: nextSequence - 1,
            journalChain: chain,
            lastJournalValidLength: validLength,
            lastJournalLength: length,
            staleNames: staleNames
        )
    }

    /// Replays a journal's lines into `table`; returns how many, and the length without a torn tail.
    static func replay(
        _ bytes: [UInt8],
        path: String,
        isLast: Bool,
        nextSequence: inout Int,
        into table: inout DocumentTable
    ) throws(StoreError) -> (records: Int, validLength: Int) {
        try bytes.withBytes { raw throws(StoreError) -> (records: Int, validLength: Int) in
            var start = 0
            var line = 0
            var records = 0
            while start < raw.count {
                line += 1
                guard let newline = raw.index(of: ASCII.lineFeed, from: start) else {
                    guard isLast else {
                        throw StoreError(
                            code: .corrupt,
                            message: "\(path) ends in an incomplete line \(line) (byte \(start)) although a later "
                                + "journal follows it; the store was not opened",
                            path: path
                        )
                    }
                    return (records, start)
                }
                let record: JournalRecord
                do throws(JSONSyntaxError) {
                    record = try JournalRecord.parse(UnsafeRawBufferPointer(rebasing: raw[start..<newline]))
                } catch {
                    if isLast && newline + 1 == raw.count {
                        return (records, start)
                    }
                    throw StoreError(
                        code: .corrupt,
                        message: "\(path) line \(line) (byte \(start + error.offset)) is damaged: \(error.reason); "
                            + "it is not the last line, so it is not a torn write; the store was not opened",
                        path: path
                    )
                }
                guard record.sequence == nextSequence else {
                    throw StoreError(
                        code: .corrupt,
                        message: "\(path) line \(line) has seq \(record.sequence) where \(nextSequence) was expected: "
                            + "writes are missing or repeated; the store was not opened",
                        path: path
                    )
                }
                table.apply(record.changes)
                nextSequence += 1
                records += 1
                start = newline + 1
            }
            return (records, start)
        }
    }

    /// Throws unless the last complete record of an older journal is already in the snapshot (so deleting
    /// the journal loses nothing).
    private static func checkCovered(_ journalPath: String, by snapshotPath: String, sequence: Int) throws(StoreError) {
        let bytes: [UInt8]
        do throws(StoreError) {
            bytes = try POSIX.readFile(journalPath)
        } catch  where error.code == .notFound {
            return
        }
        let last: Int? = bytes.withUnsafeBytes { raw in
            guard let end = raw.lastIndex(of: ASCII.lineFeed, before: raw.count) else {
                return nil
            }
            let start = raw.lastIndex(of: ASCII.lineFeed, before: end).map { $0 + 1 } ?? 0
            return try? JournalRecord.parse(UnsafeRawBufferPointer(rebasing: raw[start..<end])).sequence
        }
        if let last, last > sequence {
            throw StoreError(
                code: .corrupt,
                message: "\(journalPath) holds writes up to seq \(last) but the newer \(snapshotPath) stops at seq "
                    + "\(sequence) and its journal does not continue them; the store was not opened, nothing was deleted",
                path: journalPath
            )
        }
    }
}

extension UnsafeRawBufferPointer {
    /// The offset of the first `byte` at or after `start`.
    func index(of byte: UInt8, from start: Int) -> Int? {
        guard let base = self.baseAddress, start < self.count,
            let found = memchr(base + start, Int32(byte), self.count - start)
        else {
            return nil
        }
        return UnsafeRawPointer(found) - base
    }

    /// The offset of the last `byte` before `end`.
    func lastIndex(of byte: UInt8, before end: Int) -> Int? {
        var position = end - 1
        while position >= 0 {
            if self[position] == byte {
                return position
            }
            position -= 1
        }
        return nil
    }
}
