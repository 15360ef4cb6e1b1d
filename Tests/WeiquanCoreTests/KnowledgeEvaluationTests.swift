import Foundation
import Testing
import WeiquanCore

/// The knowledge base's search measured on the labelled queries of `intents/knowledge-evaluation.tsv` against the
/// entries of `intents/knowledge-seed.json` (the retired one included, so that it is shown never to be found).
///
/// Prints every query's best candidate with its confidence and matched terms (character pairs and words), then the
/// calibration figures: the lowest confidence of a query that must be answered, the highest of one that must not.
///
/// What must hold: every labelled query ranks its entry first in ``KnowledgeIndex/search(_:limit:)``; no `none` line
/// gets an answer from ``KnowledgeIndex/best(_:)`` (a wrong answer is worse than a question queued for a volunteer);
/// and `best` answers at least ``recallFloor`` of the others with their entry.
///
/// How the threshold was set: the set was written before the first measurement. Measured first with the options the
/// index started with (confidence over every term, answer weighted 1, threshold 0.4), the ranking was right for all
/// 30 but the confidence did not separate the sets (answers from 0.180, near misses up to 0.261). Counting only
/// character pairs and words towards the confidence and weighting the answer at 0.5 gave: near misses at most 0.153
/// (软件著作权怎么登记, whose words are in an answer), answers from 0.217, except one paraphrase at 0.141 (牌子 for
/// 品牌, 十几年 for 一直). The threshold of 0.2 sits between 0.153 and 0.217, nearer the answers: 29 of 30 answered,
/// none of the 15 near misses. Add the messages the bot gets wrong in use, with their right label, and measure again.
@Suite struct KnowledgeEvaluationTests {
    /// The share of the labelled queries that `best` must answer with their entry (0.967 when it was set).
    static let recallFloor = 0.9

    struct Line: Sendable {
        let number: Int
        /// The entry that must answer, or nil for `none`.
        let expected: KnowledgeEntryID?
        let text: String
    }

    static func seed() throws -> [KnowledgeEntry] {
        let data = try Data(contentsOf: RepositoryPaths.url("intents/knowledge-seed.json"))
        let created = Date(timeIntervalSince1970: 1_795_399_200)
        return try KnowledgeDraft.decodeFile(data).enumerated().map { index, draft in
            try draft.entry(
                id: draft.id ?? KnowledgeEntryID("seed-\(index)"), existing: nil, now: created, actor: "seed"
            )
            .validated()
        }
    }

    static func lines() throws -> [Line] {
        let text = try String(contentsOf: RepositoryPaths.url("intents/knowledge-evaluation.tsv"), encoding: .utf8)
        var lines: [Line] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard fields.count == 2 else {
                Issue.record("knowledge-evaluation.tsv:\(index + 1): expected entry<TAB>message, got '\(line)'")
                continue
            }
            let label = String(fields[0])
            lines.append(
                Line(
                    number: index + 1, expected: label == "none" ? nil : KnowledgeEntryID(label),
                    text: String(fields[1])))
        }
        return lines
    }

    @Test func theSeedIsValidAndTheLabelsNameItsPublishedEntries() throws {
        let entries = try Self.seed()
        #expect(entries.count >= 20)
        #expect(Set(entries.map(\.id)).count == entries.count)
        #expect(entries.filter { $0.status == .retired }.count == 1)
        let published = Set(entries.filter(\.isPublished).map(\.id))
        let lines = try Self.lines()
        #expect(lines.count >= 40)
        #expect(lines.filter { $0.expected == nil }.count >= 12)
        for line in lines {
            if let expected = line.expected {
                #expect(published.contains(expected), "line \(line.number): no published entry \(expected)")
            }
        }
        // Every subject the seed covers is asked about.
        let asked = Set(lines.compactMap(\.expected))
        #expect(published.subtracting(asked).isEmpty, "entries nobody asks about: \(published.subtracting(asked))")
    }

    @Test func everyLabelledQueryComesOutAsLabelled() throws {
        let index = KnowledgeIndex(try Self.seed())
        let lines = try Self.lines()
        var report = ["line  label                               top candidate                       conf  terms  best"]
        var lowestPositive = Double.infinity
        var highestNegative = 0.0
        var rankedFirst = 0
        var answered = 0
        var misranked: [String] = []
        var wronglyAnswered: [String] = []
        for line in lines {
            let top = index.search(line.text, limit: 1).first
            let best = index.best(line.text)
            let confidence = top?.confidence ?? 0
            let label = (line.expected?.rawValue ?? "none").padding(toLength: 34, withPad: " ", startingAt: 0)
            let candidate = (top?.id.rawValue ?? "-").padding(toLength: 34, withPad: " ", startingAt: 0)
            report.append(
                String(format: "%4d  ", line.number) + label + "  " + candidate
                    + String(format: "  %.3f  %2d  ", confidence, top?.matchedTerms ?? 0)
                    + (best == nil ? "-" : "answered") + "  " + line.text)
            if let expected = line.expected {
                if top?.id == expected {
                    rankedFirst += 1
                    lowestPositive = min(lowestPositive, confidence)
                } else {
                    misranked.append("line \(line.number): \(expected) is not first (\(top?.id.rawValue ?? "none") is)")
                }
                if best?.id == expected { answered += 1 }
            } else {
                if (top?.matchedTerms ?? 0) >= index.options.minimumMatchedTerms {
                    highestNegative = max(highestNegative, confidence)
                }
                if let best { wronglyAnswered.append("line \(line.number): answered with \(best.id): \(line.text)") }
            }
        }
        let positives = lines.filter { $0.expected != nil }.count
        let negatives = lines.count - positives
        report.append(
            String(
                format: "ranked first %d/%d; answered %d/%d; not answered %d/%d; lowest confidence of the ranked "
                    + "%.3f, highest of the near misses with enough matched terms %.3f; threshold %.2f and %d matched terms",
                rankedFirst, positives, answered, positives, negatives - wronglyAnswered.count, negatives,
                lowestPositive, highestNegative, index.options.minimumConfidence,
                index.options.minimumMatchedTerms))
        print(report.joined(separator: "\n"))
        #expect(misranked.isEmpty, "\(misranked.joined(separator: "\n"))")
        #expect(wronglyAnswered.isEmpty, "\(wronglyAnswered.joined(separator: "\n"))")
        #expect(Double(answered) / Double(positives) >= Self.recallFloor)
    }
}
