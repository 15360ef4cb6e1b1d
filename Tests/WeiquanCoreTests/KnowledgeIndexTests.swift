import Foundation
import Testing
import WeiquanCore

/// The knowledge base's entries and their index: validation, the ranking, the threshold of ``KnowledgeIndex/best(_:)``,
/// retired entries, traditional characters. The calibration on the labelled set is ``KnowledgeEvaluationTests``.
@Suite struct KnowledgeIndexTests {
    static let created = Date(timeIntervalSince1970: 1_795_399_200)

    static func entry(
        _ id: String, title: String, question: String = "一个问题", answer: String = "一个回答", tags: [String] = [],
        status: KnowledgeEntry.Status = .published
    ) -> KnowledgeEntry {
        KnowledgeEntry(
            id: KnowledgeEntryID(id), title: title, question: question, answer: answer, tags: tags, status: status,
            createdAt: Self.created, createdBy: "desk-1")
    }

    // MARK: - Ranking

    @Test func theTitleWeighsMoreThanTheQuestionAndTheQuestionMoreThanTheAnswer() {
        let index = KnowledgeIndex([
            Self.entry("in-answer", title: "电商平台的规则", answer: "商标续展要在期满前十二个月内办理"),
            Self.entry("in-title", title: "商标续展", answer: "期满前十二个月内办理"),
            Self.entry("in-question", title: "到期以后怎么办", question: "商标续展怎么办理"),
        ])
        #expect(index.search("商标续展", limit: 3).map(\.id) == ["in-title", "in-question", "in-answer"])
    }

    @Test func resultsAreOrderedByScoreThenIDAndLimited() {
        let index = KnowledgeIndex([
            Self.entry("b", title: "展会投诉"), Self.entry("a", title: "展会投诉"), Self.entry("c", title: "海关扣货"),
        ])
        let matches = index.search("展会投诉", limit: 5)
        #expect(matches.map(\.id) == ["a", "b"])
        #expect(matches[0].score == matches[1].score)
        #expect(index.search("展会投诉", limit: 1).map(\.id) == ["a"])
        #expect(index.search("展会投诉", limit: 0).isEmpty)
    }

    @Test func stopCharactersAloneFindNothing() {
        let index = KnowledgeIndex([Self.entry("a", title: "我的商标被抢注了怎么办")])
        #expect(index.search("怎么", limit: 5).isEmpty)
        #expect(index.search("我想问你们这是什么", limit: 5).isEmpty)
        // 办 is a character of its own: it ranks, but says too little to be answered.
        #expect(index.search("怎么办", limit: 5).first?.matchedTerms == 0)
        #expect(index.best("怎么办") == nil)
        #expect(index.search("   ", limit: 5).isEmpty)
        #expect(!index.search("商标抢注怎么办", limit: 5).isEmpty)
    }

    @Test func wordsOfLettersAndDigitsAreTerms() {
        let index = KnowledgeIndex([
            Self.entry("tro", title: "亚马逊店铺被TRO冻结", tags: ["amazon"]),
            Self.entry("337", title: "美国337调查"),
        ])
        #expect(index.search("Amazon 账户", limit: 1).first?.id == "tro")
        #expect(index.search("３３７", limit: 1).first?.id == "337")
    }

    // MARK: - Normalisation

    @Test func aTraditionalQueryFindsASimplifiedEntry() throws {
        let index = KnowledgeIndex([
            Self.entry("renewal", title: "商标到期如何续展", question: "注册商标的有效期是多久"),
            Self.entry("fee", title: "专利年费忘记缴纳怎么办"),
        ])
        let match = try #require(index.best("商標到期了如何續展"))
        #expect(match.id == "renewal")
        #expect(index.best("專利年費忘記繳納")?.id == "fee")
    }

    // MARK: - The threshold

    @Test func bestAnswersOnlyAboveTheThreshold() throws {
        let entries = [
            Self.entry("squatted", title: "商标被他人抢注怎么办", question: "我们的品牌被别人抢先注册了商标"),
            Self.entry("renewal", title: "商标到期如何续展"),
        ]
        let index = KnowledgeIndex(entries)
        let match = try #require(index.best("商标被人抢注了怎么办"))
        #expect(match.id == "squatted")
        #expect(match.confidence >= index.options.minimumConfidence)
        // One shared word is not an answer; nor is a message about something else that mentions it.
        #expect(index.best("商标") == nil)
        #expect(index.best("今天天气怎么样") == nil)
        #expect(index.best("我想咨询一下离婚以后财产和孩子抚养权怎么分，对方还有商标") == nil)
        // The same search with a stricter threshold answers nothing.
        var strict = KnowledgeIndex.Options.standard
        strict.minimumConfidence = 0.99
        #expect(KnowledgeIndex(entries, options: strict).best("商标被人抢注了怎么办") == nil)
    }

    @Test func confidenceIsBetweenZeroAndOne() {
        let index = KnowledgeIndex([Self.entry("a", title: "展会投诉", question: "展会投诉", answer: "展会投诉")])
        let match = index.search("展会投诉", limit: 1).first
        #expect(match.map { $0.confidence > 0.5 && $0.confidence < 1 } == true)
    }

    // MARK: - Retired entries

    @Test func retiredEntriesAreNeverFound() {
        let retired = Self.entry("old", title: "专利费用减缴如何申请", status: .retired)
        let index = KnowledgeIndex([retired, Self.entry("other", title: "商标续展")])
        #expect(index.count == 1)
        #expect(!index.contains("old"))
        #expect(index.search("专利费用减缴如何申请", limit: 10).isEmpty)
        #expect(index.best("专利费用减缴如何申请") == nil)
        // Staff may search them when they ask for them.
        let all = KnowledgeIndex([retired], including: [.published, .retired])
        #expect(all.search("专利费用减缴", limit: 1).first?.id == "old")
    }

    @Test func anEmptyIndexFindsNothing() {
        let index = KnowledgeIndex([])
        #expect(index.count == 0)
        #expect(index.search("商标", limit: 5).isEmpty)
        #expect(index.best("商标") == nil)
    }

    // MARK: - Entries

    @Test func entriesAreStoredWithSnakeCaseKeys() throws {
        var entry = Self.entry("kb-1", title: "标题", tags: ["展会"])
        entry.ipType = .trademark
        entry.sourceQuestionID = "Q000001"
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        let object = try #require(
            try JSONSerialization.jsonObject(with: encoder.encode(entry)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "schema_version", "id", "title", "question", "answer", "ip_type", "tags", "status", "created_at",
                "updated_at", "created_by", "updated_by", "source_question_id",
            ])
        #expect(object["ip_type"] as? String == "trademark" && object["status"] as? String == "published")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(KnowledgeEntry.self, from: encoder.encode(entry)) == entry)
    }

    @Test func validationTrimsAndChecksTheLimits() throws {
        var entry = Self.entry("kb-1", title: "  标题  ", tags: [" 展会 ", "展会", "海外"])
        let valid = try entry.validated()
        #expect(valid.title == "标题" && valid.tags == ["展会", "海外"])

        entry.answer = String(repeating: "答", count: KnowledgeEntry.Limits.answer + 1)
        #expect(throws: KnowledgeError.tooLong(.answer, count: 601, limit: 600)) { try entry.validated() }
        entry.answer = "回答"
        entry.title = "两行\n标题"
        #expect(throws: KnowledgeError.controlCharacters(.title)) { try entry.validated() }
        entry.title = "标题"
        entry.question = "   "
        #expect(throws: KnowledgeError.empty(.question)) { try entry.validated() }
        entry.question = "第一行\n第二行"
        #expect(try entry.validated().question == "第一行\n第二行")
        entry.question = "响铃\u{7}"
        #expect(throws: KnowledgeError.controlCharacters(.question)) { try entry.validated() }
        entry.question = "问题"
        entry.tags = (1...11).map { "标签\($0)" }
        #expect(throws: KnowledgeError.tooManyTags(count: 11, limit: 10)) { try entry.validated() }
        entry.tags = []
        entry.id = "../etc/passwd"
        #expect(throws: KnowledgeError.badID("../etc/passwd")) { try entry.validated() }
        #expect(KnowledgeError.tooLong(.answer, count: 601, limit: 600).code == "text_too_long")
    }

    // MARK: - Import files

    @Test func anImportIsPlannedByID() throws {
        let stored = [Self.entry("same", title: "不变"), Self.entry("changed", title: "旧标题")]
        let drafts = [
            KnowledgeDraft(id: "same", title: "不变", question: "一个问题", answer: "一个回答"),
            KnowledgeDraft(id: "changed", title: "新标题", question: "一个问题", answer: "一个回答"),
            KnowledgeDraft(title: "没有编号", question: "问", answer: "答", status: .retired),
        ]
        var iterator = ["same", "fresh"].makeIterator()
        let later = Self.created.addingTimeInterval(3_600)
        let plan = try KnowledgeImport.plan(
            drafts, existing: stored, now: later, actor: "import", newID: { KnowledgeEntryID(iterator.next() ?? "x") })
        #expect(plan.unchanged == ["same"])
        #expect(plan.updated.map(\.title) == ["新标题"])
        #expect(plan.updated.first?.createdAt == Self.created && plan.updated.first?.updatedAt == later)
        #expect(plan.updated.first?.createdBy == "desk-1" && plan.updated.first?.updatedBy == "import")
        // The first new id was taken: the next one is used.
        #expect(plan.created.map(\.id) == ["fresh"])
        #expect(plan.created.first?.status == .retired && plan.created.first?.createdBy == "import")
    }

    @Test func anImportWithAnyBadEntryIsRefusedWhole() throws {
        let drafts = [
            KnowledgeDraft(id: "a", title: "好的", question: "问", answer: "答"),
            KnowledgeDraft(id: "a", title: "重复", question: "问", answer: "答"),
            KnowledgeDraft(id: "b", title: "", question: "问", answer: "答"),
        ]
        #expect(
            throws: KnowledgeImportError(problems: [
                "entry 2 (a): the id is given twice", "entry 3 (b): 'title' is empty",
            ])
        ) {
            try KnowledgeImport.plan(drafts, existing: [], now: Self.created, actor: "import", newID: { "x" })
        }
    }

    @Test func importFilesAreArraysOrObjectsWithEntries() throws {
        let array = Data(#"[{"title": "标题", "question": "问", "answer": "答", "ip_type": "patent"}]"#.utf8)
        let object = Data(
            #"""
            {"description": "说明", "entries": [{"id": "kb-x", "title": "标题", "question": "问", "answer": "答",
             "created_at": "2026-11-23T02:00:00.250Z", "updated_at": "2026-11-23T02:00:00Z"}]}
            """#.utf8)
        #expect(try KnowledgeDraft.decodeFile(array).first?.ipType == .patent)
        let draft = try #require(try KnowledgeDraft.decodeFile(object).first)
        #expect(draft.id == "kb-x")
        #expect(draft.createdAt == Date(timeIntervalSince1970: 1_795_399_200.25))
        #expect(throws: DecodingError.self) { try KnowledgeDraft.decodeFile(Data(#"{"title": "x"}"#.utf8)) }
    }

    // MARK: - Markdown

    @Test func markdownHasOneSectionPerEntry() {
        let entries = [
            Self.entry("a", title: "第一", answer: "# 不是标题\n第二行"), Self.entry("b", title: "第二", status: .retired),
        ]
        let markdown = KnowledgeMarkdown.render(entries)
        let sections = markdown.split(separator: "\n").filter { $0.hasPrefix("## ") }
        #expect(sections == ["## 第一", "## 第二"])
        #expect(markdown.contains("\\# 不是标题\n第二行"))
        #expect(markdown.contains("- status: retired"))
        #expect(markdown.contains("2 entries: 1 published, 1 retired."))
    }
}
