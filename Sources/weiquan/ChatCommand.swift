import ArgumentParser
import Foundation
import WeiquanCore
import WeiquanFiles

struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Talk to the bot in the terminal as an applicant (standard input may be piped).",
        discussion: "Type a message and press Enter. /quit ends the chat. Cases filed here are kept in memory only."
    )

    @OptionGroup var data: DataOptions

    @Option(help: "The applicant id to chat as.")
    var applicant = "terminal-applicant"

    func run() throws {
        let machine = try self.data.load().makeMachine()
        let interactive = isatty(STDIN_FILENO) != 0
        var state = ConversationState()
        var cases: [CaseRecord] = []
        var filedToday: [String: Int] = [:]
        var queued = false
        if interactive { print("（与机器人对话；输入 /quit 结束；转人工后输入 /release 模拟工作人员交回）") }
        while true {
            if interactive { print("你：", terminator: "") }
            guard let line = readLine(strippingNewline: true) else { break }
            if line == "/quit" { break }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let now = Date()
            if line == "/release" {
                // What staff releasing the conversation back to the bot would send.
                print(machine.handBack(&state, key: "handoff.released", resume: true, now: now) + "\n")
                queued = false
                continue
            }
            let day = machine.dayString(now)
            let context = ConversationContext(
                now: now, applicant: self.applicant,
                caseID: machine.caseID(filedAt: now, sequence: (filedToday[day] ?? 0) + 1),
                cases: cases.reversed().map(\.summary)
            )
            let effects = queued
                ? machine.handleQueued(.text(line), state: &state, standing: QueueStanding(position: 1), context: context)
                : machine.handle(.text(line), state: &state, context: context)
            for effect in effects {
                switch effect {
                case .reply(let text):
                    print(interactive ? "机器人：\(text)\n" : "\(text)\n")
                case .fileCase(let record):
                    cases.append(record)
                    filedToday[day, default: 0] += 1
                    printError("[case filed: \(record.id) → \(record.unit ?? "-")]")
                case .requestHandoff(let request):
                    queued = true
                    printError("[handoff requested: \(request.reason.rawValue) → \(request.unit)]")
                case .leaveQueue:
                    queued = false
                    printError("[left the queue]")
                case .leaveQuestion(let request, _):
                    printError("[question left for \(request.unit)]")
                case .requestCallback(let request, let phone):
                    printError("[call-back to \(phone) requested from \(request.unit)]")
                case .closeConversation:
                    break
                }
            }
        }
    }
}
