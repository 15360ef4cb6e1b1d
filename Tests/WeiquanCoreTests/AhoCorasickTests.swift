import Testing

@testable import WeiquanCore
import WeiquanTestSupport

@Suite struct AhoCorasickTests {
    /// Every occurrence by brute force, in the automaton's order: by end, longest first.
    private func naive(_ phrases: [String], in text: String) -> [PhraseOccurrence] {
        let scalars = Array(text.unicodeScalars)
        var firstIndex: [String: Int] = [:]
        for (index, phrase) in phrases.enumerated() where !phrase.isEmpty && firstIndex[phrase] == nil {
            firstIndex[phrase] = index
        }
        var result: [PhraseOccurrence] = []
        for (phrase, index) in firstIndex {
            let needle = Array(phrase.unicodeScalars)
            guard needle.count <= scalars.count else { continue }
            for start in 0...(scalars.count - needle.count)
            where Array(scalars[start..<(start + needle.count)]) == needle {
                result.append(PhraseOccurrence(phrase: index, start: start, end: start + needle.count))
            }
        }
        return result.sorted { $0.end != $1.end ? $0.end < $1.end : $0.length > $1.length }
    }

    @Test func findsOverlappingAndNestedPhrases() {
        let automaton = PhraseAutomaton(phrases: ["he", "she", "his", "hers"])
        let found = automaton.occurrences(in: "ushers")
        #expect(
            found == [
                PhraseOccurrence(phrase: 1, start: 1, end: 4),
                PhraseOccurrence(phrase: 0, start: 2, end: 4),
                PhraseOccurrence(phrase: 3, start: 2, end: 6),
            ])
    }

    @Test func matchesChineseAndCountsScalars() {
        let automaton = PhraseAutomaton(phrases: ["状态", "法律状态", "人工", "不要人工"])
        let found = automaton.occurrences(in: "查法律状态，不要人工")
        #expect(
            found == [
                PhraseOccurrence(phrase: 1, start: 1, end: 5),
                PhraseOccurrence(phrase: 0, start: 3, end: 5),
                PhraseOccurrence(phrase: 3, start: 6, end: 10),
                PhraseOccurrence(phrase: 2, start: 8, end: 10),
            ])
    }

    @Test func handlesEmptyPhrasesDuplicatesAndUnknownScalars() {
        let automaton = PhraseAutomaton(phrases: ["", "ab", "ab", "😀b"])
        #expect(
            automaton.occurrences(in: "xab😀bz") == [
                PhraseOccurrence(phrase: 1, start: 1, end: 3),
                PhraseOccurrence(phrase: 3, start: 3, end: 5),
            ])
        #expect(automaton.occurrences(in: "").isEmpty)
        #expect(PhraseAutomaton(phrases: []).occurrences(in: "abc").isEmpty)
    }

    @Test(arguments: [UInt64(1), 2, 3, 42, 2024])
    func agreesWithNaiveSearchOnRandomStrings(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let alphabets: [[Character]] = [["a", "b"], ["a", "b", "c"], ["维", "权", "援", "助"], ["a", "维", "b", "权"]]
        for round in 0..<60 {
            let alphabet = alphabets[round % alphabets.count]
            let phraseCount = 1 + random.next(below: 25)
            let phrases = (0..<phraseCount).map { _ in
                random.string(over: alphabet, length: 1 + random.next(below: 6))
            }
            let automaton = PhraseAutomaton(phrases: phrases)
            for _ in 0..<10 {
                let text = random.string(over: alphabet + ["x"], length: random.next(below: 40))
                #expect(automaton.occurrences(in: text) == self.naive(phrases, in: text), "\(phrases) in \(text)")
            }
        }
    }

    @Test func scalesToThousandsOfPhrases() {
        var random = SeededGenerator(seed: 7)
        let alphabet: [Character] = Array("知识产权维权援助中心专利商标侵权投诉举报状态进度")
        let phrases = (0..<3000).map { _ in random.string(over: alphabet, length: 2 + random.next(below: 4)) }
        let automaton = PhraseAutomaton(phrases: phrases)
        let text = random.string(over: alphabet, length: 200)
        #expect(automaton.occurrences(in: text) == self.naive(phrases, in: text))
    }
}
