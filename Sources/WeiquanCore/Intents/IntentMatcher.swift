import Foundation

/// Classifies a normalised message into one of the catalogue's intents.
///
/// Built once per catalogue. At init every keyword, negative keyword and pattern fragment of every
/// intent is normalised with the same `TextNormalizer` the messages go through and compiled into
/// one `PhraseAutomaton`; the examples are indexed by character bigram. Matching a message is one
/// pass of the automaton over its scalars plus scoring:
///
/// 1. **Containment.** An occurrence of a keyword or negative keyword wholly inside a longer one is
///    dropped, so `不要人工` (a negative of `human`) hides the keyword `人工`, and `法律状态` beats
///    `状态`. Pattern fragments neither hide nor are hidden. An occurrence that begins or ends with
///    an ASCII letter (digit) must not continue a run of ASCII letters (digits) in the text: `hi`
///    does not match inside `this`, `12330` not inside `123301`, but `zl` matches in `zl2014…`.
/// 2. **Keywords.** Each intent scores the sum of the weights of its distinct matched keywords.
///    A keyword's default weight grows with its length (`MatcherOptions.keywordWeights`).
/// 3. **Patterns.** A pattern whose fragments all occur in order (without overlapping) adds its weight.
/// 4. **Negatives.** Any surviving negative keyword excludes its intent.
/// 5. **Examples.** The IDF-weighted cosine between the message's character bigrams and those of
///    the intent's nearest example (its title counts as one) adds up to `exampleWeight`, above
///    `exampleThreshold`, so paraphrases and typos still score.
/// 6. **Priority.** Intents with any evidence get `priority × priorityBonus`, bounded.
/// 7. **Small talk yields.** Greetings and thanks drop out when any other intent reaches
///    `minimumScore` (`MatcherOptions.smalltalkYields`).
///
/// Decision: best score below `minimumScore` → unknown; relative margin to the runner-up below
/// `minimumMargin` → ambiguous (the best two or three); otherwise matched. A message without any
/// letter (only digits, punctuation, emoji or spaces) is unknown: digits are menu answers that
/// the conversation layer reads itself.
public struct IntentMatcher: Sendable {
    /// The catalogue the matcher was built from.
    public let catalogue: IntentCatalogue
    /// The options in force.
    public let options: MatcherOptions
    /// The normaliser the catalogue's phrases went through (messages must go through it too).
    public let normalizer: TextNormalizer

    private let index: IntentIndex

    /// Builds the matcher: normalises every phrase of the catalogue with `normalizer`, compiles the
    /// automaton and indexes the examples.
    public init(
        catalogue: IntentCatalogue,
        normalizer: TextNormalizer = TextNormalizer(),
        options: MatcherOptions = MatcherOptions()
    ) {
        self.catalogue = catalogue
        self.options = options
        self.normalizer = normalizer
        self.index = IntentIndex(intents: catalogue.intents, normalizer: normalizer, options: options)
    }

    /// The number of distinct normalised phrases (keywords, negatives, fragments) in the automaton.
    public var phraseCount: Int { self.index.phraseCount }

    /// Classifies a message already normalised with `TextNormalizer`.
    public func match(normalized text: String) -> IntentMatch {
        self.decide(self.rank(text, allowed: nil, limit: max(2, self.options.maximumChoices)))
    }

    /// Classifies a message, scoring only the intents in `ids` (for menus and forms). Ids the
    /// catalogue does not hold are ignored. Containment still considers every phrase of the
    /// catalogue: a longer phrase of another intent still hides a shorter keyword inside it.
    public func match(normalized text: String, among ids: Set<IntentID>) -> IntentMatch {
        var allowed = [Bool](repeating: false, count: self.index.ids.count)
        for id in ids {
            if let number = self.index.intentNumbers[id] { allowed[number] = true }
        }
        return self.decide(self.rank(text, allowed: allowed, limit: max(2, self.options.maximumChoices)))
    }

    /// The best-scoring intents for a message, best first, at most `limit` of them, with their
    /// scores and the phrases that matched: for `weiquan classify` and tuning.
    public func candidates(normalized text: String, limit: Int = 5) -> [ScoredIntent] {
        self.rank(text, allowed: nil, limit: limit)
    }

    /// Length used for a keyword's default weight (see `MatcherOptions.keywordWeights`): one per
    /// non-ASCII character and one per started three letters or digits of an ASCII word.
    public static func effectiveLength(_ text: String) -> Int {
        ScalarClass.effectiveLength(text)
    }

    // MARK: - Decision

    private func rank(_ text: String, allowed: [Bool]?, limit: Int) -> [ScoredIntent] {
        let ranked = self.index.rank(text, allowed: allowed, limit: limit)
        return ranked.enumerated().map { rank, candidate in
            let other = rank == 0 ? (ranked.count > 1 ? ranked[1].score : 0) : ranked[0].score
            return ScoredIntent(
                id: self.index.ids[candidate.intent],
                score: candidate.score,
                confidence: Self.confidence(score: candidate.score, other: other),
                matchedPhrases: candidate.evidence.map(\.phrase)
            )
        }
    }

    private func decide(_ ranked: [ScoredIntent]) -> IntentMatch {
        guard let best = ranked.first else { return .unknown }
        let runnerUp = ranked.count > 1 ? ranked[1] : nil
        guard best.score >= self.options.minimumScore else {
            return IntentMatch(decision: .unknown, best: best, runnerUp: runnerUp)
        }
        let margin = { (other: ScoredIntent) in (best.score - other.score) / best.score }
        if let runnerUp, margin(runnerUp) < self.options.minimumMargin {
            let limit = min(3, max(2, self.options.maximumChoices))
            var choices = [best.id, runnerUp.id]
            for other in ranked.dropFirst(2) where choices.count < limit && margin(other) < self.options.minimumMargin {
                choices.append(other.id)
            }
            return IntentMatch(decision: .ambiguous(choices), best: best, runnerUp: runnerUp)
        }
        return IntentMatch(decision: .matched(best.id), best: best, runnerUp: runnerUp)
    }

    /// Confidence in 0...1: grows with the score and shrinks with a small margin to the nearest
    /// other intent (`other`, the runner-up for the best, the best for the others).
    private static func confidence(score: Double, other: Double) -> Double {
        guard score > 0 else { return 0 }
        let absolute = 1 - exp(-score / 1.2)
        let margin = max(0, min(1, (score - other) / score))
        return max(0, min(1, absolute * (0.5 + 0.5 * margin)))
    }
}
