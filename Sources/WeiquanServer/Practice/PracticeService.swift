import Foundation
import WeiquanCore
import WeiquanStore

/// "Try the bot": staff talk to the conversation machine as an applicant would, without WeChat.
///
/// Each message runs the same machine, wording and knowledge base as the service, on the caller's
/// ``PracticeConversation``. What the machine asks for is described, never done: no case, question or handoff is
/// filed, nothing goes to WeChat or the outbox, nothing is audited. One message at a time per staff member (a lane on
/// the instance and the coordination's lock `practice:<name>` across instances).
public struct PracticeService: Sendable {
    /// What one message got: the bot's reply (none when it says nothing) and notes on what it would have done.
    public struct Turn: Sendable, Equatable {
        public var replies: [String]
        public var notes: [String]
        /// Who owns the practice conversation now: `bot`, `queue` or `staff:<name>`.
        public var owner: String
    }

    /// The longest message, in characters.
    public static let textLimit = 2_000

    let machine: ConversationMachine
    let store: any DocumentStore
    let coordination: any Coordination
    let knowledge: (@Sendable (String) -> KnowledgeAnswer?)?
    let clock: @Sendable () -> Date
    let lanes = SerialLanes<String>()

    /// Practice with the machine, coordination and knowledge base of `service`, kept in its store.
    init(service: ConversationService, clock: @escaping @Sendable () -> Date) {
        self.machine = service.machine
        self.store = service.store
        self.coordination = service.coordination
        self.knowledge = service.knowledge
        self.clock = clock
    }

    /// Sends `text` (if any) from `who`'s practice conversation, after starting it afresh when `reset` is set.
    /// Staff and admins only (403 `forbidden_role`); no text and no reset is a 400.
    public func talk(_ who: StaffIdentity, text: String?, reset: Bool) async throws -> Turn {
        try DeskService.requireStaff(who)
        let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !trimmed.isEmpty || reset else { throw DeskError.badRequest("'text' is empty") }
        guard trimmed.count <= Self.textLimit else {
            throw DeskError.badRequest("'text' is longer than \(Self.textLimit) characters", code: "text_too_long")
        }
        let name = who.name
        return try await self.lanes.run(name) {
            try await self.coordination.exclusively("practice:\(name)") {
                let now = self.clock()
                var practice =
                    reset
                    ? PracticeConversation(name: name, at: now)
                    : try await self.store.get(PracticeConversation.self, id: name)
                        ?? PracticeConversation(name: name, at: now)
                var turn = Turn(replies: [], notes: [], owner: "")
                if reset { turn.notes.append("（练习模式：已重新开始一段对话）") }
                if !trimmed.isEmpty {
                    practice.record("applicant", [trimmed], at: now)
                    self.step(trimmed, &practice, now: now, turn: &turn)
                }
                practice.record("bot", turn.replies, at: now)
                practice.record("note", turn.notes, at: now)
                turn.owner = practice.conversation.owner.description
                try await self.store.put(practice)
                return turn
            }
        }
    }

    /// `who`'s practice conversation as stored (a fresh one when there is none): its transcript and owner.
    public func current(_ who: StaffIdentity) async throws -> PracticeConversation {
        try DeskService.requireStaff(who)
        return try await self.store.get(PracticeConversation.self, id: who.name)
            ?? PracticeConversation(name: who.name, at: self.clock())
    }

    /// Runs the machine on one message and describes what it would have the service do.
    private func step(_ text: String, _ practice: inout PracticeConversation, now: Date, turn: inout Turn) {
        let directory = self.machine.configuration.directory
        func unitName(_ unit: UnitID?) -> String {
            unit.map { directory.unit(id: $0)?.name ?? $0.rawValue } ?? "未定单位"
        }
        let day = self.machine.dayString(now)
        let filedToday = practice.cases.filter { self.machine.dayString($0.createdAt) == day }.count
        let context = ConversationContext(
            now: now, applicant: practice.conversation.applicant,
            caseID: self.machine.caseID(filedAt: now, sequence: filedToday + 1),
            cases: practice.cases.reversed().map(\.summary),
            handoffID: HandoffID("P\(practice.handoffsOpened + 1)"), queuePosition: 1, knowledge: self.knowledge,
            questionID: QuestionID(sequence: practice.questionsLeft + 1))
        let step = self.machine.step(
            .text(text), conversation: &practice.conversation, handoff: practice.handoff, context: context)
        if let reply = step.reply { turn.replies.append(reply) }
        for record in step.filed {
            practice.cases.append(record)
            turn.notes.append("（练习模式：此处会登记案件 \(record.id)，交由\(unitName(record.unit))办理；练习中不登记）")
        }
        for id in step.withdrawn {
            for index in practice.cases.indices where practice.cases[index].id == id {
                try? practice.cases[index].apply(.withdraw, by: AuditEntry.applicant, at: now)
            }
            turn.notes.append("（练习模式：此处会撤回案件 \(id)）")
        }
        for given in step.ratings {
            turn.notes.append("（练习模式：此处会记录案件 \(given.caseID) 的评价：\(given.score) 分）")
        }
        if step.erasureRequested {
            turn.notes.append("（练习模式：此处会登记删除个人信息的请求，交工作人员确认）")
        }
        if let question = step.question {
            practice.questionsLeft += 1
            turn.notes.append("（练习模式：此处会把问题 \(question.id) 留给志愿者解答；练习中不留）")
        }
        if !step.questionReplies.isEmpty || !step.answerRatings.isEmpty {
            turn.notes.append("（练习模式：此处会把回复或评价记在志愿者的问题上）")
        }
        if let opened = step.opened {
            practice.handoffsOpened += 1
            switch opened.status {
            case .waiting:
                turn.notes.append(
                    "（练习模式：此处会转人工，在\(unitName(opened.unit))的队列中等候工作人员；"
                        + "练习中没有人接待：发送“取消”离开队列，或重新开始）")
            case .callback:
                turn.notes.append("（练习模式：此处会请\(unitName(opened.unit))的工作人员回电；练习中不登记）")
            case .question:
                turn.notes.append("（练习模式：此处会给\(unitName(opened.unit))的工作人员留言；练习中不登记）")
            case .active, .ended:
                turn.notes.append("（练习模式：此处会转给工作人员）")
            }
        }
        if let ended = step.handoff, !ended.ownsConversation {
            turn.notes.append("（练习模式：人工环节结束，机器人接回对话）")
        }
        practice.handoff = [step.opened, step.handoff].compactMap { $0 }.first { $0.ownsConversation }
    }
}
