import Foundation
import WeiquanCore
@testable import WeiquanRegistry

/// The export files under `Fixtures/` and quick ways to import them.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: self.directory.appendingPathComponent(name)))
    }

    static let asOf = CalendarDay(year: 2026, month: 11, day: 1)!
    static let today = CalendarDay(year: 2026, month: 11, day: 30)!

    /// Reads bytes as a file of that name and gives the report and the batch.
    static func read(
        _ bytes: [UInt8], file: String, asOf: CalendarDay? = Fixtures.asOf
    ) throws -> (RegistryImportReport, RegistryBatch) {
        var builder = RegistryBatchBuilder()
        let format = RegistryFileFormat(fileName: file) ?? .csv
        let report = try RegistryImporter(currentYear: 2026).read(
            bytes, file: file, format: format, asOf: asOf, into: &builder)
        return (report, builder.finish())
    }

    /// Reads a fixture.
    static func read(_ name: String, asOf: CalendarDay? = Fixtures.asOf) throws -> (RegistryImportReport, RegistryBatch)
    {
        try self.read(try self.bytes(name), file: name, asOf: asOf)
    }

    /// A CSV file's bytes from lines.
    static func csv(_ lines: [String]) -> [UInt8] {
        Array((lines.joined(separator: "\n") + "\n").utf8)
    }
}
