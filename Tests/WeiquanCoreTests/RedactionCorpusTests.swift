import Foundation
import Testing

@testable import WeiquanCore

/// Measures the redactor on `Tests/Fixtures/redaction-corpus.tsv`: synthetic questions written the ways people
/// write personal data, each annotated with the personal items in it, the IP numbers, case ids, dates and
/// amounts that must survive, and the values the applicant gave in the form.
///
/// Zero tolerance: every personal item must be masked wherever it appears, and every kept item must come out
/// unchanged. Precision counts the masked spans that touch no personal item (over-redaction).
@Suite struct RedactionCorpusTests {
    struct Line {
        let number: Int
        let message: String
        let personal: [String]
        let kept: [String]
        let known: [String]
    }

    static let redactor = Redactor(labels: [:])

    static func lines() throws -> [Line] {
        let text = try String(contentsOf: RepositoryPaths.url("Tests/Fixtures/redaction-corpus.tsv"), encoding: .utf8)
        var lines: [Line] = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !raw.isEmpty, !raw.hasPrefix("#") else { continue }
            var columns = raw.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            while columns.count < 4 { columns.append("") }
            let items = { (column: String) in column.split(separator: "|").map(String.init) }
            lines.append(
                Line(
                    number: offset + 1, message: columns[0].replacingOccurrences(of: "\\n", with: "\n"),
                    personal: items(columns[1]), kept: items(columns[2]), known: items(columns[3])))
        }
        return lines
    }

    /// The UTF-8 ranges where `item` occurs in `text`.
    static func occurrences(of item: String, in text: String) -> [Range<Int>] {
        let haystack = Array(text.utf8)
        let needle = Array(item.utf8)
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var ranges: [Range<Int>] = []
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            ranges.append(start..<(start + needle.count))
        }
        return ranges
    }

    /// Whether the matches cover every byte of `range`.
    static func covered(_ range: Range<Int>, by matches: [RedactionMatch]) -> Bool {
        var position = range.lowerBound
        for match in matches where match.range.lowerBound <= position && match.range.upperBound > position {
            position = match.range.upperBound
            if position >= range.upperBound { return true }
        }
        return position >= range.upperBound
    }

    @Test func corpusIsLargeAndWellFormed() throws {
        let lines = try Self.lines()
        #expect(lines.filter { !$0.personal.isEmpty }.count >= 150)
        #expect(lines.filter { $0.personal.isEmpty && $0.known.isEmpty }.count >= 30)
        for line in lines {
            for item in line.personal + line.kept {
                #expect(line.message.contains(item), "line \(line.number): '\(item)' is not in the message")
            }
        }
    }

    @Test func everyPersonalItemIsMasked() throws {
        for line in try Self.lines() {
            let matches = Self.redactor.matches(in: line.message, known: line.known)
            let redacted = Self.redactor.redact(line.message, known: line.known).text
            for item in line.personal {
                for range in Self.occurrences(of: item, in: line.message) {
                    #expect(
                        Self.covered(range, by: matches),
                        "line \(line.number): '\(item)' is not fully masked: \(redacted)")
                }
                #expect(!redacted.contains(item), "line \(line.number): '\(item)' survives: \(redacted)")
            }
        }
    }

    @Test func everyKeptItemSurvives() throws {
        for line in try Self.lines() {
            let matches = Self.redactor.matches(in: line.message, known: line.known)
            let redacted = Self.redactor.redact(line.message, known: line.known).text
            for item in line.kept {
                #expect(redacted.contains(item), "line \(line.number): '\(item)' was altered: \(redacted)")
                for range in Self.occurrences(of: item, in: line.message) {
                    let touched = matches.contains { $0.range.overlaps(range) }
                    #expect(!touched, "line \(line.number): '\(item)' was touched: \(redacted)")
                }
            }
        }
    }

    @Test func printsRecallAndPrecision() throws {
        var items = 0
        var masked = 0
        var spans = 0
        var spansOnPersonalData = 0
        var kept = 0
        var keptIntact = 0
        var byKind: [RedactionKind: Int] = [:]
        var overRedacted: [String] = []
        let lines = try Self.lines()
        for line in lines {
            let matches = Self.redactor.matches(in: line.message, known: line.known)
            let personal = line.personal.flatMap { Self.occurrences(of: $0, in: line.message) }
            for item in line.personal {
                items += 1
                if Self.occurrences(of: item, in: line.message).allSatisfy({ Self.covered($0, by: matches) }) {
                    masked += 1
                }
            }
            for match in matches {
                spans += 1
                byKind[match.kind, default: 0] += 1
                if personal.contains(where: { $0.overlaps(match.range) }) {
                    spansOnPersonalData += 1
                } else {
                    let bytes = Array(line.message.utf8)[match.range]
                    overRedacted.append("line \(line.number): \(String(decoding: bytes, as: UTF8.self))")
                }
            }
            for item in line.kept {
                kept += 1
                let ranges = Self.occurrences(of: item, in: line.message)
                if !ranges.contains(where: { range in matches.contains { $0.range.overlaps(range) } }) {
                    keptIntact += 1
                }
            }
        }
        let recall = Double(masked) / Double(max(items, 1))
        let precision = Double(spansOnPersonalData) / Double(max(spans, 1))
        var report = [
            "redaction corpus: \(lines.count) messages (\(lines.filter { !$0.personal.isEmpty }.count) with personal data)",
            "  recall \(String(format: "%.3f", recall)) (\(masked)/\(items) personal items masked)",
            "  precision \(String(format: "%.3f", precision)) (\(spansOnPersonalData)/\(spans) masked spans on personal data)",
            "  kept items intact: \(keptIntact)/\(kept)",
            "  spans by kind: "
                + RedactionKind.allCases.compactMap { kind in byKind[kind].map { "\(kind.rawValue) \($0)" } }
                .joined(separator: ", "),
        ]
        report += overRedacted.map { "  over-redacted: \($0)" }
        print(report.joined(separator: "\n"))
        #expect(masked == items)
        #expect(keptIntact == kept)
        #expect(precision >= 0.97)
    }
}
