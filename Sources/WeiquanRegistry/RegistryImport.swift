import Crypto
import Foundation
import WeiquanCore
import WeiquanStore

/// `weiquan registry import`: reads one export, keeps it as a source on a shelf, and reports.
public struct RegistryImport: Sendable {
    /// What happened to the source.
    public enum Outcome: String, Sendable, Codable {
        /// Kept (new, or replacing an older version of the source).
        case imported
        /// The same file with the same as-of day was imported before under this name: nothing changed.
        case unchanged
        /// Nothing could be imported from the file (every row refused): nothing kept.
        case empty
    }

    /// What one file gave.
    public struct Result: Sendable, Codable {
        public var outcome: Outcome
        public var source: String
        public var report: RegistryImportReport
    }

    public let shelf: any RegistryShelf
    public let importer: RegistryImporter

    public init(shelf: any RegistryShelf, importer: RegistryImporter) {
        self.shelf = shelf
        self.importer = importer
    }

    /// Imports `bytes` (the file `file`) as the source `name`.
    ///
    /// - Parameters:
    ///   - format: nil: from the file name's extension.
    ///   - asOf: the day the data was taken; nil when the rows carry it (a 数据日期 column).
    public func run(
        _ bytes: [UInt8], file: String, name: String? = nil, format: RegistryFileFormat? = nil,
        asOf: CalendarDay?, now: Date
    ) async throws -> Result {
        guard let format = format ?? RegistryFileFormat(fileName: file) else {
            throw RegistryImportError(
                "cannot tell the format of \(file) from its name: give --format csv, json or jsonl")
        }
        let name = name ?? Self.sourceName(of: file)
        let fileSHA256 = BlobKey.hex(SHA256.hash(data: bytes))
        let existing = try await self.shelf.sources().first { $0.name == name }
        var builder = RegistryBatchBuilder()
        let report = try self.importer.read(bytes, file: file, format: format, asOf: asOf, into: &builder)
        if let existing, existing.fileSHA256 == fileSHA256, existing.asOf == asOf?.description {
            return Result(outcome: .unchanged, source: name, report: report)
        }
        guard report.rowsImported > 0 else { return Result(outcome: .empty, source: name, report: report) }
        let data = builder.finish().serialized()
        let source = RegistrySource(
            name: name, asOf: asOf?.description, dataSHA256: BlobKey.hex(SHA256.hash(data: data)),
            fileSHA256: fileSHA256, file: file, importedAt: now, report: report)
        try await self.shelf.keep(source, data: data)
        return Result(outcome: .imported, source: name, report: report)
    }

    /// A file's name without its folder and extension: `exports/cnipa-2026-11.csv` → `cnipa-2026-11`.
    public static func sourceName(of file: String) -> String {
        let base = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return base.isEmpty ? file : base
    }
}
