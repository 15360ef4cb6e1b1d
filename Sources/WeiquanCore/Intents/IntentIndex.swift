import Foundation

/// The compiled form of a catalogue that `IntentMatcher` scores messages with: one automaton over
/// every normalised phrase, the roles each phrase plays, the patterns, and the example index.
///
/// A final class, so that matchers share it and a match never copies the tables.
final class IntentIndex: Sendable {
    /// An intent's score for one message, before the decision.
    struct Candidate {
        let intent: Int
        let score: Double
        /// The keywords and patterns that counted, in order of position in the text.
        let evidence: [Found]
    }

    /// A keyword or pattern that counted for a candidate, where it starts in the text.
    struct Found {
        let position: Int
        let phrase: String
    }

    private struct KeywordRole: Sendable {
        let intent: Int
        let weight: Double
    }

    private struct CompiledPattern: Sendable {
        let intent: Int
        let weight: Double
        let fragments: [Int]
        let text: String
    }

    private enum Evidence {
        case phrase(Int)
        case pattern(Int)
    }

    /// A piece of evidence for an intent while a message is ranked. (A struct, not a tuple: an array of tuples
    /// looks up its type's metadata at run time, on every message.)
    private struct Counted {
        let intent: Int
        let position: Int
        let what: Evidence
    }

    let ids: [IntentID]
    let intentNumbers: [IntentID: Int]
    private let options: MatcherOptions
    private let priority: [Int]
    private let priorityBonus: [Double]
    private let isSmalltalk: [Bool]
    private let automaton: PhraseAutomaton
    // Per phrase of the automaton.
    private let keywordRoles: [[KeywordRole]]
    private let negativeRoles: [[Int]]
    private let patternsByLastFragment: [[Int]]
    private let competes: [Bool]
    private let asciiEdges: [Bool]
    private let patterns: [CompiledPattern]
    private let examples: ExampleIndex

    /// The number of distinct normalised phrases in the automaton.
    var phraseCount: Int { self.automaton.phrases.count }

    init(intents: [IntentDefinition], normalizer: TextNormalizer, options: MatcherOptions) {
        self.options = options
        self.ids = intents.map(\.id)
        var intentNumbers: [IntentID: Int] = [:]
        for (number, intent) in intents.enumerated() {
            intentNumbers[intent.id] = number
        }
        self.intentNumbers = intentNumbers
        self.priority = intents.map(\.priority)
        self.isSmalltalk = intents.map { $0.kind == .smalltalk }
        self.priorityBonus = intents.map { intent in
            let bonus = Double(intent.priority) * options.priorityBonus
            return min(options.maximumPriorityBonus, max(-options.maximumPriorityBonus, bonus))
        }
        func normalized(_ text: String) -> String {
            normalizer.normalize(text).trimmingCharacters(in: .whitespaces)
        }

        var phraseNumbers: [String: Int] = [:]
        var phrases: [String] = []
        var keywordRoles: [[KeywordRole]] = []
        var negativeRoles: [[Int]] = []
        var patternsByLastFragment: [[Int]] = []
        var competes: [Bool] = []
        func number(of phrase: String) -> Int {
            if let existing = phraseNumbers[phrase] { return existing }
            let new = phrases.count
            phraseNumbers[phrase] = new
            phrases.append(phrase)
            keywordRoles.append([])
            negativeRoles.append([])
            patternsByLastFragment.append([])
            competes.append(false)
            return new
        }
        var patterns: [CompiledPattern] = []
        for (intentNumber, intent) in intents.enumerated() {
            for keyword in intent.keywords {
                let text = normalized(keyword.text)
                guard !text.isEmpty else { continue }
                let weight = keyword.weight ?? options.defaultWeight(forLength: ScalarClass.effectiveLength(text))
                let phrase = number(of: text)
                if !keywordRoles[phrase].contains(where: { $0.intent == intentNumber }) {
                    keywordRoles[phrase].append(KeywordRole(intent: intentNumber, weight: weight))
                }
                competes[phrase] = true
            }
            for negative in intent.negative {
                let text = normalized(negative)
                guard !text.isEmpty else { continue }
                let phrase = number(of: text)
                if !negativeRoles[phrase].contains(intentNumber) {
                    negativeRoles[phrase].append(intentNumber)
                }
                competes[phrase] = true
            }
            for pattern in intent.patterns {
                let fragments = pattern.patternFragments.map(normalized)
                guard fragments.count >= 2, !fragments.contains(where: \.isEmpty) else { continue }
                let fragmentPhrases = fragments.map(number(of:))
                let patternNumber = patterns.count
                patterns.append(
                    CompiledPattern(
                        intent: intentNumber,
                        weight: pattern.weight ?? options.patternWeight,
                        fragments: fragmentPhrases,
                        text: fragments.joined(separator: "…")
                    )
                )
                if let last = fragmentPhrases.last {
                    patternsByLastFragment[last].append(patternNumber)
                }
            }
        }
        self.automaton = PhraseAutomaton(phrases: phrases)
        self.keywordRoles = keywordRoles
        self.negativeRoles = negativeRoles
        self.patternsByLastFragment = patternsByLastFragment
        self.competes = competes
        self.patterns = patterns
        self.asciiEdges = phrases.map { phrase in
            let scalars = phrase.unicodeScalars
            return ScalarClass.ascii(scalars.first?.value ?? 0) != 0 || ScalarClass.ascii(scalars.last?.value ?? 0) != 0
        }
        var documents: [(intent: Int, text: String)] = []
        for (intentNumber, intent) in intents.enumerated() {
            for example in [intent.title] + intent.examples {
                documents.append((intentNumber, normalizer.normalize(example)))
            }
        }
        self.examples = ExampleIndex(documents: documents)
    }

    /// The intents with any evidence for the message, best first (score, then priority, then id),
    /// at most `limit`. `allowed`, when given, masks the intents that may be scored.
    func rank(_ text: String, allowed: [Bool]?, limit: Int) -> [Candidate] {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: ScalarClass.isLetter) else { return [] }
        let intentCount = self.ids.count
        let occurrences = self.occurrences(in: scalars)

        var score = [Double](repeating: 0, count: intentCount)
        var excluded = [Bool](repeating: false, count: intentCount)
        var evidence: [Counted] = []
        if !occurrences.isEmpty {
            // Containment among keywords and negatives: sorted by start, longest first, an
            // occurrence that does not end beyond the furthest end seen so far lies inside another.
            var competing = occurrences.filter { self.competes[$0.phrase] }
            competing.sort { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }
            var furthestEnd = -1
            var counted: [Int] = []
            for occurrence in competing {
                if occurrence.end <= furthestEnd { continue }
                furthestEnd = occurrence.end
                for intent in self.negativeRoles[occurrence.phrase] {
                    excluded[intent] = true
                }
                if counted.contains(occurrence.phrase) { continue }
                counted.append(occurrence.phrase)
                for role in self.keywordRoles[occurrence.phrase] {
                    score[role.intent] += role.weight
                    evidence.append(
                        Counted(intent: role.intent, position: occurrence.start, what: .phrase(occurrence.phrase)))
                }
            }
            // Patterns: tried once each, when their last fragment occurs.
            var seenPhrases: [Int] = []
            for occurrence in occurrences where !self.patternsByLastFragment[occurrence.phrase].isEmpty {
                if seenPhrases.contains(occurrence.phrase) { continue }
                seenPhrases.append(occurrence.phrase)
                for patternNumber in self.patternsByLastFragment[occurrence.phrase] {
                    let pattern = self.patterns[patternNumber]
                    if excluded[pattern.intent] { continue }
                    if let start = Self.firstInOrder(pattern.fragments, in: occurrences) {
                        score[pattern.intent] += pattern.weight
                        evidence.append(Counted(intent: pattern.intent, position: start, what: .pattern(patternNumber)))
                    }
                }
            }
        }

        if self.options.exampleWeight > 0 {
            let threshold = self.options.exampleThreshold
            let span = max(1e-9, 1 - threshold)
            for near in self.examples.nearest(scalars, intentCount: intentCount) where near.cosine > threshold {
                score[near.intent] += self.options.exampleWeight * min(1, (near.cosine - threshold) / span)
            }
        }

        var ranked: [Int] = []
        for intent in 0..<intentCount where score[intent] > 0 && !excluded[intent] {
            if let allowed, !allowed[intent] { continue }
            score[intent] += self.priorityBonus[intent]
            if score[intent] > 0 { ranked.append(intent) }
        }
        if self.options.smalltalkYields,
            ranked.contains(where: { !self.isSmalltalk[$0] && score[$0] >= self.options.minimumScore })
        {
            ranked.removeAll { self.isSmalltalk[$0] }
        }
        ranked.sort { lhs, rhs in
            if score[lhs] != score[rhs] { return score[lhs] > score[rhs] }
            if self.priority[lhs] != self.priority[rhs] { return self.priority[lhs] > self.priority[rhs] }
            return lhs < rhs
        }
        return ranked.prefix(max(0, limit)).map { intent in
            let phrases = evidence.filter { $0.intent == intent }.sorted { $0.position < $1.position }.map { item in
                switch item.what {
                case .phrase(let phrase): return Found(position: item.position, phrase: self.automaton.phrases[phrase])
                case .pattern(let pattern): return Found(position: item.position, phrase: self.patterns[pattern].text)
                }
            }
            return Candidate(intent: intent, score: score[intent], evidence: phrases)
        }
    }

    /// Every phrase occurrence, dropping those that continue an ASCII word or number in the text:
    /// `hi` does not match inside `this`, nor `12330` inside `123301`, but `zl` matches in `zl2014…`.
    private func occurrences(in scalars: [Unicode.Scalar]) -> [PhraseOccurrence] {
        var occurrences: [PhraseOccurrence] = []
        self.automaton.scan(scalars) { occurrence in
            if self.asciiEdges[occurrence.phrase] {
                let first = ScalarClass.ascii(scalars[occurrence.start].value)
                if first != 0, occurrence.start > 0, ScalarClass.ascii(scalars[occurrence.start - 1].value) == first {
                    return
                }
                let last = ScalarClass.ascii(scalars[occurrence.end - 1].value)
                if last != 0, occurrence.end < scalars.count, ScalarClass.ascii(scalars[occurrence.end].value) == last {
                    return
                }
            }
            occurrences.append(occurrence)
        }
        return occurrences
    }

    /// The start of the first fragment when all fragments occur in order without overlapping.
    private static func firstInOrder(_ fragments: [Int], in occurrences: [PhraseOccurrence]) -> Int? {
        var position = 0
        var first: Int?
        for fragment in fragments {
            var bestEnd = Int.max
            var bestStart = 0
            for occurrence in occurrences
            where occurrence.phrase == fragment && occurrence.start >= position && occurrence.end < bestEnd {
                bestEnd = occurrence.end
                bestStart = occurrence.start
            }
            guard bestEnd != Int.max else { return nil }
            if first == nil { first = bestStart }
            position = bestEnd
        }
        return first
    }
}
