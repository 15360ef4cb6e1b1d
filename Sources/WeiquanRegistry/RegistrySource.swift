import Foundation
import WeiquanStore

/// One imported export, as the registry's manifest lists it: its name, the day its data was taken, where its
/// compact data is kept and what it held.
public struct RegistrySource: StoredDocument, Equatable {
    public static var collection: String { "registry-sources" }
    public var documentID: String { self.name }

    /// The layout version of this entry.
    public static let currentSchemaVersion = 1
    public var schemaVersion = Self.currentSchemaVersion
    /// The source's name (by default the file's name without its extension); importing again under the same name
    /// replaces it.
    public var name: String
    /// The day the data was taken from the official source, `yyyy-MM-dd`; nil when its rows carry their own.
    public var asOf: String?
    /// The lowercase hex SHA-256 of the compact data (where it is kept).
    public var dataSHA256: String
    /// The lowercase hex SHA-256 of the file imported: the same file again (same as-of day) changes nothing.
    public var fileSHA256: String
    /// The file as given to the import.
    public var file: String
    public var importedAt: Date
    public var patents: Int
    public var trademarks: Int
    public var events: Int
    public var flowRows: Int
    public var rowsRefused: Int

    public init(
        name: String, asOf: String?, dataSHA256: String, fileSHA256: String, file: String, importedAt: Date,
        report: RegistryImportReport
    ) {
        self.name = name
        self.asOf = asOf
        self.dataSHA256 = dataSHA256
        self.fileSHA256 = fileSHA256
        self.file = file
        self.importedAt = importedAt
        self.patents = report.patents
        self.trademarks = report.trademarks
        self.events = report.events
        self.flowRows = report.flowRows
        self.rowsRefused = report.rowsRefused
    }

    enum CodingKeys: String, CodingKey {
        case name, file, patents, trademarks, events
        case schemaVersion = "schema_version"
        case asOf = "as_of"
        case dataSHA256 = "data_sha256"
        case fileSHA256 = "file_sha256"
        case importedAt = "imported_at"
        case flowRows = "flow_rows"
        case rowsRefused = "rows_refused"
    }
}
