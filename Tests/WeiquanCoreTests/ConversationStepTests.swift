import Foundation
import Testing
import WeiquanCore

/// The one entry point: the owner decides what an event does, and the effects become a complete step.
@Suite struct ConversationStepTests {
    let machine = TestBot.machine
    var replies: ReplyBook { TestBot.replies }
    let now = Dialogue.mondayMorning

    func context(
        _ now: Date? = nil, waiting: [UnitID: Int] = [:], handoffID: HandoffID = "H000007", position: Int? = nil
    ) -> ConversationContext {
        ConversationContext(
            now: now ?? self.now, applicant: "user-a", caseID: "WQ202611230001", waiting: waiting, handoffID: handoffID,
            queuePosition: position
        )
    }

    /// The conversation after the applicant asked for a person while filling in the aid request.
    func queued(waiting: Int = 2) -> (Conversation, HandoffRecord) {
        var conversation = Conversation(applicant: "user-a", updatedAt: self.now)
        for text in ["申请援助", "1", "1"] {
            _ = self.machine.step(.text(text), conversation: &conversation, handoff: nil, context: self.context())
        }
        let step = self.machine.step(
            .text("人工"), conversation: &conversation, handoff: nil, context: self.context(waiting: ["centre": waiting])
        )
        guard let opened = step.opened else {
            Issue.record("no handoff opened: \(step.effects)")
            return (
                conversation,
                HandoffRecord(
                    id: "", applicant: "", unit: "", reason: .requested, status: .ended, requestedAt: self.now)
            )
        }
        return (conversation, opened)
    }

    // MARK: - The bot

    @Test func askingForAPersonOpensACompleteHandoff() throws {
        var conversation = Conversation(applicant: "user-a", updatedAt: self.now)
        _ = self.machine.step(.text("申请援助"), conversation: &conversation, handoff: nil, context: self.context())
        let step = self.machine.step(
            .text("转人工"), conversation: &conversation, handoff: nil, context: self.context(waiting: ["centre": 2])
        )
        let opened = try #require(step.opened)
        #expect(opened.id == "H000007")
        #expect(opened.status == .waiting && opened.unit == "centre" && opened.reason == .requested)
        // Its place, as the reply told it, and what the applicant's messages meant, without understanding them again.
        #expect(opened.toldPosition == 3 && opened.toldAt == self.now)
        #expect(try #require(step.reply).contains("排在第 3 位"))
        #expect(opened.intents == ["aid_request", "human"])
        #expect(opened.messages.map(\.text) == ["申请援助", "转人工", try #require(step.reply)])
        #expect(opened.messages.last?.from == .bot)
        #expect(opened.form?.kind == .aidRequest)
        #expect(conversation.owner == .queue && conversation.handoffID == "H000007")
        #expect(
            step.audits == [AuditEntry(.handoffRequested, handoffID: "H000007", detail: "reason=requested unit=centre")]
        )
        #expect(
            step.effects.contains(
                .requestHandoff(HandoffRequest(reason: .requested, form: opened.form, unit: "centre"), position: 3)))
    }

    @Test func outsideOfficeHoursALeftQuestionIsWorkButTheBotKeepsTheConversation() throws {
        let saturday = Date(timeIntervalSince1970: 1_795_222_800)
        var conversation = Conversation(applicant: "user-a", updatedAt: saturday)
        for text in ["人工", "1"] {
            let step = self.machine.step(
                .text(text), conversation: &conversation, handoff: nil, context: self.context(saturday))
            #expect(step.opened == nil)
        }
        let shown = self.machine.step(
            .text("我的商标被人抢注了"), conversation: &conversation, handoff: nil, context: self.context(saturday)
        )
        #expect(shown.opened == nil)
        let step = self.machine.step(
            .text("1"), conversation: &conversation, handoff: nil, context: self.context(saturday))
        // A question for the volunteers, not a handoff: the bot keeps the conversation.
        #expect(step.opened == nil)
        let question = try #require(step.question)
        #expect(question.id == "Q000001" && question.text == "我的商标被人抢注了" && question.status == .queued)
        #expect(question.applicant == "user-a" && question.askedAt == saturday && question.region == "centre")
        #expect(conversation.owner == .bot && conversation.handoffID == nil)
        #expect(step.audits == [AuditEntry(.questionLeft, actor: AuditEntry.applicant, detail: "question=Q000001")])
    }

    @Test func unfollowingClosesTheConversationAndFollowingAgainOpensIt() {
        var conversation = Conversation(applicant: "user-a", updatedAt: self.now)
        let left = self.machine.step(.unsubscribed, conversation: &conversation, handoff: nil, context: self.context())
        #expect(conversation.closed)
        #expect(left.reply == nil && left.audits == [AuditEntry(.conversationClosed)])
        let back = self.machine.step(.subscribed, conversation: &conversation, handoff: nil, context: self.context())
        #expect(!conversation.closed)
        #expect(back.reply?.hasPrefix(self.replies.render("welcome.subscribe")) == true)
    }

    // MARK: - The queue

    @Test func whileQueuedTheQueueAnswersAndEverythingJoinsTheTranscript() throws {
        var (conversation, handoff) = self.queued()
        let before = handoff.messages.count
        let later = self.now.addingTimeInterval(600)
        let step = self.machine.step(
            .text("还要等多久？"), conversation: &conversation, handoff: handoff, context: self.context(later, position: 2)
        )
        #expect(step.reply == self.replies.render("handoff.waiting", ["position": "2"]))
        let changed = try #require(step.handoff)
        #expect(changed.messages.count == before + 2)
        #expect(changed.messages.suffix(2).map(\.from) == [.applicant, .bot])
        #expect(changed.toldPosition == 2 && changed.toldAt == later)
        #expect(step.opened == nil && step.leftQueue == nil && conversation.owner == .queue)
        handoff = changed
        // A quiet message soon after, with nothing new to tell: no reply, but staff will see it.
        let quiet = self.machine.step(
            .text("我补充一下"), conversation: &conversation, handoff: handoff,
            context: self.context(later.addingTimeInterval(30), position: 2)
        )
        #expect(quiet.reply == nil)
        #expect(quiet.handoff?.messages.last?.text == "我补充一下")
    }

    @Test func cancellingLeavesTheQueueAndTheUnitsQueueMoves() throws {
        var (conversation, handoff) = self.queued()
        let step = self.machine.step(
            .text("取消"), conversation: &conversation, handoff: handoff, context: self.context(position: 3))
        handoff = try #require(step.handoff)
        #expect(handoff.status == .ended && handoff.outcome == .leftQueue)
        #expect(conversation.owner == .bot && conversation.handoffID == nil)
        #expect(step.leftQueue == "centre")
        #expect(step.audits == [AuditEntry(.queueLeft, handoffID: handoff.id)])
        // The form the applicant was filling in goes on.
        #expect(try #require(step.reply).contains(self.replies.render("form.resume")))
    }

    // MARK: - Staff

    @Test func whileStaffOwnTheConversationTheBotIsSilent() throws {
        var (conversation, handoff) = self.queued()
        _ = try self.machine.claim(&handoff, conversation: &conversation, by: "desk-1", now: self.now)
        let before = conversation.state
        for event: ConversationEvent in [
            .text("人工"), .text("申请援助"), .command(.aidRequest), .media(kind: "image", reference: "m1"),
        ] {
            let step = self.machine.step(event, conversation: &conversation, handoff: handoff, context: self.context())
            #expect(step.reply == nil && step.effects.isEmpty && step.audits.isEmpty && step.opened == nil)
            handoff = try #require(step.handoff)
        }
        #expect(conversation.state == before)
        #expect(conversation.owner == .staff("desk-1"))
        #expect(handoff.messages.suffix(4).allSatisfy { $0.from == .applicant })
    }

    @Test func endingTheChatWithAPersonHandsTheConversationBack() throws {
        var (conversation, handoff) = self.queued()
        _ = try self.machine.claim(&handoff, conversation: &conversation, by: "desk-1", now: self.now)
        let step = self.machine.step(
            .text("结束人工"), conversation: &conversation, handoff: handoff, context: self.context())
        let ended = try #require(step.handoff)
        #expect(ended.status == .ended && ended.outcome == .released)
        #expect(conversation.owner == .bot)
        #expect(try #require(step.reply).hasPrefix(self.replies.render("handoff.released")))
        #expect(
            step.audits == [
                AuditEntry(.handoffReleased, actor: "applicant", handoffID: ended.id, detail: "assignee=desk-1")
            ])
    }

    @Test func unfollowingWhileWithStaffEndsTheHandoff() throws {
        var (conversation, handoff) = self.queued()
        _ = try self.machine.claim(&handoff, conversation: &conversation, by: "desk-1", now: self.now)
        let step = self.machine.step(
            .unsubscribed, conversation: &conversation, handoff: handoff, context: self.context())
        #expect(step.handoff?.outcome == .unsubscribed)
        #expect(conversation.closed && conversation.owner == .bot && conversation.state == ConversationState())
        #expect(step.audits.map(\.action) == [.conversationClosed])
    }

    @Test func aConversationNamingAHandoffThatNoLongerOwnsItGoesBackToTheBot() throws {
        var (conversation, handoff) = self.queued()
        handoff.end(.released, at: self.now)
        let step = self.machine.step(
            .text("你好"), conversation: &conversation, handoff: handoff, context: self.context())
        #expect(step.reclaimedFromStaleHandoff)
        #expect(conversation.owner == .bot && step.reply != nil && step.handoff == nil)
        var orphan = self.queued().0
        let again = self.machine.step(.text("你好"), conversation: &orphan, handoff: nil, context: self.context())
        #expect(again.reclaimedFromStaleHandoff && orphan.owner == .bot)
    }

    // MARK: - The desk's changes

    @Test func claimTransferAndHandBack() throws {
        var (conversation, handoff) = self.queued()
        let notice = try self.machine.claim(&handoff, conversation: &conversation, by: "desk-1", now: self.now)
        #expect(notice == self.machine.claimedNotice(unit: "centre"))
        #expect(handoff.status == .active && handoff.assignee == "desk-1" && conversation.owner == .staff("desk-1"))
        let staff = HandoffRecord.Actor(name: "desk-1", isAdmin: false)
        _ = try self.machine.transfer(
            &handoff, conversation: &conversation, toStaff: "desk-2", by: staff, now: self.now)
        #expect(handoff.assignee == "desk-2" && conversation.owner == .staff("desk-2"))
        let second = HandoffRecord.Actor(name: "desk-2", isAdmin: false)
        let moved = try self.machine.transfer(
            &handoff, conversation: &conversation, toUnit: "nanning", by: second, now: self.now, position: { _ in 4 }
        )
        #expect(
            moved
                == self.replies.render(
                    "handoff.transferred_unit", ["unit": self.machine.unitName("nanning"), "position": "4"]))
        #expect(
            handoff.status == .waiting && handoff.unit == "nanning" && handoff.toldPosition == 4
                && handoff.assignee == nil)
        #expect(conversation.owner == .queue && conversation.handoffID == handoff.id)
        let closed = self.machine.handBack(
            &handoff, conversation: &conversation, outcome: .closed, resume: false, by: "desk-2", now: self.now
        )
        #expect(closed.hasPrefix(self.replies.render("handoff.closed_by_staff")))
        #expect(handoff.outcome == .closed && conversation.owner == .bot && conversation.state.phase == .idle)
    }

    @Test func aTakeoverOpensAClaimedHandoff() throws {
        var conversation = Conversation(applicant: "user-a", updatedAt: self.now)
        _ = self.machine.step(.text("申请援助"), conversation: &conversation, handoff: nil, context: self.context())
        let (handoff, notice) = try self.machine.takeOver(
            &conversation, unit: nil, by: "desk-1", context: self.context())
        #expect(handoff.id == "H000007" && handoff.status == .active && handoff.reason == .staffTakeover)
        #expect(handoff.intents == ["aid_request"] && notice == self.machine.claimedNotice(unit: "centre"))
        #expect(conversation.owner == .staff("desk-1"))
        #expect(throws: HandoffError.conversationTaken(applicant: "user-a", handoff: "H000007", assignee: "desk-1")) {
            _ = try self.machine.takeOver(&conversation, unit: nil, by: "desk-2", context: self.context())
        }
    }

    @Test func theWaitOfferIsMadeOnceAndPositionNoticesOnlyForRealProgress() throws {
        var (conversation, handoff) = self.queued(waiting: 5)
        #expect(handoff.toldPosition == 6)
        #expect(self.machine.tellPosition(&handoff, position: 5, now: self.now) == nil)
        let notice = try #require(self.machine.tellPosition(&handoff, position: 2, now: self.now))
        #expect(notice.contains("2") && handoff.toldPosition == 2)
        let offer = self.machine.offer(
            .waitedTooLong, &handoff, conversation: &conversation, position: 2, now: self.now)
        #expect(
            offer != nil && handoff.offered
                && conversation.state.choices == [.leaveQuestion, .requestCallback, .keepWaiting])
        #expect(
            self.machine.offer(.waitedTooLong, &handoff, conversation: &conversation, position: 2, now: self.now) == nil
        )
        let closing = self.machine.closeQueue(&handoff, conversation: &conversation, now: self.now)
        #expect(closing.hasPrefix(self.replies.render("handoff.desk_closed")))
        #expect(handoff.outcome == .deskClosed && conversation.owner == .bot)
    }
}
