import ArgumentParser
import Foundation
import WeiquanCore
import WeiquanFiles

struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Talk to the bot in the terminal as an applicant (standard input may be piped).",
        discussion: """
            Type a message and press Enter. /quit ends the chat. /release plays staff handing a conversation back \
            to the bot; /conclude plays staff ending the last open case (an aid request concluded, a complaint \
            closed): its notice is printed and the bot waits for the applicant's rating, as the service does. \
            Cases filed here, and what becomes of them (withdrawn, concluded, rated), are kept in memory only and \
            are gone when the chat ends; [bracketed lines] on standard error say what the service would record.
            """
    )

    @OptionGroup var data: DataOptions

    @Option(help: "The applicant id to chat as.")
    var applicant = "terminal-applicant"

    func run() throws {
        let machine = try self.data.load().makeMachine()
        let knowledge = self.data.knowledgeSeed()
        var questionsLeft = 0
        let interactive = isatty(STDIN_FILENO) != 0
        let applicant = ApplicantID(self.applicant)
        var conversation = Conversation(applicant: applicant, updatedAt: Date())
        /// The handoff that owns the conversation while it waits for a person.
        var handoff: HandoffRecord?
        var handoffsOpened = 0
        var cases: [CaseRecord] = []
        var filedToday: [String: Int] = [:]
        if interactive {
            print("（与机器人对话；输入 /quit 结束；转人工后输入 /release 模拟工作人员交回；/conclude 模拟工作人员结案）")
        }
        while true {
            if interactive { print("你：", terminator: "") }
            guard let line = readLine(strippingNewline: true) else { break }
            if line == "/quit" { break }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let now = Date()
            if line == "/release" {
                // What staff releasing the conversation back to the bot would send.
                guard var owning = handoff else {
                    printError("[nothing to release: the bot owns the conversation]")
                    continue
                }
                let text = machine.handBack(
                    &owning, conversation: &conversation, outcome: .released, resume: true, by: "terminal", now: now
                )
                handoff = nil
                print(text + "\n")
                continue
            }
            if line == "/conclude" {
                // What staff ending the last open case through the desk would do: the notice asks for a rating.
                guard let index = cases.lastIndex(where: { !$0.status.isFinished }) else {
                    printError("[nothing to conclude: no open case]")
                    continue
                }
                let previous = cases[index].status
                cases[index].status = cases[index].kind == .complaint ? .closed : .concluded
                conversation.caseMoved(cases[index], from: previous)
                printError("[case \(cases[index].status.rawValue): \(cases[index].id)]")
                let key = "case.notice.\(cases[index].status.rawValue)"
                print(machine.replies.render(key, ["case_id": cases[index].id.rawValue]) + "\n")
                continue
            }
            let day = machine.dayString(now)
            let context = ConversationContext(
                now: now, applicant: applicant,
                caseID: machine.caseID(filedAt: now, sequence: (filedToday[day] ?? 0) + 1),
                cases: cases.reversed().map(\.summary), handoffID: HandoffID("H\(handoffsOpened + 1)"),
                queuePosition: 1,
                knowledge: knowledge?.lookup, questionID: QuestionID(sequence: questionsLeft + 1)
            )
            let step = machine.step(.text(line), conversation: &conversation, handoff: handoff, context: context)
            if let question = step.question {
                questionsLeft += 1
                printError("[question for the volunteers: \(question.id), as they see it: \(question.redacted)]")
            }
            for id in step.withdrawn {
                for index in cases.indices where cases[index].id == id {
                    try? cases[index].apply(.withdraw, by: "applicant", at: now)
                    printError("[case withdrawn: \(id)]")
                }
            }
            for given in step.ratings {
                // As the service does: the score and comment go on the case, if it may still be rated.
                guard let index = cases.firstIndex(where: { $0.id == given.caseID }) else { continue }
                do {
                    try cases[index].rate(score: given.score, comment: given.comment, at: now)
                    printError("[case rated: \(given.caseID) \(given.score)\(given.comment.map { " “\($0)”" } ?? "")]")
                } catch {
                    printError("[rating not recorded: \(given.caseID): \(error)]")
                }
            }
            for record in step.filed {
                cases.append(record)
                filedToday[day, default: 0] += 1
                printError("[case filed: \(record.id) → \(record.unit?.rawValue ?? "-")]")
            }
            if let opened = step.opened {
                handoffsOpened += 1
                printError("[\(opened.status.rawValue): \(opened.reason.rawValue) → \(opened.unit)]")
            }
            if let ended = step.handoff, !ended.ownsConversation {
                printError("[handoff ended: \(ended.outcome?.rawValue ?? "-")]")
            }
            handoff = [step.opened, step.handoff].compactMap { $0 }.first { $0.ownsConversation }
            if let reply = step.reply { print(interactive ? "机器人：\(reply)\n" : "\(reply)\n") }
        }
    }
}
