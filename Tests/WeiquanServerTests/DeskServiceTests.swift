import Foundation
import HTTPTypes
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// The handoff desk behind the API: ownership, the queue, claims, staff messages, release, timers.
@Suite struct DeskServiceTests {
    let replies = TestServer.data.makeMachine().replies

    // MARK: - Ownership

    @Test func aHandoffPutsTheConversationInTheQueue() async throws {
        let harness = try await DeskHarness()
        let reply = await harness.say("转人工", id: 1)
        #expect(reply.contains("排在第 1 位"))
        let view = try harness.handoff()
        #expect(view.status == .waiting && view.position == 1 && view.unit == "centre" && view.reason == .requested)
        #expect(view.summary.lastMessages.map(\.text) == ["转人工"])
        #expect(try await harness.conversation().owner == .queue)
        #expect(try await harness.audits().map(\.action.rawValue) == ["handoff_requested"])
        // Stored: the same queue after a restart.
        let restarted = try await DeskHarness(store: harness.store)
        #expect(try restarted.handoff().id == view.id)
    }

    @Test func theBotIsSilentWhileStaffOwnTheConversationEvenUnderRetriesAndConcurrency() async throws {
        let harness = try await DeskHarness()
        await harness.say("人工", id: 1)
        let id = try harness.handoff().id
        _ = try await harness.desk.claim(DeskHarness.staff1, id)
        #expect(try await harness.conversation().owner == .staff("desk-1"))
        // Twenty messages at once, each delivered three times (WeChat's retries).
        let replies = await withTaskGroup(of: String.self) { group in
            for number in 0..<20 {
                for _ in 0..<3 {
                    group.addTask { await harness.say("补充情况 \(number)", id: 100 + number) }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(replies.count == 60)
        #expect(replies.allSatisfy { $0.isEmpty })
        // Each message is in the transcript exactly once; nothing went out but the claim notice.
        let transcript = try await harness.desk.detail(DeskHarness.staff1, id).messages ?? []
        let texts = transcript.filter { $0.from == .applicant }.map(\.text)
        #expect(texts.filter { $0.hasPrefix("补充情况") }.count == 20)
        #expect(Set(texts.filter { $0.hasPrefix("补充情况") }).count == 20)
        #expect(harness.outbound.sent(to: "user-a").map(\.author) == [.desk])
        // A menu click and a picture: silent too.
        let click = await harness.service.handle(.command(.aidRequest), applicant: "user-a", key: "evt:1")
        #expect(click == .noReply)
        let picture = await harness.service.handle(
            .media(kind: "image", reference: "m-1"), applicant: "user-a", key: "msg:300")
        #expect(picture == .noReply)
    }

    @Test func aMessageRacingTheClaimIsAnsweredByExactlyOneOwner() async throws {
        for round in 0..<10 {
            let harness = try await DeskHarness()
            await harness.say("人工", id: 1)
            let id = try harness.handoff().id
            async let claimed = harness.desk.claim(DeskHarness.staff1, id)
            async let answer = harness.say("在吗", id: 2)
            let (reply, _) = try await (answer, claimed)
            let transcript = try await harness.desk.detail(DeskHarness.staff1, id).messages ?? []
            let claimIndex = try #require(
                transcript.firstIndex { $0.from == .event && $0.text == "claimed" }, "round \(round)")
            let messageIndex = try #require(transcript.firstIndex { $0.text == "在吗" }, "round \(round)")
            if messageIndex < claimIndex {
                // The queue had it: it may answer with the place in line, never the bot's menu.
                #expect(!reply.contains("请回复序号选择"), "round \(round)")
            } else {
                #expect(reply.isEmpty, "round \(round): staff owned it, yet it was answered: \(reply)")
            }
        }
    }

    @Test func twoStaffRacingToClaimExactlyOneWins() async throws {
        let harness = try await DeskHarness()
        await harness.say("人工", id: 1)
        let id = try harness.handoff().id
        let people = (1...8).map { StaffIdentity(name: "desk-\($0)", role: .staff, unit: nil) }
        let outcomes = await withTaskGroup(of: Result<String, DeskError>.self) { group in
            for who in people {
                group.addTask {
                    do {
                        return .success(try await harness.desk.claim(who, id).assignee ?? "")
                    } catch let error as DeskError {
                        return .failure(error)
                    } catch {
                        return .failure(DeskError("other", "\(error)", status: .internalServerError))
                    }
                }
            }
            return await group.reduce(into: [Result<String, DeskError>]()) { $0.append($1) }
        }
        let winners = outcomes.compactMap { try? $0.get() }
        #expect(winners.count == 1)
        let losers = outcomes.compactMap { outcome -> DeskError? in
            if case .failure(let error) = outcome { return error }
            return nil
        }
        #expect(losers.count == 7)
        #expect(losers.allSatisfy { $0.code == "already_claimed" && $0.status == .conflict })
        #expect(try await harness.conversation().owner == .staff(try #require(winners.first)))
        #expect(try await harness.audits().filter { $0.action == .handoffClaimed }.count == 1)
        #expect(harness.outbound.sent(to: "user-a").count == 1)
    }

    @Test func ownershipSurvivesARestart() async throws {
        let store = MemoryDocumentStore()
        let before = try await DeskHarness(store: store)
        await before.say("人工", id: 1)
        let id = try before.handoff().id
        _ = try await before.desk.claim(DeskHarness.staff1, id)
        // A new process over the same store: the claim holds, the bot stays silent, staff can go on writing.
        let after = try await DeskHarness(store: store)
        #expect(await after.say("还在吗？", id: 2) == "")
        #expect(try after.handoff().assignee == "desk-1")
        _ = try await after.desk.send(DeskHarness.staff1, id, text: "在的，请讲。")
        #expect(after.outbound.sent(to: "user-a").map(\.text) == ["在的，请讲。"])
    }

    @Test func aClaimThatCannotBeWrittenChangesNothing() async throws {
        let store = ReplyBudgetTests.GatedStore()
        let harness = try await DeskHarness(store: store)
        await harness.say("人工", id: 1)
        let id = try harness.handoff().id
        store.failWrites(true)
        await #expect(throws: (any Error).self) { try await harness.desk.claim(DeskHarness.staff1, id) }
        store.failWrites(false)
        // Still waiting, still the queue's, nothing told to the applicant; the next claim works.
        #expect(try harness.handoff().status == .waiting)
        #expect(try await harness.conversation().owner == .queue)
        #expect(harness.outbound.sent(to: "user-a").isEmpty)
        #expect(try await harness.desk.claim(DeskHarness.staff2, id).assignee == "desk-2")
    }

    // MARK: - Working the conversation

    @Test func staffMessagesGoThroughTheOutboxOnlyFromTheAssignee() async throws {
        let harness = try await DeskHarness()
        await harness.say("人工", id: 1)
        let id = try harness.handoff().id
        await #expect(throws: DeskError.self) { try await harness.desk.send(DeskHarness.staff1, id, text: "您好") }
        _ = try await harness.desk.claim(DeskHarness.staff1, id)
        _ = try await harness.desk.send(DeskHarness.staff1, id, text: "您好，请问是什么商标？")
        let error = await #expect(throws: DeskError.self) {
            try await harness.desk.send(DeskHarness.staff2, id, text: "插话")
        }
        #expect(error?.code == "not_assignee")
        await #expect(throws: DeskError.self) { try await harness.desk.send(DeskHarness.staff1, id, text: "   ") }
        _ = try await harness.desk.note(DeskHarness.staff1, id, text: "疑似恶意抢注，需查询")
        let sent = harness.outbound.sent(to: "user-a")
        #expect(sent.map(\.author) == [.desk, .staff("desk-1")])
        #expect(sent.last?.text == "您好，请问是什么商标？")
        let transcript = try await harness.desk.detail(DeskHarness.staff1, id).messages ?? []
        #expect(transcript.contains { $0.from == .note && $0.text == "疑似恶意抢注，需查询" && $0.author == "desk-1" })
        // Notes never reach the applicant.
        #expect(!sent.contains { $0.text.contains("恶意抢注") })
        #expect(
            try await harness.audits().map(\.action.rawValue) == [
                "handoff_requested", "handoff_claimed", "message_sent", "note_added",
            ])
    }

    @Test func releaseResumesTheFormWhereItWas() async throws {
        let harness = try await DeskHarness()
        for (index, text) in ["申请援助", "1", "1", "张三"].enumerated() { await harness.say(text, id: index + 1) }
        await harness.say("人工", id: 10)
        let id = try harness.handoff().id
        _ = try await harness.desk.claim(DeskHarness.staff1, id)
        await harness.say("我的手机号不方便留", id: 11)
        let released = try await harness.desk.release(DeskHarness.staff1, id, resume: true)
        #expect(released.status == .ended && released.outcome == .released)
        let notice = try #require(harness.outbound.sent(to: "user-a").last)
        #expect(notice.text.hasPrefix(self.replies.render("handoff.released")))
        #expect(notice.text.contains(self.replies.render("ask.phone")))
        #expect(try await harness.conversation().owner == .bot)
        // The bot takes the next answer as the phone number of the same form.
        let reply = await harness.say("13800138000", id: 12)
        #expect(!reply.isEmpty)
        let state = try await harness.conversation().state
        #expect(state.form?.values["phone"] == "13800138000")
        #expect(state.form?.values["name"] == "张三")
    }

    @Test func closeStartsTheBotAfresh() async throws {
        let harness = try await DeskHarness()
        for (index, text) in ["申请援助", "1", "人工"].enumerated() { await harness.say(text, id: index + 1) }
        let id = try harness.handoff().id
        _ = try await harness.desk.claim(DeskHarness.staff1, id)
        let closed = try await harness.desk.close(DeskHarness.staff1, id, note: "已电话答复")
        #expect(closed.outcome == .closed)
        #expect(try await harness.conversation().state.phase == .idle)
        #expect(harness.outbound.sent(to: "user-a").last?.text == self.replies.render("handoff.closed_by_staff"))
        await #expect(throws: DeskError.self) { try await harness.desk.close(DeskHarness.staff1, id, note: nil) }
    }

    @Test func theApplicantCanEndTheChatAndLeaveTheQueue() async throws {
        let harness = try await DeskHarness()
        await harness.say("人工", id: 1)
        let reply = await harness.say("取消", id: 2)
        #expect(reply.hasPrefix(self.replies.render("handoff.left_queue")))
        #expect(try await harness.conversation().owner == .bot)
        #expect(try harness.desk.list(DeskHarness.admin).isEmpty)
        await harness.say("人工", id: 3)
        _ = try await harness.desk.claim(DeskHarness.staff1, try harness.handoff().id)
        let ended = await harness.say("结束人工", id: 4)
        #expect(ended.hasPrefix(self.replies.render("handoff.released")))
        #expect(try await harness.conversation().owner == .bot)
    }

    @Test func unfollowingEndsTheHandoff() async throws {
        let harness = try await DeskHarness()
        await harness.say("人工", id: 1)
        let id = try harness.handoff().id
        _ = try await harness.desk.claim(DeskHarness.staff1, id)
        _ = await harness.service.handle(.unsubscribed, applicant: "user-a", key: "evt:unsub")
        let view = try await harness.desk.detail(DeskHarness.admin, id)
        #expect(view.outcome == .unsubscribed)
        let record = try await harness.conversation()
        #expect(record.owner == .bot && record.closed)
    }

    // MARK: - Queue

    @Test func firstComeFirstServedPerUnitWithPositionNotices() async throws {
        let harness = try await DeskHarness()
        for number in 1...5 {
            await harness.say("人工", from: ApplicantID("user-\(number)"), id: number)
            harness.clock.advance(1)
        }
        // Someone from Liuzhou, mid-form: another unit, another queue.
        for (index, text) in ["申请援助", "1", "1", "李四", "13800138000", "柳州", "1", "201310268509.X"].enumerated() {
            await harness.say(text, from: "user-lz", id: 100 + index)
        }
        await harness.say("人工", from: "user-lz", id: 200)
        let centre = try harness.desk.list(DeskHarness.admin, unit: "centre")
        #expect(centre.map(\.conversation) == (1...5).map { ApplicantID("user-\($0)") })
        #expect(centre.map(\.position) == [1, 2, 3, 4, 5])
        #expect(try harness.handoff(of: "user-lz").unit == "liuzhou")
        #expect(try harness.handoff(of: "user-lz").position == 1)
        // A Liuzhou token sees only Liuzhou.
        #expect(try harness.desk.list(DeskHarness.liuzhou).map(\.conversation) == ["user-lz"])
        #expect(throws: DeskError.self) { try harness.desk.list(DeskHarness.liuzhou, unit: "centre") }
        // Three taken: user-5 moved from 5 to 2 and is told; user-4 (4 → 1) is told it is next.
        for number in 1...3 {
            _ = try await harness.desk.claim(
                DeskHarness.staff1, try harness.handoff(of: ApplicantID("user-\(number)")).id)
        }
        await harness.service.settled()
        #expect(harness.outbound.sent(to: "user-4").map(\.text) == [self.replies.render("handoff.position.next")])
        #expect(
            harness.outbound.sent(to: "user-5").map(\.text) == [
                self.replies.render("handoff.position", ["position": "2"])
            ])
        #expect(harness.outbound.sent(to: "user-5").map(\.author) == [.queue])
    }

    @Test func transferToAnotherUnitOrPerson() async throws {
        let harness = try await DeskHarness()
        await harness.say("人工", id: 1)
        let id = try harness.handoff().id
        _ = try await harness.desk.claim(DeskHarness.staff1, id)
        let moved = try await harness.desk.transfer(DeskHarness.staff1, id, toStaff: "desk-2", toUnit: nil)
        #expect(moved.assignee == "desk-2")
        #expect(try await harness.conversation().owner == .staff("desk-2"))
        // desk-1 no longer owns it.
        await #expect(throws: DeskError.self) { try await harness.desk.send(DeskHarness.staff1, id, text: "还在吗") }
        let unknown = await #expect(throws: DeskError.self) {
            try await harness.desk.transfer(DeskHarness.staff2, id, toStaff: "nobody", toUnit: nil)
        }
        #expect(unknown?.code == "unknown_staff")
        // A Liuzhou-bound token cannot take a centre handoff.
        let foreign = await #expect(throws: DeskError.self) {
            try await harness.desk.transfer(DeskHarness.staff2, id, toStaff: "liuzhou-1", toUnit: nil)
        }
        #expect(foreign?.code == "forbidden_unit")
        let queued = try await harness.desk.transfer(DeskHarness.staff2, id, toStaff: nil, toUnit: "liuzhou")
        #expect(queued.status == .waiting && queued.unit == "liuzhou" && queued.assignee == nil)
        #expect(try await harness.conversation().owner == .queue)
        _ = try await harness.desk.claim(DeskHarness.liuzhou, id)
        #expect(try await harness.conversation().owner == .staff("liuzhou-1"))
    }

    @Test func applicantsAskingAtOnceGetAHandoffEachWithItsOwnID() async throws {
        let harness = try await DeskHarness()
        let users = (1...12).map { ApplicantID("user-\($0)") }
        await withTaskGroup(of: Void.self) { group in
            for (index, user) in users.enumerated() {
                group.addTask { await harness.say("人工", from: user, id: index + 1) }
            }
        }
        let handoffs = try await harness.store.all(HandoffRecord.self)
        #expect(handoffs.count == 12)
        #expect(Set(handoffs.map(\.id)) == Set((1...12).map { HandoffID(String(format: "H%06d", $0)) }))
        for user in users {
            let conversation = try await harness.conversation(user)
            #expect(conversation.owner == .queue)
            #expect(handoffs.first { $0.applicant == user }?.id == conversation.handoffID)
        }
    }

    @Test func aWaitingHandoffIsClaimedBeforeItGoesToAPerson() async throws {
        let harness = try await DeskHarness()
        await harness.say("人工", id: 1)
        let id = try harness.handoff().id
        let refused = await #expect(throws: DeskError.self) {
            try await harness.desk.transfer(DeskHarness.admin, id, toStaff: "desk-2", toUnit: nil)
        }
        #expect(refused?.code == "not_claimed" && refused?.status == .conflict)
        #expect(try await harness.conversation().owner == .queue)
        #expect(try harness.handoff().status == .waiting)
    }

    @Test func staffCanTakeOverAnyLiveConversation() async throws {
        let harness = try await DeskHarness()
        for (index, text) in ["申请援助", "1", "1"].enumerated() { await harness.say(text, id: index + 1) }
        let view = try await harness.desk.takeOver(DeskHarness.staff1, conversation: "user-a")
        #expect(view.status == .active && view.reason == .staffTakeover && view.assignee == "desk-1")
        #expect(view.summary.formKind == "aid_request")
        #expect(await harness.say("你好？", id: 4) == "")
        let again = await #expect(throws: DeskError.self) {
            try await harness.desk.takeOver(DeskHarness.staff2, conversation: "user-a")
        }
        #expect(again?.code == "already_claimed")
        let missing = await #expect(throws: DeskError.self) {
            try await harness.desk.takeOver(DeskHarness.staff2, conversation: "nobody")
        }
        #expect(missing?.status == .notFound)
    }

    @Test func volunteersAndOtherUnitsAreRefused() async throws {
        let harness = try await DeskHarness()
        await harness.say("人工", id: 1)
        let id = try harness.handoff().id
        let role = #expect(throws: DeskError.self) { try harness.desk.list(DeskHarness.volunteer) }
        #expect(role?.code == "forbidden_role")
        let unit = await #expect(throws: DeskError.self) { try await harness.desk.claim(DeskHarness.liuzhou, id) }
        #expect(unit?.code == "forbidden_unit")
        let missing = await #expect(throws: DeskError.self) {
            try await harness.desk.claim(DeskHarness.staff1, "H999999")
        }
        #expect(missing?.status == .notFound)
    }

    // MARK: - Office hours and timers

    @Test func outsideOfficeHoursACallBackIsLeftForStaff() async throws {
        let saturday = Date(timeIntervalSince1970: 1_795_222_800)
        let harness = try await DeskHarness(at: saturday)
        let offer = await harness.say("人工", id: 1)
        #expect(offer.contains("11月23日（周一）9:00"))
        #expect(try harness.desk.list(DeskHarness.admin).isEmpty)
        await harness.say("2", id: 2)
        let booked = await harness.say("13800138000", id: 3)
        #expect(booked.contains("13800138000"))
        let view = try harness.handoff()
        #expect(view.status == .callback && view.callbackPhone == "13800138000")
        // The bot keeps the conversation: the applicant can go on.
        #expect(try await harness.conversation().owner == .bot)
        #expect(await harness.say("谢谢", id: 4) == self.replies.render("thanks"))
        // Staff close it once they called.
        _ = try await harness.desk.close(DeskHarness.staff1, view.id, note: "已回电")
        #expect(try harness.desk.list(DeskHarness.admin).isEmpty)
        #expect(try await harness.audits().map(\.action.rawValue) == ["callback_requested", "handoff_closed"])
    }

    @Test func workThatDoesNotOwnTheConversationCannotBeMovedOrReleased() async throws {
        let harness = try await DeskHarness(at: Date(timeIntervalSince1970: 1_795_222_800))  // Saturday
        for (index, text) in ["人工", "2", "13800138000"].enumerated() { await harness.say(text, id: index + 1) }
        let id = try harness.handoff().id
        let moved = await #expect(throws: DeskError.self) {
            try await harness.desk.transfer(DeskHarness.staff1, id, toStaff: nil, toUnit: "nanning")
        }
        #expect(moved?.code == "not_open")
        let released = await #expect(throws: DeskError.self) {
            try await harness.desk.release(DeskHarness.staff1, id, resume: true)
        }
        #expect(released?.code == "not_open")
        // A call-back may still be answered in writing, without taking the conversation.
        _ = try await harness.desk.send(DeskHarness.staff1, id, text: "稍后给您回电。")
        #expect(try await harness.conversation().owner == .bot)
        _ = try await harness.desk.close(DeskHarness.staff1, id, note: nil)
        let note = await #expect(throws: DeskError.self) {
            try await harness.desk.note(DeskHarness.staff1, id, text: "迟到的备注")
        }
        #expect(note?.code == "ended")
        let late = await #expect(throws: DeskError.self) {
            try await harness.desk.send(DeskHarness.staff1, id, text: "还在吗")
        }
        #expect(late?.code == "ended")
    }

    @Test func anIdleClaimGoesBackToTheBot() async throws {
        let harness = try await DeskHarness()
        await harness.say("人工", id: 1)
        let id = try harness.handoff().id
        _ = try await harness.desk.claim(DeskHarness.staff1, id)
        harness.clock.advance(29 * 60)
        await harness.desk.sweep()
        #expect(try await harness.conversation().owner == .staff("desk-1"))
        harness.clock.advance(2 * 60)
        await harness.desk.sweep()
        #expect(try await harness.conversation().owner == .bot)
        #expect(try await harness.desk.detail(DeskHarness.admin, id).outcome == .idleReleased)
        #expect(
            harness.outbound.sent(to: "user-a").last?.text.hasPrefix(self.replies.render("handoff.idle_released"))
                == true)
        #expect(try await harness.audits().last?.actor == "desk")
    }

    @Test func aLongWaitOffersAlternativesOnce() async throws {
        let harness = try await DeskHarness()
        await harness.say("人工", id: 1)
        harness.clock.advance(11 * 60)
        await harness.desk.sweep()
        await harness.desk.sweep()
        let offers = harness.outbound.sent(to: "user-a")
        #expect(offers.count == 1)
        #expect(offers.first?.text.contains("久等") == true)
        // Taking up the offer: the applicant leaves the queue and the question goes to the volunteers.
        #expect(await harness.say("1", id: 2) == self.replies.render("handoff.ask_question"))
        #expect(try await harness.conversation().owner == .bot)
        await harness.say("请问商标被抢注怎么办", id: 3)
        await harness.say("1", id: 4)
        let questions = try await harness.store.all(QuestionRecord.self)
        #expect(questions.map(\.text) == ["请问商标被抢注怎么办"] && questions.first?.status == .queued)
        #expect(try harness.desk.list(DeskHarness.admin).allSatisfy { $0.status != .question })
    }

    @Test func aLunchBreakKeepsTheQueueAndSaysWhenStaffAreBack() async throws {
        let harness = try await DeskHarness(at: Date(timeIntervalSince1970: 1_795_399_200 + 110 * 60))  // 11:50
        await harness.say("人工", id: 1)
        let id = try harness.handoff().id
        harness.clock.advance(15 * 60)  // 12:05
        await harness.desk.sweep()
        await harness.desk.sweep()
        let notices = harness.outbound.sent(to: "user-a")
        #expect(notices.count == 1)
        #expect(notices.first?.text.contains("11月23日（周一）14:00") == true)
        #expect(notices.first?.text.contains("第 1 位") == true)
        #expect(try harness.handoff().status == .waiting)
        #expect(try await harness.conversation().owner == .queue)
        // After the break staff take it as usual.
        harness.clock.advance(2 * 3600)
        await harness.desk.sweep()
        _ = try await harness.desk.claim(DeskHarness.staff1, id)
        #expect(try await harness.conversation().owner == .staff("desk-1"))
    }

    @Test func theDeskClosingEmptiesTheQueue() async throws {
        // Monday 17:20 in Shanghai, ten minutes before the desk closes.
        let harness = try await DeskHarness(at: Date(timeIntervalSince1970: 1_795_399_200 + 7 * 3600 + 20 * 60))
        await harness.say("人工", id: 1)
        let id = try harness.handoff().id
        harness.clock.advance(15 * 60)  // 17:35
        await harness.desk.sweep()
        #expect(try await harness.desk.detail(DeskHarness.admin, id).outcome == .deskClosed)
        #expect(try await harness.conversation().owner == .bot)
        let notice = try #require(harness.outbound.sent(to: "user-a").last)
        #expect(notice.text.hasPrefix(self.replies.render("handoff.desk_closed")))
        // The offer works as it does outside office hours.
        #expect(await harness.say("2", id: 2) == self.replies.render("handoff.ask_phone"))
    }
}
