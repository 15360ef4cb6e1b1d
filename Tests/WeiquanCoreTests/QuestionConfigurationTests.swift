import Foundation
import Testing
import WeiquanCore
import WeiquanFiles

/// What the volunteer queue adds around the question itself: the `volunteer` configuration, the conversation's
/// wait, the wording `weiquan check` asks for, and the volunteers' figures.
@Suite struct QuestionConfigurationTests {
    let now = Date(timeIntervalSince1970: 1_795_399_200)

    @Test func theVolunteerSectionTakesItsDefaults() throws {
        let shipped = TestBot.data.configuration.volunteer
        #expect(shipped == VolunteerPolicy(teamName: "广西知识产权维权援助志愿者团队"))
        #expect(shipped.reviewRequired && shipped.leaseMinutes == 30 && shipped.maxClaims == 3)
        #expect(shipped.followUpHours == 48 && shipped.leaseSeconds == 1_800 && shipped.followUpSeconds == 172_800)
        let partial = try JSONDecoder().decode(VolunteerPolicy.self, from: Data(#"{"review_required":false}"#.utf8))
        #expect(partial == VolunteerPolicy(reviewRequired: false))
        // An environment variable sets a key like any other.
        let document = try ConfigurationDocument.load(file: nil, environment: ["WEIQUAN_VOLUNTEER_MAX_CLAIMS": "5"])
        #expect(try document.decode(CentreConfiguration.self).volunteer.maxClaims == 5)
    }

    @Test func valuesOutOfRangeAreReportedByCheck() {
        var configuration = TestBot.data.configuration
        configuration.volunteer = VolunteerPolicy(leaseMinutes: 1, maxClaims: 0, followUpHours: 1_000, teamName: " ")
        let messages = ConfigurationValidator.validate(
            configuration, replies: TestBot.data.replies, catalogue: TestBot.data.catalogue
        )
        .filter { $0.severity == .error }.map(\.message)
        for key in ["lease_minutes", "max_claims", "follow_up_hours", "team_name"] {
            #expect(messages.contains { $0.contains("volunteer.\(key)") }, "\(key)")
        }
        #expect(VolunteerPolicy().problems().isEmpty)
    }

    @Test func theWordingForApplicantsIsShippedAndChecked() {
        let replies = TestBot.data.replies
        let answer = replies.render(
            QuestionReplies.answer, ["question_id": "Q000001", "text": "可以提出异议。", "team": "某志愿者团队"])
        #expect(answer.contains("可以提出异议。") && answer.contains("仅供参考，不构成法律意见") && answer.contains("某志愿者团队"))
        #expect(answer.contains("有帮助") && answer.contains("没帮助"))
        let followUp = replies.render(
            QuestionReplies.followUp, ["question_id": "Q000001", "text": "哪一年申请的？", "hours": "48"])
        #expect(followUp.contains("哪一年申请的？") && followUp.contains("48") && !followUp.contains("{"))
        var templates = replies.templates
        templates[QuestionReplies.answer] = nil
        let issues = ConfigurationValidator.validate(
            TestBot.data.configuration, replies: ReplyBook(templates: templates), catalogue: TestBot.data.catalogue)
        #expect(issues.contains { $0.message.contains("missing key 'question.answer'") })
    }

    @Test func theConversationKeepsItsQuestionWait() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let reply = QuestionWait(question: "Q000007", kind: .reply(until: self.now))
        #expect(
            String(decoding: try encoder.encode(reply), as: UTF8.self)
                == #"{"kind":"reply","question_id":"Q000007","until":"2026-11-23T02:00:00Z"}"#)
        let rating = QuestionWait(question: "Q000007", kind: .rating)
        #expect(
            String(decoding: try encoder.encode(rating), as: UTF8.self) == #"{"kind":"rating","question_id":"Q000007"}"#
        )
        #expect(reply.isAwaited(at: self.now.addingTimeInterval(-1)) && !reply.isAwaited(at: self.now))
        #expect(rating.isAwaited(at: .distantFuture))
        #expect(throws: DecodingError.self) {
            try decoder.decode(QuestionWait.self, from: Data(#"{"kind":"later","question_id":"Q1"}"#.utf8))
        }

        var conversation = Conversation(applicant: "oOpenID-1", updatedAt: self.now)
        let bare = String(decoding: try encoder.encode(conversation), as: UTF8.self)
        #expect(!bare.contains("question_wait"))
        conversation.questionWait = reply
        let json = try encoder.encode(conversation)
        #expect(try decoder.decode(Conversation.self, from: json) == conversation)
        #expect(try decoder.decode(Conversation.self, from: Data(bare.utf8)).questionWait == nil)
    }

    @Test func figuresCountEachVolunteersWork() throws {
        var first = QuestionRecord(
            id: "Q000001", applicant: "o1", askedAt: self.now, text: "问", redacted: "问", ipType: nil, region: nil,
            urgent: false)
        try first.claim(by: "vol-1", at: self.now, lease: 1_800, conflictDeclared: true)
        try first.answer(text: "答", by: "vol-1", at: self.now.addingTimeInterval(600))
        try first.returnForRevision(by: "desk-1", at: self.now.addingTimeInterval(700), comment: "补充")
        try first.answer(text: "答二", by: "vol-1", at: self.now.addingTimeInterval(800))
        try first.approve(by: "desk-1", at: self.now.addingTimeInterval(900))
        try first.markDelivered(at: self.now.addingTimeInterval(900))
        try first.rate(helpful: true, comment: nil, at: self.now.addingTimeInterval(1_000))
        var second = first
        second.id = "Q000002"
        second.timeline = []
        second.status = .queued
        second.claim = nil
        second.answer = nil
        second.review = nil
        second.deliveredAt = nil
        second.rating = nil
        try second.claim(by: "vol-2", at: self.now, lease: 1_800, conflictDeclared: true)
        try second.putBack(by: "vol-2", reason: "不熟悉", at: self.now.addingTimeInterval(60))
        try second.claim(by: "vol-1", at: self.now.addingTimeInterval(120), lease: 1_800, conflictDeclared: true)
        let figures = VolunteerFigures.figures(of: [first, second])
        var one = VolunteerFigures(volunteer: "vol-1")
        (one.answered, one.delivered, one.helpful, one.returned, one.holding) = (1, 1, 1, 1, 1)
        one.medianSecondsToAnswer = 600
        var two = VolunteerFigures(volunteer: "vol-2")
        two.putBack = 1
        #expect(figures == [one, two])
        let json = String(decoding: try JSONEncoder().encode(one), as: UTF8.self)
        #expect(json.contains(#""median_seconds_to_answer":600"#) && json.contains(#""not_helpful":0"#))
    }
}
