import Foundation
import WeiquanCore

/// Reads registry exports (legal-status.md §1) into a ``RegistryBatchBuilder`` and says what it did with every row.
///
/// A row is refused — listed in the report with its line and the reason, never guessed — when its number is not a
/// valid number (a wrong check digit), a date cannot be read, or a patent event's wording is neither in the
/// vocabulary nor has a known code. Everything else in the file is still imported.
public struct RegistryImporter: Sendable {
    /// The year now, bounding the year in 12-digit application numbers.
    public var currentYear: Int
    /// Reads what patent events mean, to refuse wordings nobody knows.
    public var classifier = PatentEventClassifier()

    public init(currentYear: Int) {
        self.currentYear = currentYear
    }

    /// Imports one file's bytes.
    ///
    /// - Parameters:
    ///   - asOf: the day the data was taken from the official source; when nil, every row needs an as-of column.
    /// - Throws: ``RegistryImportError`` when the file as a whole cannot be read (no number column, broken JSON,
    ///   an encoding that is neither UTF-8 nor GBK).
    package func read(
        _ bytes: [UInt8], file: String, format: RegistryFileFormat, asOf: CalendarDay?,
        into builder: inout RegistryBatchBuilder
    ) throws(RegistryImportError) -> RegistryImportReport {
        switch format {
        case .csv:
            let (text, encoding) = try TextDecoding.utf8(bytes)
            var report = RegistryImportReport(file: file, format: format.rawValue, encoding: encoding)
            var reader = DelimitedText(text)
            guard let header = reader.next() else { throw RegistryImportError("\(file) is empty") }
            let columns = Self.columns(header.fields, report: &report)
            var rows = RowReader(importer: self, asOf: asOf, columns: Set(columns.compactMap { $0 }))
            try rows.checkColumns(file: file)
            while let record = reader.next() {
                var values: [RegistryField: String] = [:]
                for (index, field) in columns.enumerated() {
                    guard let field, field != .ignored, index < record.fields.count else { continue }
                    values[field] = record.fields[index]
                }
                rows.take(values, line: record.line, report: &report, builder: &builder)
            }
            rows.finish(&report)
            return report
        case .json, .jsonl:
            let text = try TextDecoding.utf8(bytes).bytes
            var report = RegistryImportReport(file: file, format: format.rawValue, encoding: .utf8)
            let objects = try Self.objects(text, format: format, file: file)
            var columns: Set<RegistryField> = []
            var unknown: Set<String> = [], ignored: Set<String> = []
            var flattened: [(values: [RegistryField: String], line: Int)] = []
            for (object, line) in objects {
                for row in Self.flatten(object) {
                    var values: [RegistryField: String] = [:]
                    for (name, value) in row {
                        switch RegistryField.field(named: name) {
                        case nil: unknown.insert(name)
                        case .ignored: ignored.insert(name)
                        case let field?:
                            columns.insert(field)
                            values[field] = value
                        }
                    }
                    flattened.append((values, line))
                }
            }
            report.unknownColumns = unknown.sorted()
            report.ignoredColumns = ignored.sorted()
            var rows = RowReader(importer: self, asOf: asOf, columns: columns)
            try rows.checkColumns(file: file)
            for (values, line) in flattened {
                rows.take(values, line: line, report: &report, builder: &builder)
            }
            rows.finish(&report)
            return report
        }
    }

    /// The field of each header column (nil: unknown), noting unknown and ignored columns in the report.
    static func columns(_ header: [String], report: inout RegistryImportReport) -> [RegistryField?] {
        var seen: Set<RegistryField> = []
        return header.map { name in
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let field = RegistryField.field(named: trimmed) else {
                if !trimmed.isEmpty { report.unknownColumns.append(trimmed) }
                return nil
            }
            if field == .ignored {
                report.ignoredColumns.append(trimmed)
                return field
            }
            // Two columns for one field (申请人 and 专利权人): the first is read, the other reported.
            guard seen.insert(field).inserted else {
                report.ignoredColumns.append(trimmed)
                return nil
            }
            return field
        }
    }

    /// The objects of a JSON or JSON Lines file, with their line (JSON Lines) or position (JSON).
    static func objects(
        _ bytes: [UInt8], format: RegistryFileFormat, file: String
    ) throws(RegistryImportError) -> [([String: Any], Int)] {
        do {
            switch format {
            case .jsonl:
                var objects: [([String: Any], Int)] = []
                var line = 0
                for slice in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                    line += 1
                    guard slice.contains(where: { $0 > 0x20 }) else { continue }
                    guard let object = try JSONSerialization.jsonObject(with: Data(slice)) as? [String: Any] else {
                        throw RegistryImportError("\(file) line \(line) is not a JSON object")
                    }
                    objects.append((object, line))
                }
                return objects
            default:
                let top = try JSONSerialization.jsonObject(with: Data(bytes))
                let list =
                    (top as? [Any]) ?? ((top as? [String: Any])?["records"] as? [Any])
                    ?? ((top as? [String: Any])?["rows"] as? [Any])
                guard let list else {
                    throw RegistryImportError("\(file) holds neither an array nor {\"records\": [...]}")
                }
                return try list.enumerated().map { (offset, item) throws(RegistryImportError) in
                    guard let object = item as? [String: Any] else {
                        throw RegistryImportError("\(file) entry \(offset + 1) is not a JSON object")
                    }
                    return (object, offset + 1)
                }
            }
        } catch let error as RegistryImportError {
            throw error
        } catch {
            throw RegistryImportError("\(file) is not valid JSON: \(error.localizedDescription)")
        }
    }

    /// A right's object as rows: its own fields, once per nested event or flow row (or once without any).
    static func flatten(_ object: [String: Any]) -> [[String: String]] {
        var own: [String: String] = [:]
        var nested: [[String: Any]] = []
        for (name, value) in object {
            if name == "events" || name == "flow", let list = value as? [Any] {
                nested += list.compactMap { $0 as? [String: Any] }
            } else if let text = Self.text(value) {
                own[name] = text
            }
        }
        guard !nested.isEmpty else { return [own] }
        return nested.map { child in
            var row = own
            for (name, value) in child { if let text = Self.text(value) { row[name] = text } }
            return row
        }
    }

    private static func text(_ value: Any) -> String? {
        switch value {
        case let string as String: string
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }
}
