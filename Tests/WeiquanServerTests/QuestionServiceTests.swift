import Foundation
import HTTPTypes
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// The volunteer queue's service on an in-memory store: who sees what, the volunteers' work and staff's review,
/// what reaches the applicant (once) and the conversation, the timers on the injected clock, the figures.
@Suite struct QuestionServiceTests {
    let volunteer = QuestionHarness.volunteer
    let volunteer2 = QuestionHarness.volunteer2
    let staff = DeskHarness.staff1
    let admin = DeskHarness.admin

    @Test func volunteersSeeTheQueueRedactedAndStaffSeeEverything() async throws {
        let harness = try await QuestionHarness()
        try await harness.file(1, minutesAgo: 30)
        try await harness.file(2, applicant: "oOpenID-secret-2", urgent: true, minutesAgo: 10)
        try await harness.file(3, applicant: "oOpenID-secret-3", minutesAgo: 90)
        let queue = try await harness.questions.list(self.volunteer, filter: .init())
        #expect(queue.total == 3 && queue.questions.map(\.id) == ["Q000003", "Q000001", "Q000002"])
        let urgentFirst = try await harness.questions.list(self.volunteer, filter: .init(urgentFirst: true))
        #expect(urgentFirst.questions.map(\.id) == ["Q000002", "Q000003", "Q000001"])
        for view in queue.questions {
            let json = try Self.json(view)
            #expect(!json.contains("oOpenID") && !json.contains("张三") && !json.contains(QuestionHarness.phone))
            #expect(json.contains("［姓名］") && !json.contains(#""applicant""#) && !json.contains(#""text""#))
        }
        let detail = try Self.json(try await harness.questions.detail(self.staff, "Q000001"))
        #expect(detail.contains("oOpenID-secret-1") && detail.contains("张三") && detail.contains(QuestionHarness.phone))
        // Staff's reads of the applicant's words are audited; volunteers' (redacted) are not.
        _ = try await harness.questions.detail(self.volunteer, "Q000001")
        let reads = try await harness.desk.audits().filter { $0.action == .questionViewed }
        #expect(reads.map(\.actor) == ["desk-1"] && reads.first?.detail == "question=Q000001")
    }

    @Test func filtersByTypeRegionAgeAndStatus() async throws {
        let harness = try await QuestionHarness()
        try await harness.file(1, ipType: "patent", region: "柳州市", minutesAgo: 10)
        try await harness.file(2, ipType: "trademark", region: "nanning", minutesAgo: 180)
        try await harness.file(3, ipType: nil, region: nil, minutesAgo: 60 * 30)
        let q = harness.questions
        #expect(try await q.list(self.staff, filter: .init(ipType: "patent")).questions.map(\.id) == ["Q000001"])
        #expect(try await q.list(self.staff, filter: .init(unit: "liuzhou")).questions.map(\.id) == ["Q000001"])
        #expect(try await q.list(self.staff, filter: .init(unit: "nanning")).questions.map(\.id) == ["Q000002"])
        // The centre's filter covers the units below it.
        #expect(try await q.list(self.staff, filter: .init(unit: "centre")).total == 3)
        #expect(
            try await q.list(self.staff, filter: .init(minimumAge: 3_600)).questions.map(\.id) == [
                "Q000003", "Q000002",
            ])
        #expect(
            try await q.list(self.staff, filter: .init(maximumAge: 3 * 3_600)).questions.map(\.id) == [
                "Q000002", "Q000001",
            ])
        #expect(try await q.list(self.staff, filter: .init(statuses: [.claimed])).total == 0)
        let view = try await q.detail(self.staff, "Q000003")
        #expect(view.unit == "centre")
        let unknown = await QuestionHarness.refusal { try await q.list(self.staff, filter: .init(unit: "atlantis")) }
        #expect(unknown?.status == .notFound)
    }

    @Test func volunteersProfilesAndStaffUnitsNarrowWhatTheySee() async throws {
        let harness = try await QuestionHarness()
        try await harness.file(1, ipType: "patent", region: "柳州市")
        try await harness.file(2, ipType: "trademark", region: "柳州市")
        try await harness.file(3, ipType: nil, region: "南宁市")
        let q = harness.questions
        let patent = try await q.list(QuestionHarness.patentVolunteer, filter: .init())
        #expect(patent.questions.map(\.id) == ["Q000001", "Q000003"])
        let liuzhou = try await q.list(QuestionHarness.liuzhouVolunteer, filter: .init())
        #expect(liuzhou.questions.map(\.id) == ["Q000001", "Q000002"])
        let liuzhouStaff = try await q.list(DeskHarness.liuzhou, filter: .init())
        #expect(liuzhouStaff.questions.map(\.id) == ["Q000001", "Q000002"])
        let hidden = await QuestionHarness.refusal { try await q.detail(DeskHarness.liuzhou, "Q000003") }
        #expect(hidden?.status == .notFound)
        let outOfScope = await QuestionHarness.refusal {
            try await q.claim(QuestionHarness.patentVolunteer, "Q000002", conflictDeclared: true)
        }
        #expect(outOfScope?.status == .notFound)
    }

    @Test func aClaimNeedsTheDeclarationAndOneVolunteerAtATime() async throws {
        let harness = try await QuestionHarness()
        let id = try await harness.file(1)
        let q = harness.questions
        let undeclared = await QuestionHarness.refusal {
            try await q.claim(self.volunteer, id, conflictDeclared: false)
        }
        #expect(undeclared?.status == .unprocessableContent && undeclared?.code == "conflict_not_declared")
        let claimed = try await q.claim(self.volunteer, id, conflictDeclared: true)
        #expect(claimed.status == .claimed && claimed.claim?.volunteer == "vol-1")
        #expect(claimed.claim?.leaseUntil == harness.clock.now.addingTimeInterval(30 * 60))
        // Another volunteer no longer sees it (404), and their claim is told someone was first.
        let other = await QuestionHarness.refusal { try await q.claim(self.volunteer2, id, conflictDeclared: true) }
        #expect(other?.status == .conflict && other?.code == "already_claimed")
        #expect(try await q.list(self.volunteer2, filter: .init()).total == 0)
        let hidden = await QuestionHarness.refusal { try await q.detail(self.volunteer2, id) }
        #expect(hidden?.status == .notFound)
        let staffClaim = await QuestionHarness.refusal { try await q.claim(self.staff, id, conflictDeclared: true) }
        #expect(staffClaim?.status == .forbidden && staffClaim?.code == "forbidden_role")
        let again = await QuestionHarness.refusal { try await q.claim(self.volunteer, id, conflictDeclared: true) }
        #expect(again?.status == .conflict && again?.code == "already_claimed")
        let audit = try await harness.desk.audits().filter { $0.action == .questionClaimed }
        #expect(audit.map(\.actor) == ["vol-1"] && audit.first?.conversation == "oOpenID-secret-1")
    }

    @Test(arguments: [false, true])
    func twoVolunteersClaimingAtOnceOneWins(_ onFiles: Bool) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("questions-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store: any DocumentStore =
            onFiles ? try await FileDocumentStore.open(directory: directory) : MemoryDocumentStore()
        let harness = try await QuestionHarness(store: store)
        for round in 1...10 {
            let id = try await harness.file(round, applicant: ApplicantID("oOpenID-\(round)"))
            async let first = QuestionHarness.refusal {
                try await harness.questions.claim(self.volunteer, id, conflictDeclared: true)
            }
            async let second = QuestionHarness.refusal {
                try await harness.questions.claim(self.volunteer2, id, conflictDeclared: true)
            }
            let refusals = await [first, second]
            #expect(refusals.compactMap { $0 }.map(\.code) == ["already_claimed"], "round \(round)")
            let holder = try await harness.stored(id).holder
            #expect(holder == "vol-1" || holder == "vol-2")
            // Each puts back what they won, so the limit on claims never bites.
            if let holder {
                let who = holder == "vol-1" ? self.volunteer : self.volunteer2
                _ = try await harness.questions.putBack(who, id, reason: "测试")
            }
        }
        if let file = store as? FileDocumentStore { try await file.close() }
    }

    @Test func aVolunteerHoldsAtMostMaxClaims() async throws {
        let harness = try await QuestionHarness { $0.volunteer.maxClaims = 2 }
        for number in 1...3 { try await harness.file(number, applicant: ApplicantID("oOpenID-\(number)")) }
        let q = harness.questions
        _ = try await q.claim(self.volunteer, "Q000001", conflictDeclared: true)
        _ = try await q.claim(self.volunteer, "Q000002", conflictDeclared: true)
        let third = await QuestionHarness.refusal {
            try await q.claim(self.volunteer, "Q000003", conflictDeclared: true)
        }
        #expect(third?.status == .conflict && third?.code == "too_many_claims")
        // Answering one frees a place.
        _ = try await q.answer(self.volunteer, "Q000001", text: "可以提出异议。")
        _ = try await q.claim(self.volunteer, "Q000003", conflictDeclared: true)
        #expect(try await q.list(self.volunteer, filter: .init(mine: true)).total == 3)
    }

    @Test func renewAndPutBack() async throws {
        let harness = try await QuestionHarness()
        let id = try await harness.file(1)
        let q = harness.questions
        _ = try await q.claim(self.volunteer, id, conflictDeclared: true)
        harness.clock.advance(20 * 60)
        let renewed = try await q.renew(self.volunteer, id)
        #expect(renewed.claim?.leaseUntil == harness.clock.now.addingTimeInterval(30 * 60))
        let notTheirs = await QuestionHarness.refusal { try await q.putBack(self.volunteer2, id, reason: "x") }
        #expect(notTheirs?.status == .notFound)
        let empty = await QuestionHarness.refusal { try await q.putBack(self.volunteer, id, reason: " ") }
        #expect(empty?.status == .badRequest)
        let back = try await q.putBack(self.volunteer, id, reason: "不熟悉该领域")
        #expect(back.status == .queued && back.claim == nil)
        // Staff free a claim that is stuck.
        _ = try await q.claim(self.volunteer2, id, conflictDeclared: true)
        let freed = try await q.putBack(self.staff, id, reason: "志愿者请假")
        #expect(freed.status == .queued && freed.putBacks?.map(\.by) == ["vol-1", "desk-1"])
        let audits = try await harness.desk.audits().filter { $0.action == .questionPutBack }
        #expect(audits.map(\.detail) == ["question=Q000001", "question=Q000001 by=staff"])
    }

    @Test func aLeaseThatRunsOutSendsTheQuestionBackToTheQueue() async throws {
        let harness = try await QuestionHarness()
        let id = try await harness.file(1)
        _ = try await harness.questions.claim(self.volunteer, id, conflictDeclared: true)
        harness.clock.advance(29 * 60)
        await harness.questions.sweep()
        #expect(try await harness.stored(id).status == .claimed)
        harness.clock.advance(60)
        await harness.questions.sweep()
        let record = try await harness.stored(id)
        #expect(record.status == .queued && record.claim == nil && record.timeline.last?.action == .leaseExpired)
        let late = await QuestionHarness.refusal { try await harness.questions.answer(self.volunteer, id, text: "晚了") }
        #expect(late?.status == .conflict && late?.code == "not_claimed")
        let audit = try await harness.desk.audits().filter { $0.action == .questionLeaseExpired }
        #expect(audit.map(\.actor) == ["desk"])
        // Anyone may claim it now.
        _ = try await harness.questions.claim(self.volunteer2, id, conflictDeclared: true)
    }

    @Test func aFollowUpGoesToTheApplicantAndTheConversationWaitsForTheReply() async throws {
        let harness = try await QuestionHarness()
        let id = try await harness.file(1)
        let q = harness.questions
        _ = try await q.claim(self.volunteer, id, conflictDeclared: true)
        let asked = try await q.followUp(self.volunteer, id, text: "对方的商标是哪一年申请的？")
        #expect(asked.status == .awaitingApplicant)
        let sent = harness.outbound.sent(to: "oOpenID-secret-1")
        #expect(sent.count == 1 && sent.first?.author == .desk)
        #expect(sent.first?.text.contains("对方的商标是哪一年申请的？") == true && sent.first?.text.contains("48") == true)
        let until = harness.clock.now.addingTimeInterval(48 * 3_600)
        #expect(try await harness.conversation().questionWait == QuestionWait(question: id, kind: .reply(until: until)))
        // The lease waits for the applicant.
        harness.clock.advance(3 * 3_600)
        await q.sweep()
        #expect(try await harness.stored(id).status == .awaitingApplicant)

        // The bot records the reply (its own write); the volunteer reads it redacted, staff as written.
        try await harness.applicantReplies(id, "2019年申请的，我的电话\(QuestionHarness.phone)")
        let seen = try await q.detail(self.volunteer, id)
        let json = try Self.json(seen)
        #expect(json.contains("2019年申请的") && json.contains("［电话］") && !json.contains(QuestionHarness.phone))
        #expect(seen.status == .claimed)
        #expect(try Self.json(try await q.detail(self.staff, id)).contains(QuestionHarness.phone))
        _ = try await q.answer(self.volunteer, id, text: "可以在公告期内提出异议。")
    }

    @Test func aFollowUpWithoutAReplyLapsesAndTheConversationStopsWaiting() async throws {
        let harness = try await QuestionHarness()
        let id = try await harness.file(1)
        _ = try await harness.questions.claim(self.volunteer, id, conflictDeclared: true)
        _ = try await harness.questions.followUp(self.volunteer, id, text: "请问是哪个类别？")
        harness.clock.advance(48 * 3_600 - 1)
        await harness.questions.sweep()
        #expect(try await harness.stored(id).status == .awaitingApplicant)
        harness.clock.advance(1)
        await harness.questions.sweep()
        let record = try await harness.stored(id)
        #expect(record.status == .claimed && record.followUps.last?.lapsedAt == harness.clock.now)
        #expect(try await harness.conversation().questionWait == nil)
        #expect(try await harness.desk.audits().contains { $0.action == .questionFollowUpLapsed && $0.actor == "desk" })
    }

    @Test func anApprovedAnswerReachesTheApplicantOnceWithTheDisclaimerAndSignature() async throws {
        let harness = try await QuestionHarness()
        let id = try await harness.file(1, minutesAgo: 120)
        let q = harness.questions
        _ = try await q.claim(self.volunteer, id, conflictDeclared: true)
        harness.clock.advance(600)
        let answered = try await q.answer(self.volunteer, id, text: "自初审公告之日起三个月内可以提出异议。")
        #expect(answered.status == .answered && harness.outbound.sent.isEmpty)
        let volunteerReview = await QuestionHarness.refusal {
            try await q.review(self.volunteer, id, .approve(edited: nil))
        }
        #expect(volunteerReview?.status == .forbidden)
        harness.clock.advance(1_800)
        let approved = try await q.review(self.staff, id, .approve(edited: nil))
        #expect(approved.status == .delivered && approved.deliveredAt == harness.clock.now)
        let again = await QuestionHarness.refusal { try await q.review(self.admin, id, .approve(edited: nil)) }
        #expect(again?.status == .conflict && again?.code == "illegal_transition")
        let sent = harness.outbound.sent(to: "oOpenID-secret-1")
        #expect(sent.count == 1)
        let text = try #require(sent.first?.text)
        #expect(text.contains("自初审公告之日起三个月内可以提出异议。") && text.contains("仅供参考，不构成法律意见"))
        #expect(text.contains("广西知识产权维权援助志愿者团队") && text.contains("Q000001"))
        #expect(try await harness.conversation().questionWait == QuestionWait(question: id, kind: .rating))
        // The times: a first answer two hours and ten minutes after the question, reviewed half an hour later.
        let metrics = harness.metrics.render()
        #expect(metrics.contains("weiquan_question_first_answer_seconds_count 1"))
        #expect(metrics.contains("weiquan_question_first_answer_seconds_sum 7800"))
        #expect(metrics.contains(#"weiquan_question_review_seconds_sum{decision="approved"} 1800"#))
    }

    @Test func anAnswerDeliveredWhileAFollowUpOnAnotherQuestionWaitsLeavesThatWait() async throws {
        let harness = try await QuestionHarness()
        let asking = try await harness.file(1)
        let answering = try await harness.file(2)
        let q = harness.questions
        _ = try await q.claim(self.volunteer, asking, conflictDeclared: true)
        _ = try await q.claim(self.volunteer, answering, conflictDeclared: true)
        _ = try await q.followUp(self.volunteer, asking, text: "请问是哪个类别？")
        _ = try await q.answer(self.volunteer, answering, text: "可以提出异议。")
        let approved = try await q.review(self.staff, answering, .approve(edited: nil))
        #expect(approved.status == .delivered)
        // The answer went out; the bot still waits for the reply to the follow-up, which matters more.
        #expect(harness.outbound.sent(to: "oOpenID-secret-1").count == 2)
        let until = harness.clock.now.addingTimeInterval(48 * 3_600)
        #expect(
            try await harness.conversation().questionWait == QuestionWait(question: asking, kind: .reply(until: until)))
    }

    @Test func aReturnedAnswerGoesBackToItsVolunteerWithTheComment() async throws {
        let harness = try await QuestionHarness()
        let id = try await harness.file(1)
        let q = harness.questions
        _ = try await q.claim(self.volunteer, id, conflictDeclared: true)
        _ = try await q.answer(self.volunteer, id, text: "可以提出异议。")
        let noComment = await QuestionHarness.refusal { try await q.review(self.staff, id, .return(comment: "")) }
        #expect(noComment?.status == .badRequest)
        _ = try await q.review(self.staff, id, .return(comment: "请写明异议期限"))
        let seen = try await q.detail(self.volunteer, id)
        #expect(seen.status == .claimed && seen.review?.comment == "请写明异议期限" && seen.review?.decision == .returned)
        _ = try await q.answer(self.volunteer, id, text: "自初审公告之日起三个月内可以提出异议。")
        let edited = "自初审公告之日起三个月内，可以向国家知识产权局提出异议。"
        _ = try await q.review(self.admin, id, .approve(edited: edited))
        let sent = harness.outbound.sent(to: "oOpenID-secret-1")
        #expect(sent.count == 1 && sent.first?.text.contains(edited) == true)
        let stats = try await q.stats(self.staff)
        #expect(stats.map(\.volunteer) == ["vol-1"])
        #expect(stats.first?.returned == 1 && stats.first?.answered == 1 && stats.first?.delivered == 1)
    }

    @Test func withoutReviewAnAnswerIsDeliveredAtOnce() async throws {
        let harness = try await QuestionHarness { $0.volunteer.reviewRequired = false }
        let id = try await harness.file(1)
        _ = try await harness.questions.claim(self.volunteer, id, conflictDeclared: true)
        let answered = try await harness.questions.answer(self.volunteer, id, text: "可以提出异议。")
        #expect(answered.status == .delivered)
        #expect(harness.outbound.sent.count == 1)
        #expect(try await harness.conversation().questionWait == QuestionWait(question: id, kind: .rating))
        let audit = try await harness.desk.audits().filter { $0.action == .questionAnswered }
        #expect(audit.map(\.detail) == ["question=Q000001 delivered"])
    }

    @Test func figuresPerVolunteer() async throws {
        let harness = try await QuestionHarness { $0.volunteer.reviewRequired = false }
        let q = harness.questions
        for number in 1...3 {
            let id = try await harness.file(number, applicant: ApplicantID("oOpenID-\(number)"))
            let who = number == 3 ? self.volunteer2 : self.volunteer
            _ = try await q.claim(who, id, conflictDeclared: true)
            harness.clock.advance(Double(number) * 300)
            _ = try await q.answer(who, id, text: "答复\(number)")
        }
        // The applicants' verdicts, as the bot records them.
        for (number, helpful) in [(1, true), (2, false)] {
            var record = try await harness.stored(QuestionID(sequence: number))
            try record.rate(helpful: helpful, comment: nil, at: harness.clock.now)
            try await harness.store.put(record)
        }
        let all = try await q.stats(self.staff)
        #expect(all.map(\.volunteer) == ["vol-1", "vol-2"])
        let first = try #require(all.first)
        #expect(first.answered == 2 && first.delivered == 2 && first.helpful == 1 && first.notHelpful == 1)
        // Of 300 and 600 seconds, the lower middle.
        #expect(first.medianSecondsToAnswer == 300)
        #expect(try await q.stats(self.volunteer2) == [all[1]])
        #expect(try await q.stats(QuestionHarness.patentVolunteer) == [VolunteerFigures(volunteer: "vol-patent")])
    }

    @Test func theGaugesShowTheQueue() async throws {
        let harness = try await QuestionHarness()
        harness.questions.registerGauges(harness.metrics)
        try await harness.file(1, ipType: "patent", minutesAgo: 90)
        try await harness.file(2, ipType: "patent", minutesAgo: 30)
        try await harness.file(3, ipType: nil, minutesAgo: 10)
        await harness.questions.refreshFigures()
        var text = harness.metrics.render()
        #expect(text.contains(#"weiquan_questions_queued{ip_type="patent"} 2"#))
        #expect(text.contains(#"weiquan_questions_queued{ip_type="none"} 1"#))
        #expect(text.contains(#"weiquan_questions_oldest_queued_seconds{ip_type="patent"} 5400"#))
        _ = try await harness.questions.claim(self.volunteer, "Q000001", conflictDeclared: true)
        text = harness.metrics.render()
        #expect(text.contains(#"weiquan_questions_queued{ip_type="patent"} 1"#))
        #expect(text.contains(#"weiquan_questions_oldest_queued_seconds{ip_type="patent"} 1800"#))
    }

    static func json(_ view: QuestionView) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(view), as: UTF8.self)
    }
}
