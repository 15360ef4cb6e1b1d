import Foundation
import Testing

@testable import WeiquanCore

@Suite struct IntentMatcherTests {
    /// A small catalogue exercising every scoring rule.
    private static let catalogue: IntentCatalogue = {
        do {
            return try IntentCatalogue(intents: [
                IntentDefinition(
                    id: .human, kind: .command, title: "转人工", keywords: ["人工", "转人工", "客服"],
                    negative: ["不要人工", "不用人工"]
                ),
                IntentDefinition(id: .cancel, kind: .command, title: "取消", keywords: ["取消", "不要了"]),
                IntentDefinition(
                    id: .greeting, kind: .smalltalk, title: "打招呼", keywords: ["你好", IntentPhrase("hi", weight: 1.0)]),
                IntentDefinition(
                    id: .legalStatus, kind: .flow, title: "查询法律状态", keywords: ["法律状态", "有效吗"],
                    patterns: ["专利…有效"]
                ),
                IntentDefinition(id: .caseProgress, kind: .flow, title: "查询进度", keywords: ["状态", "进度"]),
                IntentDefinition(
                    id: "faq.free", kind: .faq, title: "收费吗", keywords: ["收费", IntentPhrase("钱", weight: 0.4)],
                    patterns: ["援助…钱"], examples: ["维权援助收费吗"], answer: "免费"
                ),
                IntentDefinition(
                    id: "faq.timeline", kind: .faq, title: "要多久", keywords: ["多久"],
                    examples: ["申请援助一般要多长时间才有结果"], answer: "若干工作日"
                ),
                IntentDefinition(id: "faq.contact", kind: .faq, title: "联系方式", keywords: ["电话"], answer: "{hotline}"),
                IntentDefinition(
                    id: "faq.hotline", kind: .faq, title: "热线", priority: 2,
                    keywords: [IntentPhrase("电话", weight: 1.0)],
                    answer: "12330"
                ),
            ])
        } catch {
            fatalError("bad inline catalogue: \(error)")
        }
    }()

    private let matcher = IntentMatcher(catalogue: Self.catalogue)
    /// Without the example-similarity signal, so scores are exactly the keyword arithmetic.
    private let plain = IntentMatcher(catalogue: Self.catalogue, options: MatcherOptions(exampleWeight: 0))

    private func match(_ text: String) -> IntentMatch {
        self.matcher.match(normalized: TextNormalizer().normalize(text))
    }

    private func plainMatch(_ text: String) -> IntentMatch {
        self.plain.match(normalized: TextNormalizer().normalize(text))
    }

    @Test func scoresDistinctKeywordsByLength() throws {
        let result = self.plainMatch("我要转人工")
        #expect(result.decision == .matched(.human))
        // 转人工 contains 人工: only the longer keyword counts.
        let best = try #require(result.best)
        #expect(best.matchedPhrases == ["转人工"])
        #expect(abs(best.score - MatcherOptions().defaultWeight(forLength: 3)) < 1e-9)

        // A keyword repeated counts once; two distinct keywords add up.
        let repeated = try #require(self.plainMatch("人工人工").best)
        #expect(abs(repeated.score - 1.0) < 1e-9)
        let two = try #require(self.plainMatch("人工客服").best)
        #expect(abs(two.score - 2.0) < 1e-9)
        #expect(two.matchedPhrases == ["人工", "客服"])
    }

    @Test func defaultWeightGrowsWithLength() {
        let options = MatcherOptions()
        #expect(options.defaultWeight(forLength: 1) < options.defaultWeight(forLength: 2))
        #expect(options.defaultWeight(forLength: 2) < options.defaultWeight(forLength: 3))
        #expect(options.defaultWeight(forLength: 40) == options.keywordWeights.last)
        #expect(IntentMatcher.effectiveLength("人工") == 2)
        #expect(IntentMatcher.effectiveLength("logo") == 2)
        #expect(IntentMatcher.effectiveLength("hi") == 1)
        #expect(IntentMatcher.effectiveLength("3q谢谢") == 3)
    }

    @Test func longerMatchHidesContainedKeyword() {
        // 法律状态 (legal_status) wholly contains 状态 (case_progress).
        let result = self.match("帮我查法律状态")
        #expect(result.decision == .matched(.legalStatus))
        #expect(result.runnerUp == nil)
        #expect(self.match("案件状态").decision == .matched(.caseProgress))
    }

    @Test func negativeKeywordExcludesIntentAndHidesItsKeyword() {
        #expect(self.match("不要人工，取消").decision == .matched(.cancel))
        let result = self.match("不用人工")
        #expect(result.decision == .unknown)
        #expect(result.best == nil)
    }

    @Test func patternsNeedTheirFragmentsInOrder() throws {
        let inOrder = try #require(self.match("这个专利还有效").best)
        #expect(inOrder.id == .legalStatus)
        #expect(inOrder.matchedPhrases == ["专利…有效"])
        #expect(self.match("有效专利").best == nil)

        // 援助…钱 satisfies faq.free although 钱 alone is too weak.
        #expect(self.match("钱").decision == .unknown)
        let free = try #require(self.match("维权援助要花钱").best)
        #expect(free.id == "faq.free")
        #expect(free.matchedPhrases == ["援助…钱", "钱"])
        #expect(self.match("维权援助要花钱").decision == .matched("faq.free"))
    }

    @Test func examplesGeneraliseToParaphrases() throws {
        // No keyword of faq.timeline occurs, but the message shares most bigrams with its example.
        let result = self.match("申请援助一般要多长时间有结果")
        #expect(result.intent == "faq.timeline")
        let unrelated = self.match("今天天气怎么样")
        #expect(unrelated.decision == .unknown)
    }

    @Test func closeScoresAreAmbiguousBestFirst() throws {
        // 电话 is a keyword of faq.contact (1.0) and faq.hotline (1.0 + priority bonus).
        let result = self.match("电话")
        #expect(result.decision == .ambiguous(["faq.hotline", "faq.contact"]))
        #expect(result.intent == "faq.hotline")
        #expect(result.best?.id == "faq.hotline")
        #expect(result.runnerUp?.id == "faq.contact")
        #expect(result.confidence > 0 && result.confidence < 0.5)

        let clear = self.match("转人工")
        #expect(clear.confidence > result.confidence)
    }

    @Test func confidenceIsAProbabilityLikeNumber() throws {
        for text in ["转人工", "人工客服", "电话", "法律状态进度", "收费"] {
            let result = self.match(text)
            #expect((0...1).contains(result.confidence))
            if let best = result.best {
                #expect((0...1).contains(best.confidence))
            }
        }
        #expect(self.match("天气").confidence == 0)
    }

    @Test func lowScoresAndLetterlessInputAreUnknown() {
        for text in ["", "   ", "？？？", "。", "😂😂", "👍", "1", "2", "12330", "今天吃什么"] {
            #expect(self.match(text).decision == .unknown, "\(text)")
        }
        #expect(IntentMatch.unknown.intent == .unknown)
    }

    @Test func minimumScoreAndMarginComeFromOptions() {
        let strict = IntentMatcher(
            catalogue: Self.catalogue, options: MatcherOptions(minimumScore: 1.5, exampleWeight: 0))
        #expect(strict.match(normalized: "人工").decision == .unknown)
        #expect(strict.match(normalized: "转人工").decision == .unknown)
        #expect(strict.match(normalized: "转人工客服").decision == .matched(.human))

        let decisive = IntentMatcher(catalogue: Self.catalogue, options: MatcherOptions(minimumMargin: 0))
        #expect(decisive.match(normalized: "电话").decision == .matched("faq.hotline"))
    }

    @Test func smalltalkGivesWayToRealIntents() {
        #expect(self.match("你好").decision == .matched(.greeting))
        #expect(self.match("你好，转人工").decision == .matched(.human))
        let keep = IntentMatcher(
            catalogue: Self.catalogue, options: MatcherOptions(exampleWeight: 0, smalltalkYields: false)
        )
        // Equal scores and priorities: ties are broken by id.
        #expect(keep.match(normalized: "你好人工").decision == .ambiguous([.greeting, .human]))
    }

    @Test func asciiKeywordsMatchWholeWordsOnly() {
        #expect(self.match("hi").decision == .matched(.greeting))
        #expect(self.match("hi，你们在吗").intent == .greeting)
        #expect(self.match("this").decision == .unknown)
        #expect(self.match("chip").decision == .unknown)
    }

    @Test func amongRestrictsTheCandidates() {
        let text = "不要了，转人工"
        #expect(self.plain.match(normalized: text).decision == .ambiguous([.cancel, .human]))
        #expect(self.plain.match(normalized: text, among: [.cancel]).decision == .matched(.cancel))
        #expect(self.plain.match(normalized: text, among: [.human, .greeting]).decision == .matched(.human))
        #expect(self.plain.match(normalized: text, among: [.greeting, "faq.free"]).decision == .unknown)
        #expect(self.plain.match(normalized: text, among: ["not-an-intent"]).decision == .unknown)
        // Containment still sees every phrase: 法律状态 hides 状态 even when only case_progress is allowed.
        #expect(self.matcher.match(normalized: "法律状态", among: [.caseProgress]).decision == .unknown)
    }

    @Test func candidatesListsScoresBestFirst() {
        let list = self.plain.candidates(normalized: "人工客服 不要了 收费", limit: 5)
        #expect(list.map(\.id) == [.human, .cancel, "faq.free"])
        #expect(self.plain.candidates(normalized: "人工客服 不要了 收费", limit: 1).map(\.id) == [.human])
        #expect(zip(list, list.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test func optionsDecodeWithDefaultsForAbsentKeys() throws {
        let options = try JSONDecoder().decode(MatcherOptions.self, from: Data(#"{"minimumScore": 1.2}"#.utf8))
        var expected = MatcherOptions()
        expected.minimumScore = 1.2
        #expect(options == expected)
        let empty = try JSONDecoder().decode(MatcherOptions.self, from: Data("{}".utf8))
        #expect(empty == MatcherOptions())
    }
}
