/// The files of a store directory, by kind and generation:
///
/// - `snapshot-<g>.json`: the whole state when generation g began;
/// - `journal-<g>.jsonl`: the writes of generation g, one line per write;
/// - `snapshot-<g>.json.tmp`: a snapshot being written (never read; the writer deletes leftovers);
/// - `LOCK`: the writer's lock. Any other name is left alone.
struct StoreFiles: Sendable, Equatable {
    /// Snapshot generations, ascending.
    var snapshots: [Int] = []
    /// Journal generations, ascending.
    var journals: [Int] = []
    /// Names of snapshots that were being written.
    var temporaries: [String] = []

    /// Sorts a directory listing.
    init(names: [String]) {
        for name in names {
            if let generation = StoreFiles.generation(in: name, prefix: "snapshot-", suffix: ".json") {
                self.snapshots.append(generation)
            } else if let generation = StoreFiles.generation(in: name, prefix: "journal-", suffix: ".jsonl") {
                self.journals.append(generation)
            } else if StoreFiles.generation(in: name, prefix: "snapshot-", suffix: ".json.tmp") != nil {
                self.temporaries.append(name)
            }
        }
        self.snapshots.sort()
        self.journals.sort()
        self.temporaries.sort()
    }

    /// Lists a directory.
    static func scan(_ directory: String) throws(StoreError) -> StoreFiles {
        StoreFiles(names: try POSIX.listDirectory(directory))
    }

    /// `snapshot-<g>.json`.
    static func snapshotName(_ generation: Int) -> String { "snapshot-\(generation).json" }
    /// `journal-<g>.jsonl`.
    static func journalName(_ generation: Int) -> String { "journal-\(generation).jsonl" }
    /// `snapshot-<g>.json.tmp`.
    static func temporaryName(_ generation: Int) -> String { "snapshot-\(generation).json.tmp" }

    /// The generation in a name `prefix<digits>suffix` (canonical digits: no sign, no leading zero).
    static func generation(in name: String, prefix: String, suffix: String) -> Int? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix), name.utf8.count > prefix.utf8.count + suffix.utf8.count
        else {
            return nil
        }
        let digits = name.utf8.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count)
        guard digits.allSatisfy(ASCII.isDigit), digits.first != ASCII.zero || digits.count == 1 else {
            return nil
        }
        return Int(String(decoding: digits, as: UTF8.self))
    }
}
