import Foundation
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// The conversation machine's share of a webhook message, as `bench/webhook.sh` sends them: the same seven texts,
/// 1,000 applicants in turn, each applicant's conversation carried from one message to the next (so a menu
/// answer, a form or a status query meets the state the one before left). Per message: the owner-deciding step
/// the service runs, and the conversation's JSON as the journal stores it. One core, best of several rounds.
struct DialogueBench {
    let data: BotData
    /// The texts of `bench/webhook.lua` and `bench/encrypted_pool.py`, in their order.
    static let texts = ["你好", "谢谢", "查询专利201310268509.X的法律状态", "维权援助收费吗", "菜单", "我的案件进度", "今天天气怎么样"]
    let applicants = 1_000

    func run() throws {
        let machine = self.data.makeMachine()
        var conversations = (0..<self.applicants).map { number in
            Conversation(applicant: ApplicantID("o6_bench_\(number)"), updatedAt: Transcript.defaultStart)
        }
        let messages = 70_000
        let caseID: CaseID = "WQ202611210001"
        var sink = 0
        var counter = 0
        func pass(_ count: Int, encode: Bool) throws -> Double {
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<count {
                let applicant = counter % self.applicants
                let text = Self.texts[counter % Self.texts.count]
                counter += 1
                let now = Transcript.defaultStart.addingTimeInterval(Double(counter) / 1_000)
                let context = ConversationContext(
                    now: now, applicant: conversations[applicant].applicant, caseID: caseID)
                let step = machine.step(
                    .text(text), conversation: &conversations[applicant], handoff: nil, context: context)
                sink &+= step.effects.count
                if encode { sink &+= try conversations[applicant].storeJSON().count }
            }
            return (clock.now - start).inSeconds * 1e6 / Double(count)
        }
        // A warm-up pass: every conversation past its first message, as in a server after its first seconds.
        _ = try pass(messages, encode: false)
        var stepOnly = Double.infinity
        var withJSON = Double.infinity
        for _ in 0..<5 {
            stepOnly = min(stepOnly, try pass(messages, encode: false))
            withJSON = min(withJSON, try pass(messages, encode: true))
        }
        if sink == 42 { print("") }
        print("")
        print("the webhook bench's messages (\(Self.texts.count) texts, \(self.applicants) applicants), one core:")
        print(String(format: "  step(): the machine as the service runs it     %8.2f µs/msg", stepOnly))
        print(String(format: "  + the conversation's JSON for the journal      %8.2f µs/msg", withJSON))
    }
}
