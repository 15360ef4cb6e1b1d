import Foundation
import Testing
import WeiquanCore

/// The bot's side of a question for the volunteers: the knowledge base first, screening, confirmation, and the
/// waits for a follow-up's reply and for the answer's rating.
@Suite struct QuestionFlowTests {
    let machine = TestBot.machine
    let now = Dialogue.mondayMorning
    static let entry = KnowledgeAnswer(id: "kb-1", title: "商标被他人抢注怎么办", answer: "可以提出异议或请求宣告无效。")

    static let secret = KnowledgeAnswer(id: "kb-2", title: "商业秘密被带走怎么办", answer: "固定证据，可请求行政查处或起诉。")
    static let lookup: @Sendable (String) -> KnowledgeAnswer? = { text in
        text.contains("抢注") ? Self.entry : text.contains("配方") ? Self.secret : nil
    }

    func context(_ now: Date? = nil) -> ConversationContext {
        ConversationContext(
            now: now ?? self.now, applicant: "user-a", caseID: "WQ202611230001", handoffID: "H000001",
            knowledge: Self.lookup, questionID: "Q000007")
    }

    func say(_ text: String, _ conversation: inout Conversation, at now: Date? = nil) -> ConversationStep {
        self.machine.step(.text(text), conversation: &conversation, handoff: nil, context: self.context(now))
    }

    @Test func anAnswerFromTheKnowledgeBaseThatHelpedQueuesNothing() throws {
        var conversation = Conversation(applicant: "user-a", updatedAt: self.now)
        _ = self.say("我要提问", &conversation)
        let offered = self.say("我的商标被抢注了怎么办", &conversation)
        #expect(try #require(offered.reply).contains("【商标被他人抢注怎么办】"))
        let helped = self.say("1", &conversation)
        #expect(
            helped.question == nil && !helped.effects.contains { if case .leaveQuestion = $0 { true } else { false } })
        #expect(conversation.state.phase == .idle)
    }

    @Test func aMessageTheBotDoesNotUnderstandIsAnsweredFromTheKnowledgeBaseWhenItCan() throws {
        var conversation = Conversation(applicant: "user-a", updatedAt: self.now)
        let offered = self.say("合伙人散伙后拿走了配方自己干", &conversation)
        #expect(try #require(offered.reply).contains("【商业秘密被带走怎么办】"))
        #expect(conversation.state.consecutiveFallbacks == 0)
        // Not helped: the same words go on to the volunteers, confirmed first.
        let confirm = self.say("2", &conversation)
        #expect(try #require(confirm.reply).contains("「合伙人散伙后拿走了配方自己干」"))
        #expect(self.say("1", &conversation).question?.text == "合伙人散伙后拿走了配方自己干")
    }

    @Test func anAnswerThatDidNotHelpGoesOnToTheQueueRedactedWithTheFormsAnswers() throws {
        var conversation = Conversation(applicant: "user-a", updatedAt: self.now)
        _ = self.say("我要提问", &conversation)
        _ = self.say("我的商标被抢注了，我叫王小明，电话13800138000", &conversation)
        let confirm = self.say("2", &conversation)
        #expect(try #require(confirm.reply).contains("确认提交"))
        let left = self.say("1", &conversation)
        let question = try #require(left.question)
        #expect(question.id == "Q000007" && question.text.contains("13800138000"))
        #expect(!question.redacted.contains("13800138000") && question.redacted.contains("【电话】"))
    }

    @Test func aFollowUpsReplyIsTheNextMessageButCommandsStillWork() throws {
        var conversation = Conversation(applicant: "user-a", updatedAt: self.now)
        conversation.questionWait = QuestionWait(question: "Q000007", kind: .reply(until: self.now + 3600))
        let menu = self.say("菜单", &conversation)
        #expect(menu.questionReplies.isEmpty && conversation.questionWait != nil)
        let reply = self.say("注册号是第16435657号", &conversation)
        #expect(reply.questionReplies == [QuestionReplyGiven(question: "Q000007", text: "注册号是第16435657号")])
        #expect(conversation.questionWait == nil)
        // A wait whose time ran out is dropped: the message is handled as usual.
        conversation.questionWait = QuestionWait(question: "Q000007", kind: .reply(until: self.now + 60))
        let late = self.say("你好", &conversation, at: self.now + 61)
        #expect(late.questionReplies.isEmpty && conversation.questionWait == nil)
    }

    @Test func theAnswersRatingIsHelpfulOrNotWithAComment() {
        var conversation = Conversation(applicant: "user-a", updatedAt: self.now)
        conversation.questionWait = QuestionWait(question: "Q000007", kind: .rating)
        let other = self.say("申请援助需要什么材料", &conversation)
        #expect(other.answerRatings.isEmpty && conversation.questionWait != nil)
        _ = self.say("取消", &conversation)
        let rated = self.say("没有帮助，说得太笼统", &conversation)
        #expect(rated.answerRatings == [AnswerRatingGiven(question: "Q000007", helpful: false, comment: "说得太笼统")])
        #expect(conversation.questionWait == nil)
    }

    @Test func outOfScopeQuestionsGetAHotlineUnlessTheyMentionIP() throws {
        var conversation = Conversation(applicant: "user-a", updatedAt: self.now)
        _ = self.say("我要提问", &conversation)
        let wages = self.say("老板拖欠工资三个月不给怎么办", &conversation)
        #expect(try #require(wages.reply).contains("12348") && wages.question == nil)
        _ = self.say("我要提问", &conversation)
        let fake = self.say("买到假冒商标的鞋子想退货", &conversation)
        #expect(try #require(fake.reply).contains("确认提交"))
    }
}
