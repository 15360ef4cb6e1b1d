import Foundation

/// The search over the knowledge base that the bot runs on free-text messages before it queues a question, and that
/// staff run in the desk's list: BM25F over the characters and character bigrams (``KnowledgeTerms``) of the text as
/// ``TextNormalizer`` normalises it (traditional → simplified, full-width → ASCII, lower case), so `專利被起訴` finds
/// an entry written `专利被起诉`.
///
/// **Ranking.** Each entry is four fields — title, tags, question, answer — weighted by ``Options`` (the title
/// highest). A term's frequency in an entry is the weighted sum of its frequencies in the fields, each normalised by
/// the field's length against the average (`b`), saturated by `k1`, and multiplied by the term's inverse document
/// frequency; a query term counts once however often it is repeated. Everything but the query's own terms is worked
/// out when the index is built: a search adds up precomputed weights of the entries that hold the query's terms.
///
/// **Confidence.** ``KnowledgeMatch/confidence`` is the share of what the query says that the entry covers: the score
/// of the query's specific terms (character pairs and words; single characters only help the ranking) over the most
/// they could score, each with full weight — a term no entry holds counts with the idf of a term in none. A long
/// message that mentions an entry in passing stays low; a short question the entry answers comes out high; a match
/// only in the answer counts for less than one in the title or question (the answer weighs least). ``best(_:)``
/// answers only from ``Options/minimumConfidence`` on, and with at least ``Options/minimumMatchedTerms`` of the
/// query's specific terms in the entry. Both were calibrated on the labelled set in `intents/knowledge-evaluation.tsv`
/// (see `KnowledgeEvaluationTests`): over the seed's 21 published entries, the 15 messages that must not be answered
/// reach at most 0.153 and all but one of the 30 that must reach 0.217 or more.
///
/// An index holds only published entries unless told otherwise: retired entries are never found. It is a value:
/// build a new one when the entries change.
public struct KnowledgeIndex: Sendable {
    /// The weights and thresholds of the ranking.
    public struct Options: Sendable, Equatable {
        /// BM25's saturation: how soon more occurrences of a term stop adding to the score.
        public var k1: Double
        /// BM25's length normalisation (0: none; 1: full).
        public var b: Double
        public var titleWeight: Double
        public var tagWeight: Double
        public var questionWeight: Double
        public var answerWeight: Double
        /// ``KnowledgeIndex/best(_:)`` answers only at this confidence or above.
        public var minimumConfidence: Double
        /// …and only when the entry holds at least this many of the query's character pairs and words.
        public var minimumMatchedTerms: Int

        public init(
            k1: Double = 1.2, b: Double = 0.75, titleWeight: Double = 3, tagWeight: Double = 2,
            questionWeight: Double = 2, answerWeight: Double = 0.5, minimumConfidence: Double = 0.2,
            minimumMatchedTerms: Int = 2
        ) {
            self.k1 = k1
            self.b = b
            self.titleWeight = titleWeight
            self.tagWeight = tagWeight
            self.questionWeight = questionWeight
            self.answerWeight = answerWeight
            self.minimumConfidence = minimumConfidence
            self.minimumMatchedTerms = minimumMatchedTerms
        }

        /// The calibrated options (see the type's documentation).
        public static let standard = Options()
    }

    private struct Entry: Sendable {
        var id: KnowledgeEntryID
        var title: String
    }

    /// A term's entries and, for each, its share of the term: the saturated, weighted frequency, from 0 to 1.
    private struct Postings: Sendable {
        var entries: [Int32] = []
        var weights: [Float] = []
    }

    public let options: Options
    private let entries: [Entry]
    /// Term key (``KnowledgeTerms``) → its place in ``postings`` and ``idf``.
    private let terms: [UInt64: Int32]
    private let postings: [Postings]
    private let idf: [Double]
    /// The idf of a term no entry holds.
    private let unseenIDF: Double
    private let normalizer = TextNormalizer()

    /// Indexes the entries whose status is in `statuses` (the published ones unless told otherwise).
    public init(
        _ entries: some Sequence<KnowledgeEntry>, including statuses: Set<KnowledgeEntry.Status> = [.published],
        options: Options = .standard
    ) {
        self.options = options
        let normalizer = TextNormalizer()
        let chosen = entries.filter { statuses.contains($0.status) }.sorted { $0.id < $1.id }
        let fieldWeights = [options.titleWeight, options.tagWeight, options.questionWeight, options.answerWeight]
        // Each entry's fields as terms, one flat array per field: title, tags, question, answer.
        var fields = [[UInt64]](repeating: [], count: fieldWeights.count)
        var bounds = [[Int]](repeating: [0], count: fieldWeights.count)
        for entry in chosen {
            let texts = [entry.title, entry.tags.joined(separator: " "), entry.question, entry.answer]
            for (field, text) in texts.enumerated() {
                KnowledgeTerms.append(normalizer.normalize(text), to: &fields[field])
                bounds[field].append(fields[field].count)
            }
        }
        let averageLengths = fields.map { chosen.isEmpty ? 0 : Double($0.count) / Double(chosen.count) }
        var ids: [UInt64: Int32] = [:]
        ids.reserveCapacity(fields.reduce(0) { $0 + $1.count } / 4)
        var postings: [Postings] = []
        var weighted: [UInt64: Double] = [:]
        for index in chosen.indices {
            weighted.removeAll(keepingCapacity: true)
            for field in fields.indices {
                let (start, end) = (bounds[field][index], bounds[field][index + 1])
                let average = averageLengths[field]
                let norm = average > 0 ? 1 - options.b + options.b * Double(end - start) / average : 1
                let share = fieldWeights[field] / norm
                for term in fields[field][start..<end] { weighted[term, default: 0] += share }
            }
            for (term, frequency) in weighted {
                let id: Int
                if let known = ids[term] {
                    id = Int(known)
                } else {
                    id = postings.count
                    ids[term] = Int32(id)
                    postings.append(Postings())
                }
                postings[id].entries.append(Int32(index))
                postings[id].weights.append(Float(frequency / (options.k1 + frequency)))
            }
        }
        let count = Double(chosen.count)
        self.idf = postings.map {
            log(1 + (count - Double($0.entries.count) + 0.5) / (Double($0.entries.count) + 0.5))
        }
        self.unseenIDF = log(1 + (count + 0.5) / 0.5)
        self.entries = chosen.map { Entry(id: $0.id, title: $0.title) }
        self.terms = ids
        self.postings = postings
    }

    /// How many entries the index holds.
    public var count: Int { self.entries.count }

    /// Whether the index holds the entry.
    public func contains(_ id: KnowledgeEntryID) -> Bool {
        self.entries.contains { $0.id == id }
    }

    /// What a search adds up for one entry.
    private struct Tally {
        var score = 0.0
        /// The score of the specific terms (``KnowledgeTerms/isSpecific(_:)``).
        var covered = 0.0
        var matched: Int32 = 0
    }

    /// The entries that share a term with `text`, best first (ties by id), at most `limit` of them. When `text` has
    /// character pairs or words, only the entries that hold one of them; otherwise those that share a character.
    public func search(_ text: String, limit: Int) -> [KnowledgeMatch] {
        guard limit > 0, !self.entries.isEmpty else { return [] }
        var query = KnowledgeTerms.terms(of: self.normalizer.normalize(text))
        guard !query.isEmpty else { return [] }
        query.sort()
        var tallies = [Tally](repeating: Tally(), count: self.entries.count)
        var touched: [Int32] = []
        var ceiling = 0.0
        var previous: UInt64?
        for term in query where term != previous {
            previous = term
            let specific = KnowledgeTerms.isSpecific(term)
            guard let id = self.terms[term].map(Int.init) else {
                if specific { ceiling += self.unseenIDF }
                continue
            }
            let idf = self.idf[id]
            if specific { ceiling += idf }
            let postings = self.postings[id]
            for (entry, weight) in zip(postings.entries, postings.weights) {
                let (index, share) = (Int(entry), idf * Double(weight))
                if tallies[index].score == 0 { touched.append(entry) }
                tallies[index].score += share
                if specific {
                    tallies[index].covered += share
                    tallies[index].matched += 1
                }
            }
        }
        // A query that says something specific finds the entries that hold some of it, not those that merely share
        // a character with it.
        if ceiling > 0 { touched.removeAll { tallies[Int($0)].matched == 0 } }
        let better = { (first: Int32, second: Int32) -> Bool in
            let (one, two) = (tallies[Int(first)].score, tallies[Int(second)].score)
            return one != two ? one > two : first < second
        }
        let ranked = Self.top(limit, of: touched, by: better)
        return ranked.map { index in
            let entry = self.entries[Int(index)]
            let tally = tallies[Int(index)]
            return KnowledgeMatch(
                id: entry.id, title: entry.title, score: tally.score,
                confidence: ceiling > 0 ? tally.covered / ceiling : 0, matchedTerms: Int(tally.matched))
        }
    }

    /// The first `limit` of `candidates` in the order of `better`: a full sort only when most of them are wanted.
    private static func top(_ limit: Int, of candidates: [Int32], by better: (Int32, Int32) -> Bool) -> [Int32] {
        guard limit * 8 < candidates.count else { return Array(candidates.sorted(by: better).prefix(limit)) }
        var kept: [Int32] = []
        kept.reserveCapacity(limit + 1)
        for candidate in candidates {
            if kept.count == limit, let last = kept.last, !better(candidate, last) { continue }
            let place = kept.firstIndex { better(candidate, $0) } ?? kept.count
            kept.insert(candidate, at: place)
            if kept.count > limit { kept.removeLast() }
        }
        return kept
    }

    /// The entry that answers `text`, if one does with enough confidence (``Options/minimumConfidence`` and
    /// ``Options/minimumMatchedTerms``); nil means the question is not in the knowledge base.
    public func best(_ text: String) -> KnowledgeMatch? {
        guard let top = self.search(text, limit: 1).first,
            top.confidence >= self.options.minimumConfidence,
            top.matchedTerms >= self.options.minimumMatchedTerms
        else { return nil }
        return top
    }
}
