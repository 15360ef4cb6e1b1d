import Foundation
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// The knowledge base's search as the bot would run it on every free-text message, over 2,000 entries: the seed's
/// entries (`intents/knowledge-seed.json`) and 1,980 more made from their sentences (seeded: the same on every run),
/// so that the vocabulary and the lengths are those of real answers. Measures building the index, `best` on the
/// matcher's evaluation messages and the knowledge base's labelled queries, and the desk's searched list.
struct KnowledgeBench {
    let root: URL
    let messages: [String]
    var entryCount = 2_000

    /// The seed's entries and generated ones up to ``entryCount``.
    func entries() throws -> [KnowledgeEntry] {
        let data = try Data(contentsOf: self.root.appendingPathComponent("intents/knowledge-seed.json"))
        let created = Date(timeIntervalSince1970: 1_795_399_200)
        let seed = try KnowledgeDraft.decodeFile(data).enumerated().map { index, draft in
            draft.entry(id: draft.id ?? KnowledgeEntryID("seed-\(index)"), existing: nil, now: created, actor: "bench")
        }
        let sentences = seed.flatMap { $0.answer.split(separator: "。").map { String($0) + "。" } }
        var random = CaseListBench.Generator(state: 12_330)
        var entries = seed
        while entries.count < self.entryCount {
            let number = entries.count
            let base = seed[random.next(below: seed.count)]
            let answer = (0..<(3 + random.next(below: 4))).map { _ in sentences[random.next(below: sentences.count)] }
                .joined()
            let question = base.question + sentences[random.next(below: sentences.count)]
            entries.append(
                KnowledgeEntry(
                    id: KnowledgeEntryID("gen-\(number)"), title: "\(base.title)（\(number)）",
                    question: String(question.prefix(KnowledgeEntry.Limits.question)),
                    answer: String(answer.prefix(KnowledgeEntry.Limits.answer)), ipType: base.ipType, tags: base.tags,
                    createdAt: created, createdBy: "bench"))
        }
        return entries
    }

    /// The knowledge base's labelled queries (`intents/knowledge-evaluation.tsv`).
    func labelledQueries() throws -> [String] {
        try String(contentsOf: self.root.appendingPathComponent("intents/knowledge-evaluation.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .compactMap { line in line.split(separator: "\t", maxSplits: 1).last.map(String.init) }
    }

    /// The best of `rounds` rounds of `body` over `texts`, in microseconds per text.
    static func microseconds(_ texts: [String], rounds: Int = 5, passes: Int, _ body: (String) -> Int) -> Double {
        var best = Double.infinity
        var sink = 0
        let clock = ContinuousClock()
        for _ in 0..<rounds {
            let start = clock.now
            for _ in 0..<passes {
                for text in texts { sink &+= body(text) }
            }
            best = min(best, (clock.now - start).inSeconds * 1e6 / Double(passes * texts.count))
        }
        if sink == 42 { print("") }  // keeps the work observable
        return best
    }

    static func line(_ name: String, _ value: Double, _ unit: String) {
        print(name.padding(toLength: 58, withPad: " ", startingAt: 0) + String(format: "%10.1f %@", value, unit))
    }

    func run() async throws {
        let entries = try self.entries()
        let labelled = try self.labelledQueries()
        print("")
        print("knowledge base: \(entries.count) entries, 1 core")
        let build = await CaseListBench.median(runs: 5) { KnowledgeIndex(entries).count }
        CaseListBench.line("build the index (every entry tokenised and weighted)", build, "entries")
        let index = KnowledgeIndex(entries)
        let free = Self.microseconds(self.messages, passes: 5) { index.best($0) == nil ? 0 : 1 }
        Self.line("best(): one of the \(self.messages.count) evaluation messages", free, "µs/message")
        let questions = Self.microseconds(labelled, passes: 50) { index.best($0) == nil ? 0 : 1 }
        Self.line("best(): one of the \(labelled.count) labelled KB queries", questions, "µs/message")
        let answered = labelled.filter { index.best($0) != nil }.count
        print("  \(answered) of the \(labelled.count) labelled queries answered over \(entries.count) entries")

        let store = MemoryDocumentStore()
        try await store.put(contentsOf: entries)
        let knowledge = try await KnowledgeBase(store: store)
        let service = KnowledgeService(knowledge: knowledge)
        let staff = StaffIdentity(name: "bench", role: .staff, unit: nil)
        let listed = try await CaseListBench.median(runs: 5) {
            try await service.list(staff, statuses: nil, text: "商标被抢注了怎么办").total
        }
        CaseListBench.line("GET /api/v1/kb?q=… (all + index + search), memory store", listed, "matches")
    }
}
