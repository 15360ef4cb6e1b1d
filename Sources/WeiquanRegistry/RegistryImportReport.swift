/// What an import did with one file: rows read, imported and refused (with line and reason), the columns it
/// did not know, and what the file held.
public struct RegistryImportReport: Sendable, Equatable, Codable {
    /// A row that was not imported.
    public struct Refusal: Sendable, Equatable, Codable {
        /// The line the row starts on (CSV), the line (JSON Lines) or the entry's position (JSON, 1-based).
        public var line: Int
        /// Why, for the person who prepares the file.
        public var reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    /// The file, as given.
    public var file: String
    /// `csv`, `json` or `jsonl`.
    public var format: String
    /// The file's encoding (CSV).
    public var encoding: RegistryTextEncoding
    /// Data rows read (a header is not counted).
    public var rowsRead = 0
    /// Rows taken in.
    public var rowsImported = 0
    /// Rows refused, in file order (the first ``refusalsKept`` only; ``rowsRefused`` counts them all).
    public var refusals: [Refusal] = []
    /// Every refused row.
    public var rowsRefused = 0
    /// Columns no alias names: not read.
    public var unknownColumns: [String] = []
    /// Columns recognised and deliberately not read (a "current status" label, facts the events give).
    public var ignoredColumns: [String] = []
    /// Distinct patents and trademarks the imported rows are about.
    public var patents = 0
    public var trademarks = 0
    /// Patent events and trademark flow rows taken in.
    public var events = 0
    public var flowRows = 0

    /// How many refusals the report lists one by one.
    public static let refusalsKept = 1_000

    public init(file: String, format: String, encoding: RegistryTextEncoding) {
        self.file = file
        self.format = format
        self.encoding = encoding
    }

    /// Records a refused row.
    public mutating func refuse(line: Int, _ reason: String) {
        self.rowsRefused += 1
        if self.refusals.count < Self.refusalsKept {
            self.refusals.append(Refusal(line: line, reason: reason))
        }
    }

    enum CodingKeys: String, CodingKey {
        case file, format, encoding, refusals, patents, trademarks, events
        case rowsRead = "rows_read"
        case rowsImported = "rows_imported"
        case rowsRefused = "rows_refused"
        case unknownColumns = "unknown_columns"
        case ignoredColumns = "ignored_columns"
        case flowRows = "flow_rows"
    }
}
