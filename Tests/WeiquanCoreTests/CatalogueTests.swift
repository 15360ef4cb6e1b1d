import Foundation
import Testing

@testable import WeiquanCore

/// The catalogue shipped in `intents/`, loaded the way the service loads it.
enum ShippedIntents {
    /// Files in `intents/` that are not intent definitions.
    static let otherFiles: Set<String> = [
        "ip-types.json", "replies.json", "knowledge-seed.json", "desk-replies.json",
    ]

    /// The placeholders the conversation layer fills in answers.
    static let placeholders: Set<String> = [
        "centre_name", "hotline", "phone", "address", "email", "office_hours", "website",
    ]

    /// Every intent file as (name, data), sorted by name.
    static func files() throws -> [(name: String, data: Data)] {
        let directory = RepositoryPaths.url("intents")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") && !Self.otherFiles.contains($0) }
            .sorted()
        return try names.map { name in
            (name: name, data: try Data(contentsOf: directory.appendingPathComponent(name)))
        }
    }

    /// The decoded catalogue.
    static func catalogue() throws -> IntentCatalogue {
        try IntentCatalogue.decode(files: try Self.files())
    }
}

@Suite struct CatalogueTests {
    private func json(_ text: String) -> Data { Data(text.utf8) }

    @Test func decodesStringAndWeightedKeywords() throws {
        let catalogue = try IntentCatalogue.decode(files: [
            (
                name: "faq.free.json",
                data: self.json(
                    """
                    {"id": "faq.free", "kind": "faq", "title": "收费吗", "priority": 2,
                     "keywords": ["收费", {"text": "要钱吗", "weight": 1.5}],
                     "patterns": ["援助…钱"], "negative": ["不收费吗"],
                     "examples": ["维权援助收费吗"], "answer": "免费。{hotline}", "_comment": "free text"}
                    """
                )
            )
        ])
        let intent = try #require(catalogue.intent("faq.free"))
        #expect(intent.kind == .faq)
        #expect(intent.priority == 2)
        #expect(intent.keywords == [IntentPhrase("收费"), IntentPhrase("要钱吗", weight: 1.5)])
        #expect(intent.patterns.map(\.text) == ["援助…钱"])
        #expect(intent.negative == ["不收费吗"])
        #expect(intent.answer == "免费。{hotline}")
        #expect(catalogue.intent("faq.scope") == nil)
    }

    @Test func optionalKeysDefault() throws {
        let catalogue = try IntentCatalogue.decode(files: [
            (name: "help.json", data: self.json(#"{"id": "help", "kind": "command", "title": "菜单"}"#))
        ])
        let intent = try #require(catalogue.intent(.help))
        #expect(intent.priority == 0)
        #expect(intent.keywords.isEmpty && intent.patterns.isEmpty && intent.negative.isEmpty)
        #expect(intent.examples.isEmpty)
        #expect(intent.answer == nil)
    }

    @Test func roundTripsThroughJSON() throws {
        let intent = IntentDefinition(
            id: "faq.free", kind: .faq, title: "收费吗", priority: 1,
            keywords: ["收费", IntentPhrase("要钱吗", weight: 1.5)], patterns: ["援助…钱"],
            negative: ["不收费"], examples: ["收费吗"], answer: "免费"
        )
        let data = try JSONEncoder().encode(intent)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""收费""#))
        #expect(try JSONDecoder().decode(IntentDefinition.self, from: data) == intent)
    }

    @Test func sortsIntentsByID() throws {
        let catalogue = try IntentCatalogue(intents: [
            IntentDefinition(id: "thanks", kind: .smalltalk, title: "谢谢"),
            IntentDefinition(id: "back", kind: .command, title: "返回"),
            IntentDefinition(id: "help", kind: .command, title: "帮助"),
        ])
        #expect(catalogue.intents.map(\.id) == ["back", "help", "thanks"])
    }

    @Test func rejectsDuplicateIDs() {
        #expect(throws: CatalogueError.duplicateID("help", sources: ["a/help.json", "b/help.json"])) {
            try IntentCatalogue.decode(files: [
                (name: "a/help.json", data: self.json(#"{"id": "help", "kind": "command", "title": "菜单"}"#)),
                (name: "b/help.json", data: self.json(#"{"id": "help", "kind": "command", "title": "帮助"}"#)),
            ])
        }
        #expect(throws: CatalogueError.self) {
            try IntentCatalogue(intents: [
                IntentDefinition(id: "help", kind: .command, title: "菜单"),
                IntentDefinition(id: "help", kind: .command, title: "帮助"),
            ])
        }
    }

    @Test func errorsNameTheFileAndTheProblem() {
        func problem(_ name: String, _ text: String) -> String {
            do {
                _ = try IntentCatalogue.decode(files: [(name: name, data: self.json(text))])
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let invalid = problem("help.json", #"{"id": "help", "kind": "command", "title": "菜单"]"#)
        #expect(invalid.hasPrefix("help.json: not valid JSON"))
        #expect(invalid.contains("line 1"))
        let secondLine = problem("help.json", "{\"id\": \"help\",\n \"kind\" \"command\"}")
        #expect(secondLine.hasPrefix("help.json: not valid JSON"))
        #expect(secondLine.contains("line 2"))

        let missing = problem("help.json", #"{"id": "help", "kind": "command"}"#)
        #expect(missing == "help.json: missing key 'title'")

        let wrongType = problem("help.json", #"{"id": "help", "kind": "command", "title": "菜单", "keywords": "菜单"}"#)
        #expect(wrongType.hasPrefix("help.json: wrong type at keywords: expected a list"))

        let badKeyword = problem("help.json", #"{"id": "help", "kind": "command", "title": "菜单", "keywords": [3]}"#)
        #expect(badKeyword.contains("keywords[0]"))
        #expect(badKeyword.contains("expected a string or an object"))

        let badKind = problem("help.json", #"{"id": "help", "kind": "cmd", "title": "菜单"}"#)
        #expect(badKind.hasPrefix("help.json: at kind:"))

        let unknownKey = problem("help.json", #"{"id": "help", "kind": "command", "title": "菜单", "keyowrds": []}"#)
        #expect(unknownKey.contains("unknown key 'keyowrds'"))

        let badPhraseKey = problem(
            "help.json", #"{"id": "help", "kind": "command", "title": "菜单", "keywords": [{"text": "菜单", "wieght": 2}]}"#
        )
        #expect(badPhraseKey == "help.json: at keywords[0]: unknown key 'wieght' in a phrase (allowed: text, weight)")

        let misnamed = problem("faq.free.json", #"{"id": "faq.fee", "kind": "faq", "title": "收费", "answer": "免费"}"#)
        #expect(misnamed.contains("name it 'faq.fee.json'"))
    }

    @Test func splitsPatternFragments() {
        #expect(IntentPhrase("援助…钱").patternFragments == ["援助", "钱"])
        #expect(IntentPhrase("援助……钱").patternFragments == ["援助", "钱"])
        #expect(IntentPhrase("援助...钱…吗").patternFragments == ["援助", "钱", "吗"])
        #expect(IntentPhrase("援助 … 钱").patternFragments == ["援助", "钱"])
        #expect(IntentPhrase("援助钱").patternFragments == ["援助钱"])
        #expect(IntentPhrase("…钱").patternFragments == ["", "钱"])
    }

    // MARK: - Validator

    private func validate(_ intents: [IntentDefinition]) throws -> [CatalogueIssue] {
        let catalogue = try IntentCatalogue(intents: intents)
        return CatalogueValidator.validate(
            catalogue,
            matcher: IntentMatcher(catalogue: catalogue),
            knownPlaceholders: ShippedIntents.placeholders
        )
    }

    /// A minimal catalogue holding every required id, so that tests see only the issues they provoke.
    private func requiredIntents() -> [IntentDefinition] {
        let words = Array("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥")
        return IntentID.required.enumerated().map { index, id in
            let kind = CatalogueValidator.requiredKinds[id] ?? .faq
            let word = String(repeating: words[index], count: 2)
            return IntentDefinition(
                id: id, kind: kind, title: word, keywords: [IntentPhrase(word)], examples: [word + word],
                answer: kind == .faq ? "回答" : nil
            )
        }
    }

    private func errors(_ issues: [CatalogueIssue]) -> [String] {
        issues.filter { $0.severity == .error }.map(\.description)
    }

    @Test func minimalCatalogueIsClean() throws {
        #expect(try self.validate(self.requiredIntents()).isEmpty)
    }

    @Test func reportsMissingRequiredIDs() throws {
        let issues = try self.validate(self.requiredIntents().filter { $0.id != .human })
        #expect(self.errors(issues) == ["error [human]: required intent 'human' is missing from the catalogue"])
    }

    @Test func reportsKeywordClaimedByTwoIntents() throws {
        var intents = self.requiredIntents()
        intents.append(IntentDefinition(id: "faq.extra", kind: .faq, title: "额外", keywords: ["甲甲"], answer: "答"))
        let errors = self.errors(try self.validate(intents))
        #expect(
            errors == [
                "error [greeting]: keyword '甲甲' is also a keyword of 'faq.extra'; a keyword belongs to one intent"
            ])
    }

    @Test func reportsKeywordThatIsAlsoItsOwnNegative() throws {
        var intents = self.requiredIntents()
        intents.append(
            IntentDefinition(id: "faq.extra", kind: .faq, title: "额外", keywords: ["收费"], negative: ["收费"], answer: "答")
        )
        #expect(
            self.errors(try self.validate(intents)) == [
                "error [faq.extra]: '收费' is both a keyword and a negative keyword of this intent"
            ])
    }

    @Test func reportsAnswerProblems() throws {
        var intents = self.requiredIntents()
        intents.append(IntentDefinition(id: "faq.noanswer", kind: .faq, title: "无答", keywords: ["无答案"]))
        intents.append(
            IntentDefinition(id: "faq.badplace", kind: .faq, title: "占位", keywords: ["占位符"], answer: "请拨打{hotlne}")
        )
        intents.append(
            IntentDefinition(id: "faq.brace", kind: .faq, title: "括号", keywords: ["括号"], answer: "请拨打{hotline")
        )
        intents.append(IntentDefinition(id: "extra", kind: .flow, title: "流程", keywords: ["流程"], answer: "不该有"))
        let errors = self.errors(try self.validate(intents))
        #expect(errors.contains("error [faq.noanswer]: a FAQ intent needs an \"answer\""))
        #expect(errors.contains { $0.hasPrefix("error [faq.badplace]: unknown placeholder {hotlne}") })
        #expect(errors.contains { $0.hasPrefix("error [faq.brace]: the answer's braces are unbalanced") })
        #expect(errors.contains { $0.hasPrefix("error [extra]: only FAQ intents have an \"answer\"") })
    }

    @Test func reportsBadPatterns() throws {
        var intents = self.requiredIntents()
        intents.append(
            IntentDefinition(
                id: "faq.pattern", kind: .faq, title: "模式", keywords: ["模式"], patterns: ["援助钱", "援助…", "…钱"],
                answer: "答"
            )
        )
        let errors = self.errors(try self.validate(intents))
        #expect(errors.count == 3)
        #expect(errors[0].contains("pattern '援助钱' has no '…'"))
        #expect(errors[1].contains("pattern '援助…' has an empty fragment"))
        #expect(errors[2].contains("pattern '…钱' has an empty fragment"))
    }

    @Test func reportsUnknownIntentAndKindMismatches() throws {
        var intents = self.requiredIntents().filter { $0.id != .help }
        intents.append(IntentDefinition(id: .help, kind: .faq, title: "帮助", keywords: ["帮助"], answer: "答"))
        intents.append(IntentDefinition(id: .unknown, kind: .command, title: "未知", keywords: ["未知"]))
        intents.append(IntentDefinition(id: "faq.kind", kind: .flow, title: "类别", keywords: ["类别"]))
        let errors = self.errors(try self.validate(intents))
        #expect(errors.contains { $0.hasPrefix("error [unknown]: 'unknown' is the matcher's own result") })
        #expect(errors.contains("error [help]: kind \"faq\" needs an id starting with 'faq.'"))
        #expect(errors.contains("error [help]: must have kind \"command\", not \"faq\""))
        #expect(errors.contains { $0.hasPrefix("error [faq.kind]: ids starting with 'faq.' must have kind \"faq\"") })
    }

    @Test func reportsIntentsWithoutKeywords() throws {
        var intents = self.requiredIntents().filter { $0.id != .back }
        intents.append(IntentDefinition(id: .back, kind: .command, title: "返回", examples: ["返回"]))
        #expect(self.errors(try self.validate(intents)) == ["error [back]: has no keywords or patterns"])
    }

    @Test func warnsAboutExamplesThatMisclassify() throws {
        var intents = self.requiredIntents()
        intents.append(
            IntentDefinition(id: "faq.extra", kind: .faq, title: "额外", keywords: ["额外"], examples: ["乙乙"], answer: "答")
        )
        let issues = try self.validate(intents)
        #expect(self.errors(issues).isEmpty)
        #expect(issues.map(\.description) == ["warning [faq.extra]: example '乙乙' classifies as 'help'"])
    }

    // MARK: - The shipped catalogue

    @Test func shippedCatalogueHasNoErrors() throws {
        let catalogue = try ShippedIntents.catalogue()
        let issues = CatalogueValidator.validate(
            catalogue,
            matcher: IntentMatcher(catalogue: catalogue),
            knownPlaceholders: ShippedIntents.placeholders
        )
        for issue in issues {
            print(issue)
        }
        #expect(issues.filter { $0.severity == .error }.isEmpty)
        for id in IntentID.required {
            #expect(catalogue.intent(id) != nil, "missing \(id)")
        }
        #expect(catalogue.intent(.unknown) == nil)
    }

    @Test func everyShippedExampleClassifiesToItsOwnIntent() throws {
        let catalogue = try ShippedIntents.catalogue()
        let matcher = IntentMatcher(catalogue: catalogue)
        let normalizer = TextNormalizer()
        for intent in catalogue.intents {
            for example in intent.examples {
                let result = matcher.match(normalized: normalizer.normalize(example))
                #expect(result.decision == .matched(intent.id), "\(intent.id): '\(example)' → \(result.decision)")
            }
        }
    }

    /// Answers tell people what to reply (回复“申请援助”); those replies must be understood.
    @Test func repliesSuggestedByAnswersAreUnderstood() throws {
        let catalogue = try ShippedIntents.catalogue()
        let matcher = IntentMatcher(catalogue: catalogue)
        let expected: [String: IntentID] = [
            "申请援助": .aidRequest, "举报": .complaint, "人工": .human, "查进度": .caseProgress,
            "删除我的信息": .erase,
        ]
        var suggested: Set<String> = []
        for intent in catalogue.intents {
            var rest = Substring(intent.answer ?? "")
            while let range = rest.range(of: "回复“") {
                rest = rest[range.upperBound...]
                guard let end = rest.firstIndex(of: "”") else { break }
                suggested.insert(String(rest[..<end]))
                rest = rest[end...]
            }
        }
        #expect(!suggested.isEmpty)
        for reply in suggested.sorted() {
            let id = try #require(expected[reply], "answers suggest replying '\(reply)'; add it to this test")
            #expect(matcher.match(normalized: TextNormalizer().normalize(reply)).decision == .matched(id), "\(reply)")
        }
    }

    @Test func shippedAnswersFitOnAPhone() throws {
        for intent in try ShippedIntents.catalogue().intents where intent.kind == .faq {
            let answer = try #require(intent.answer)
            #expect(answer.count <= 250, "\(intent.id) answer has \(answer.count) characters")
        }
    }
}
