import Foundation
import Testing
import WeiquanCore

/// Asking for a person, the queue, leaving a question or a number, and coming back to the bot.
@Suite struct HandoffConversationTests {
    var replies: ReplyBook { TestBot.replies }
    let machine = TestBot.machine

    func reply(_ effects: [ConversationEffect]) -> String? {
        for case .reply(let text) in effects { return text }
        return nil
    }

    func request(_ effects: [ConversationEffect]) -> HandoffRequest? {
        for case .requestHandoff(let request, _) in effects { return request }
        return nil
    }

    // MARK: - In office hours: the queue

    @Test func humanInOfficeHoursJoinsTheQueueAndSaysThePlace() throws {
        var dialogue = Dialogue()
        dialogue.now = Dialogue.mondayMorning
        dialogue.waiting = ["centre": 2]
        let effects = dialogue.send(.text("转人工"))
        let request = try #require(self.request(effects))
        #expect(request == HandoffRequest(reason: .requested, form: nil, unit: "centre", urgent: []))
        let reply = try #require(self.reply(effects))
        #expect(reply.contains("排在第 3 位"))
        #expect(reply.contains(self.machine.unitName("centre")))
        // The request comes before the reply that announces it.
        #expect(effects.count == 2)
        if case .requestHandoff(_, position: 3) = effects[0] {
        } else {
            Issue.record("the handoff must come first: \(effects)")
        }
    }

    @Test func theFormDecidesTheUnitAndIsKept() throws {
        var dialogue = Dialogue()
        dialogue.now = Dialogue.mondayMorning
        dialogue.say(["申请援助", "1", "1", "张三", "13800138000", "桂林", "1", "201310268509.X"])
        #expect(dialogue.form?.values["region"] == "桂林市")
        let effects = dialogue.send(.text("人工"))
        let request = try #require(self.request(effects))
        #expect(request.unit == "guilin")
        #expect(request.form?.values["name"] == "张三")
        #expect(try #require(self.reply(effects)).contains(self.replies.render("handoff.form_kept")))
        // The form stays as it was, to resume after the handoff.
        #expect(dialogue.form == request.form)
    }

    @Test func twoMisunderstandingsThenAPersonIsNotUnderstood() throws {
        var dialogue = Dialogue()
        dialogue.now = Dialogue.mondayMorning
        dialogue.say(["今天天气怎么样", "推荐一只股票"])
        #expect(dialogue.state.choices == [.talkToHuman, .leaveQuestionAbout("推荐一只股票"), .mainMenu])
        let request = try #require(self.request(dialogue.send(.text("1"))))
        #expect(request.reason == .notUnderstood)
    }

    // MARK: - Outside office hours: a question or a number

    @Test func outsideOfficeHoursOffersAQuestionOrACallBack() throws {
        var dialogue = Dialogue()  // Saturday 09:00
        let effects = dialogue.send(.text("人工"))
        #expect(self.request(effects) == nil)
        let reply = try #require(self.reply(effects))
        #expect(reply.contains("11月23日（周一）9:00"))
        #expect(dialogue.state.choices == [.leaveQuestion, .requestCallback, .mainMenu])
    }

    @Test func aQuestionLeftOutsideOfficeHours() throws {
        var dialogue = Dialogue()
        dialogue.say("人工")
        #expect(dialogue.say("1") == self.replies.render("handoff.ask_question"))
        // The question is shown back with the reminder about personal details; nothing is left until confirmed.
        let shown = dialogue.say("别人抢注了我的商标，我该怎么办？")
        #expect(shown.contains("「别人抢注了我的商标，我该怎么办？」") && shown.contains("个人信息"))
        #expect(!dialogue.lastEffects.contains { if case .leaveQuestion = $0 { true } else { false } })
        let effects = dialogue.send(.text("1"))
        let left = effects.compactMap { effect -> (HandoffRequest, String)? in
            if case .leaveQuestion(let request, let text) = effect { return (request, text) }
            return nil
        }
        #expect(left.count == 1)
        #expect(left.first?.1 == "别人抢注了我的商标，我该怎么办？")
        #expect(left.first?.0.unit == "centre")
        #expect(try #require(self.reply(effects)) == self.replies.render("volunteer.question_left"))
        #expect(dialogue.state.phase == .idle)
    }

    @Test func aCallBackNumberIsCheckedAndKept() throws {
        var dialogue = Dialogue()
        dialogue.say(["人工", "2"])
        #expect(dialogue.say("明天上午") == self.replies.render("handoff.invalid_phone"))
        let effects = dialogue.send(.text("0771-5551234"))
        #expect(effects.contains { if case .requestCallback(_, phone: "0771-5551234") = $0 { true } else { false } })
        dialogue.say(["人工", "2"])
        let mobile = dialogue.send(.text("我的手机 13800138000"))
        #expect(mobile.contains { if case .requestCallback(_, phone: "13800138000") = $0 { true } else { false } })
    }

    @Test func aCallBackGivesUpAfterTheRetryBudget() throws {
        var dialogue = Dialogue()
        dialogue.say(["人工", "2", "不知道", "没有"])
        let reply = dialogue.say("打我微信吧")
        #expect(reply.contains("仍未能识别电话号码"))
        #expect(dialogue.state.phase == .idle)
        #expect(!dialogue.lastEffects.contains { if case .requestCallback = $0 { true } else { false } })
    }

    @Test func leavingAQuestionInAFormGoesBackToTheForm() throws {
        var dialogue = Dialogue()
        dialogue.say(["申请援助", "1", "1", "张三"])
        #expect(dialogue.form?.current == "phone")
        dialogue.say(["人工", "1"])
        if case .leavingQuestion(let request) = dialogue.state.phase {
            #expect(request.form?.values["name"] == "张三")
        } else {
            Issue.record("expected to be leaving a question, got \(dialogue.state.phase)")
        }
        dialogue.say("我想问一下申请的费用")
        let reply = dialogue.say("1")
        #expect(reply.contains(self.replies.render("form.resume")))
        #expect(dialogue.form?.current == "phone")
        #expect(dialogue.form?.values["name"] == "张三")
    }

    @Test func cancelWhileLeavingAQuestionKeepsTheForm() {
        var dialogue = Dialogue()
        dialogue.say(["申请援助", "1", "1", "张三", "人工", "1"])
        let reply = dialogue.say("取消")
        #expect(reply.hasPrefix(self.replies.render("handoff.message_cancelled")))
        #expect(!dialogue.lastEffects.contains { if case .leaveQuestion = $0 { true } else { false } })
        #expect(dialogue.form?.current == "phone")
    }

    // MARK: - While waiting

    func queued(
        _ text: String, state: inout ConversationState, standing: QueueStanding, now: Date = Dialogue.mondayMorning
    ) -> [ConversationEffect] {
        let context = ConversationContext(now: now, applicant: "a", caseID: "WQ202611230001")
        return self.machine.handleQueued(.text(text), state: &state, standing: standing, context: context)
    }

    @Test func cancelLeavesTheQueueAndResumesTheForm() throws {
        var dialogue = Dialogue()
        dialogue.now = Dialogue.mondayMorning
        dialogue.say(["申请援助", "1", "1", "张三", "人工"])
        var state = dialogue.state
        let effects = self.queued("取消", state: &state, standing: QueueStanding(position: 2))
        #expect(effects.first == .leaveQueue)
        let reply = try #require(self.reply(effects))
        #expect(reply.hasPrefix(self.replies.render("handoff.left_queue")))
        #expect(reply.contains(self.replies.render("form.resume")))
        #expect(state.form?.current == "phone")
    }

    @Test func messagesWhileWaitingAreQuietUnlessThePlaceChanged() {
        var state = ConversationState()
        let now = Dialogue.mondayMorning
        let recent = QueueStanding(position: 2, toldPosition: 2, toldAt: now.addingTimeInterval(-60))
        #expect(self.queued("我补充一下情况", state: &state, standing: recent).isEmpty)
        let moved = QueueStanding(position: 1, toldPosition: 2, toldAt: now.addingTimeInterval(-60))
        #expect(self.reply(self.queued("还要等多久", state: &state, standing: moved))?.contains("第 1 位") == true)
        let longAgo = QueueStanding(position: 2, toldPosition: 2, toldAt: now.addingTimeInterval(-600))
        #expect(self.reply(self.queued("在吗", state: &state, standing: longAgo)) != nil)
        // Asking for a person again always gets the place.
        #expect(self.reply(self.queued("人工", state: &state, standing: recent))?.contains("第 2 位") == true)
    }

    @Test func theOfferAfterALongWait() throws {
        var state = ConversationState()
        let offer = self.machine.waitedTooLong(&state, position: 4)
        #expect(offer.contains("第 4 位"))
        #expect(state.choices == [.leaveQuestion, .requestCallback, .keepWaiting])
        var waiting = state
        let keep = self.queued(
            "3", state: &waiting, standing: QueueStanding(position: 4, toldPosition: 4, toldAt: Dialogue.mondayMorning))
        #expect(!keep.contains(.leaveQueue))
        #expect(self.reply(keep)?.contains("第 4 位") == true)
        let question = self.queued("1", state: &state, standing: QueueStanding(position: 4))
        #expect(question.first == .leaveQueue)
        if case .leavingQuestion = state.phase {
        } else {
            Issue.record("expected to be leaving a question: \(state.phase)")
        }
    }

    @Test func positionNoticesOnlyForMeaningfulChanges() {
        #expect(self.machine.positionNotice(told: 5, now: 4) == nil)
        #expect(self.machine.positionNotice(told: 5, now: 2)?.contains("第 2 位") == true)
        #expect(self.machine.positionNotice(told: 2, now: 1) == self.replies.render("handoff.position.next"))
        #expect(self.machine.positionNotice(told: nil, now: 1) == nil)
        #expect(self.machine.positionNotice(told: 1, now: 1) == nil)
    }

    // MARK: - Back to the bot

    @Test func releaseResumesTheFormOrStartsAfresh() {
        var dialogue = Dialogue()
        dialogue.say(["申请援助", "1", "1", "张三"])
        var resumed = dialogue.state
        let text = self.machine.handBack(&resumed, key: "handoff.released", resume: true, now: Dialogue.mondayMorning)
        #expect(text.hasPrefix(self.replies.render("handoff.released")))
        #expect(text.contains(self.replies.render("ask.phone")))
        #expect(resumed.form?.values["name"] == "张三")
        var fresh = dialogue.state
        let closing = self.machine.handBack(
            &fresh, key: "handoff.closed_by_staff", resume: false, now: Dialogue.mondayMorning)
        #expect(closing == self.replies.render("handoff.closed_by_staff"))
        #expect(fresh.phase == .idle)
    }

    // MARK: - Urgency

    @Test func urgencyOffersAPersonOnceAndMarksTheHandoff() throws {
        var dialogue = Dialogue()
        dialogue.now = Dialogue.mondayMorning
        let first = dialogue.say("我收到了法院的传票，怎么办")
        #expect(first.hasPrefix(self.replies.render("urgent.offer", ["signals": "传票"])))
        #expect(dialogue.state.urgent == ["传票"])
        let again = dialogue.say("传票上写的什么意思")
        #expect(!again.contains("情况可能比较紧急"))
        let effects = dialogue.send(.text("人工"))
        #expect(self.request(effects)?.urgent == ["传票"])
        #expect(try #require(self.reply(effects)).contains("标记为紧急"))
    }

    @Test func aDeadlineWithinDaysIsUrgent() {
        var dialogue = Dialogue()
        dialogue.now = Dialogue.mondayMorning
        let reply = dialogue.say("对方说3天内要我答辩")
        #expect(reply.contains("情况可能比较紧急"))
        #expect(!dialogue.state.urgent.isEmpty)
    }

    @Test func stateWithUrgencyRoundTrips() throws {
        var state = ConversationState()
        state.urgent = ["传票"]
        state.phase = .awaitingCallbackNumber(
            HandoffRequest(reason: .requested, form: nil, unit: "centre"), attempts: 1)
        let data = try JSONEncoder().encode(state)
        #expect(try JSONDecoder().decode(ConversationState.self, from: data) == state)
        // A state without the new keys still reads (stored before this version).
        #expect(try JSONDecoder().decode(ConversationState.self, from: Data("{}".utf8)).urgent == [])
    }

    @Test func ownerEncodesAsText() throws {
        let owners: [ConversationOwner] = [.bot, .queue, .staff("desk-1")]
        let data = try JSONEncoder().encode(owners)
        #expect(String(decoding: data, as: UTF8.self) == #"["bot","queue","staff:desk-1"]"#)
        #expect(try JSONDecoder().decode([ConversationOwner].self, from: data) == owners)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ConversationOwner].self, from: Data(#"["robot"]"#.utf8))
        }
    }
}
