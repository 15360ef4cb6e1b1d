import Foundation
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// What every message pays to write the applicant's `Conversation` and its retry record: Foundation's
/// `JSONEncoder` (`StoreCoding.encoder`), the store's own `Encodable` encoder (`StoreCoding.encode`) and the
/// documents' direct writers (`storeJSON()`, what the service uses), in the same run, on the conversation the main
/// benchmark writes (mid-form after three answers, three recent messages, a session), on one as the webhook
/// benchmark leaves it (idle at the main menu, a session), and on a retry record. All three must write the same
/// bytes; the benchmark stops if they do not. Prints µs per encode (the best of several rounds) and the ratios
/// against Foundation.
struct EncodeBenchmark {
    let data: BotData
    var rounds = 5
    var encodesPerRound = 20_000

    func run() throws {
        let machine = self.data.makeMachine()
        let now = Transcript.defaultStart
        let context = ConversationContext(now: now, applicant: "bench", caseID: "WQ202611210001")
        var state = ConversationState()
        for message in ["我要申请维权援助", "1", "2", "南宁某某科技有限公司"] {
            _ = machine.handle(.text(message), state: &state, context: context)
        }
        var conversation = Conversation(applicant: "o6_bench_applicant_0000000000", state: state, updatedAt: now)
        for message in ["我的商标被人抢注了怎么办", "请问专利年费什么时候交", "人工客服"] {
            conversation.remember(message, at: now)
        }
        conversation.session = ConversationSession(id: "s-bench", startedAt: now)
        var idle = ConversationState()
        _ = machine.handle(.text("你好"), state: &idle, context: context)
        var resting = Conversation(applicant: "o6_bench_applicant_0000000000", state: idle, updatedAt: now)
        resting.session = ConversationSession(id: "A9C52C66-7AB6-4733-ACB7-D44C441ABFE1", startedAt: now)
        let retry = RetryRecord(id: "msg:bench-1", reply: "您好！请问有什么可以帮您？", handledAt: now)
        print("")
        print(
            "encode: Foundation's JSONEncoder, the store's Encodable encoder and the direct writer, "
                + "\(self.encodesPerRound) encodes a round, 1 core")
        try self.compare("Conversation (mid-form, 3 messages)", conversation)
        try self.compare("Conversation (idle at the menu)", resting)
        try self.compare("RetryRecord", retry)
    }

    private func compare<T: StoredDocument>(_ name: String, _ value: T) throws {
        let foundationBytes = try StoreCoding.encoder.encode(value)
        guard try StoreCoding.encode(value) == foundationBytes else {
            fail("the store's encoder does not write \(name) as Foundation does")
        }
        guard try value.storeJSON() == foundationBytes else {
            fail("the direct writer does not write \(name) as Foundation does")
        }
        let foundation = try self.best { _ = try StoreCoding.encoder.encode(value) }
        let store = try self.best { _ = try StoreCoding.encode(value) }
        let direct = try self.best { _ = try value.storeJSON() }
        let label = "\(name), \(foundationBytes.count) bytes".padding(toLength: 48, withPad: " ", startingAt: 0)
        print(
            String(
                format: "%@ Foundation %6.2f µs   store %6.2f µs (×%.1f)   direct %5.2f µs (×%.1f)", label,
                foundation, store, foundation / store, direct, foundation / direct))
    }

    /// The best µs per call of `body` over the rounds.
    private func best(_ body: () throws -> Void) throws -> Double {
        var best = Double.infinity
        let clock = ContinuousClock()
        for _ in 0..<self.rounds {
            let start = clock.now
            for _ in 0..<self.encodesPerRound { try body() }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            best = min(best, seconds * 1e6 / Double(self.encodesPerRound))
        }
        return best
    }
}
