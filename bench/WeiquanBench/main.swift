// Benchmarks of the understanding path and one conversation step, on one core.
//
//   swift run -c release WeiquanBench            (from the repository root)
//   swift run -c release WeiquanBench cases      (only the case list and the year's report, 100,000 cases)
//   swift run -c release WeiquanBench kb         (only the knowledge base's search, 2,000 entries)
//   swift run -c release WeiquanBench console    (only the console's cases list page, 1,000 rows)
//   swift run -c release WeiquanBench safemode   (only what safe mode's crypto adds to a message, against plain)
//   swift run -c release WeiquanBench dialogue   (only the conversation machine over the webhook bench's messages)
//   swift run -c release WeiquanBench memory [n] (only the resident memory per conversation at rest, 100,000
//                                                 applicants by default)
//   swift run -c release WeiquanBench encode     (only a Conversation's JSON encoding: Foundation against the store's
//                                                 encoder)
//   swift run -c release WeiquanBench registry [scale]   (registry import, memory and lookups: 2 M patents and
//                                                         1 M trademarks at scale 1, the default)
//
// Every figure is the best of several rounds, printed with a baseline measured in the same run,
// so the ratios mean something on a shared, noisy machine.
import Foundation
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("bench: \(message)\n".utf8))
    exit(1)
}

let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
let data: BotData
do {
    data = try BotData.load(intentsDirectory: root.appendingPathComponent("intents"))
} catch {
    fail("run from the repository root: \(error)")
}
// `WeiquanBench registry [scale]`: only the registry's import, memory and lookups.
if CommandLine.arguments.dropFirst().first == "registry" {
    let scale = CommandLine.arguments.dropFirst(2).first.flatMap(Double.init) ?? 1
    try await RegistryBench(scale: scale).run()
    exit(0)
}
// `WeiquanBench memory`: only the resident memory per conversation at rest.
if CommandLine.arguments.dropFirst().first == "memory" {
    let applicants = CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 100_000
    try await MemoryBench(data: data, applicants: applicants).run()
    exit(0)
}
// `WeiquanBench encode`: only the stored conversation's encoding, Foundation against the store's encoder.
if CommandLine.arguments.dropFirst().first == "encode" {
    try EncodeBenchmark(data: data).run()
    exit(0)
}
// `WeiquanBench compaction [megabytes]`: write latency while a compaction runs, all at once against in steps.
if CommandLine.arguments.dropFirst().first == "compaction" {
    let megabytes = CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 100
    try await CompactionBench(megabytes: megabytes).run()
    exit(0)
}
// `WeiquanBench safemode`: only what safe mode adds to a message (the envelope's crypto), against plain mode.
if CommandLine.arguments.dropFirst().first == "safemode" {
    try SafeModeBench().run()
    exit(0)
}
// `WeiquanBench dialogue`: only the conversation machine over the webhook bench's messages.
if CommandLine.arguments.dropFirst().first == "dialogue" {
    try DialogueBench(data: data).run()
    exit(0)
}
// `WeiquanBench console`: only the console's cases list page.
if CommandLine.arguments.dropFirst().first == "console" {
    try await ConsolePageBench(data: data).run()
    exit(0)
}
// `WeiquanBench cases`: only the case list and report figures.
if CommandLine.arguments.dropFirst().first == "cases" {
    try await CaseListBench(data: data).run()
    exit(0)
}
let evaluation: [String]
do {
    evaluation = try String(contentsOf: root.appendingPathComponent("intents/evaluation.tsv"), encoding: .utf8)
        .split(separator: "\n").filter { !$0.hasPrefix("#") }
        .compactMap { line in line.split(separator: "\t", maxSplits: 1).last.map(String.init) }
} catch {
    fail("cannot read intents/evaluation.tsv: \(error)")
}
guard !evaluation.isEmpty else { fail("the evaluation set is empty") }
// `WeiquanBench kb`: only the knowledge base's search.
if CommandLine.arguments.dropFirst().first == "kb" {
    try await KnowledgeBench(root: root, messages: evaluation).run()
    exit(0)
}
let machine = data.makeMachine()
let understander = machine.understander

/// Runs `body` over all messages `passes` times per round; returns the best messages per second.
func measure(rounds: Int = 5, passes: Int, _ body: (String) -> Int) -> Double {
    var best = 0.0
    var sink = 0
    let clock = ContinuousClock()
    for _ in 0..<rounds {
        let start = clock.now
        for _ in 0..<passes {
            for message in evaluation { sink &+= body(message) }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        best = max(best, Double(passes * evaluation.count) / seconds)
    }
    if sink == 42 { print("") }  // keeps the work observable
    return best
}

func line(_ name: String, _ perSecond: Double, baseline: Double? = nil) {
    let micros = 1e6 / perSecond
    var text = name.padding(toLength: 44, withPad: " ", startingAt: 0)
    text += String(format: "%12.0f msg/s  %8.2f µs/msg", perSecond, micros)
    if let baseline { text += String(format: "  ×%.2f vs baseline", perSecond / baseline) }
    print(text)
}

let year = 2026
print("WeiquanBench — \(evaluation.count) evaluation messages, \(data.catalogue.intents.count) intents, 1 core")
print("")
let lowercase = measure(passes: 200) { $0.lowercased().utf8.count }
line("baseline: String.lowercased()", lowercase)
let icu = measure(rounds: 3, passes: 10) {
    ($0.applyingTransform(StringTransform("Hant-Hans"), reverse: false) ?? $0).utf8.count
}
line("baseline: ICU Hant-Hans transform", icu)
let normalizer = TextNormalizer()
let simplify = measure(passes: 200) { normalizer.simplified($0).utf8.count }
line("traditional→simplified (table)", simplify, baseline: icu)
let normalize = measure(passes: 200) { normalizer.normalize($0).utf8.count }
line("normalise (all steps)", normalize, baseline: icu)
let normalized = evaluation.map(normalizer.normalize)
var index = 0
let classifyOnly = measure(passes: 100) { _ in
    index = (index + 1) % normalized.count
    return understander.matcher.match(normalized: normalized[index]).best?.matchedPhrases.count ?? 0
}
line("match intent (normalised input)", classifyOnly)
let understand = measure(passes: 100) { understander.understand($0, currentYear: year).normalized.utf8.count }
line("normalise + classify + entities", understand, baseline: icu)

// One conversation step: the applicant answers the current question of an aid-request form.
let context = ConversationContext(now: Transcript.defaultStart, applicant: "bench", caseID: "WQ202611210001")
var formState = ConversationState()
for message in ["我要申请维权援助", "1", "2", "南宁某某科技有限公司"] {
    _ = machine.handle(.text(message), state: &formState, context: context)
}
let step = measure(passes: 100) { message in
    var state = formState
    return machine.handle(.text(message), state: &state, context: context).count
}
line("conversation step (form question, any text)", step, baseline: icu)
var idle = ConversationState()
let idleStep = measure(passes: 100) { message in
    var state = idle
    return machine.handle(.text(message), state: &state, context: context).count
}
line("conversation step (idle, any text)", idleStep, baseline: icu)
// The service's entry point: the same form answer through `step`, which decides by the owner, remembers the
// message for a handoff's context and interprets the effects into what the service writes.
let formConversation = Conversation(applicant: "bench", state: formState, updatedAt: Transcript.defaultStart)
let wholeStep = measure(passes: 100) { message in
    var conversation = formConversation
    return machine.step(.text(message), conversation: &conversation, handoff: nil, context: context).effects.count
}
line("step(): the form answer as the service runs it", wholeStep, baseline: icu)
idle = ConversationState()

let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]
let resting = (try? encoder.encode(formState))?.count ?? 0
let idleBytes = (try? encoder.encode(ConversationState()))?.count ?? 0
print("")
// What each message writes for its conversation: the record, JSON-encoded as the journal stores it (the
// applicant's recent messages, kept for a handoff's context, stay in memory and are not written).
var stored = Conversation(
    applicant: "o6_bench_applicant_0000000000", state: formState, updatedAt: Transcript.defaultStart)
for message in evaluation.prefix(3) { stored.remember(message, at: Transcript.defaultStart) }
let encodeStored = measure(rounds: 3, passes: 10) { _ in (try? stored.storeJSON())?.count ?? 0 }
line("encode the stored conversation (journal)", encodeStored)
print("")
print("conversation at rest (JSON): idle \(idleBytes) bytes, mid-form (3 answers) \(resting) bytes")
let budget = 50_000.0
print(
    String(
        format: "budget ≥ %.0f classified msg/s on one core: %@ (%.0f)", budget,
        understand >= budget ? "met" : "NOT MET", understand))

// What the metrics cost per webhook request: the HTTP middleware's counter and histogram (three labels) and the
// webhook's own counter and histogram.
let metrics = Metrics()
let recordRequest = measure(passes: 100) { _ in
    metrics.increment(.httpRequests, labels: ["POST", "/wechat", "200"])
    metrics.observe(.httpRequestSeconds, labels: ["POST", "/wechat", "200"], seconds: 0.001)
    metrics.increment(.messages, label: "text")
    metrics.observe(.handlerSeconds, seconds: 0.001)
    return 1
}
line("metrics of one webhook request (4 series)", recordRequest)

// The conversation service over the in-memory store, one message after another: the retry ledger, the
// applicant's lane, the owner-deciding step, one write, and the race against WeChat's reply budget.
let service = try await ConversationService(machine: machine, store: MemoryDocumentStore())
var serviceBest = 0.0
let serviceClock = ContinuousClock()
for round in 0..<5 {
    let start = serviceClock.now
    for (number, message) in evaluation.enumerated() {
        let applicant = ApplicantID("bench-\(number % 200)")
        _ = await service.handle(
            .text(message), applicant: applicant, key: "msg:\(round)-\(number)", budget: .seconds(4))
    }
    serviceBest = max(serviceBest, Double(evaluation.count) / (serviceClock.now - start).inSeconds)
}
line("conversation service: one message (memory store)", serviceBest)

try await CaseListBench(data: data).run()
try await KnowledgeBench(root: root, messages: evaluation).run()
try await ConsolePageBench(data: data).run()
