/// The file formats `weiquan registry import` reads.
public enum RegistryFileFormat: String, Sendable, Codable, CaseIterable {
    /// Comma-, tab- or semicolon-separated, a header line first; UTF-8 or GBK.
    case csv
    /// An array of objects (or `{"records": […]}`), each a row with the CSV's column names, or a right with its
    /// `events` / `flow` rows nested.
    case json
    /// One such object per line.
    case jsonl

    /// The format a file name's extension names (`.csv`, `.tsv`, `.txt`, `.json`, `.jsonl`, `.ndjson`).
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") {
            self = .csv
        } else if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") {
            self = .jsonl
        } else if lower.hasSuffix(".json") {
            self = .json
        } else {
            return nil
        }
    }
}
