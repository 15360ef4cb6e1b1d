import Foundation
import Testing
import WeiquanCore

/// Every change to a question from every status: what it does, and that each refusal is the one expected and
/// leaves the question as it was.
@Suite struct QuestionTransitionTests {
    let asked = Date(timeIntervalSince1970: 1_795_399_200)
    var now: Date { self.asked.addingTimeInterval(600) }
    let lease: TimeInterval = 1_800
    let id: QuestionID = "Q000001"

    func queued() -> QuestionRecord {
        QuestionRecord(
            id: self.id, applicant: "oOpenID-1", askedAt: self.asked, text: "我叫张三，电话13800138000，商标被抢注怎么办？",
            redacted: "我叫［姓名］，电话［电话］，商标被抢注怎么办？", ipType: "trademark", region: "南宁市", urgent: false)
    }

    /// A question in `status`, held by vol-1 where it is held or answered.
    func question(_ status: QuestionStatus) throws -> QuestionRecord {
        var record = self.queued()
        guard status != .queued else { return record }
        try record.claim(by: "vol-1", at: self.now, lease: self.lease, conflictDeclared: true)
        switch status {
        case .claimed: break
        case .awaitingApplicant:
            try record.askFollowUp(text: "对方的商标是哪一年申请的？", by: "vol-1", at: self.now)
        case .answered:
            try record.answer(text: "可以提出异议。", by: "vol-1", at: self.now)
        case .delivered:
            try record.answer(text: "可以提出异议。", by: "vol-1", at: self.now)
            try record.approve(by: "desk-1", at: self.now)
            try record.markDelivered(at: self.now)
        case .closed:
            try record.answer(text: "可以提出异议。", by: "vol-1", at: self.now)
            try record.markDelivered(at: self.now, reviewRequired: false)
            try record.rate(helpful: true, comment: nil, at: self.now)
        case .withdrawn:
            try record.withdraw(at: self.now)
        case .queued: break
        }
        #expect(record.status == status)
        return record
    }

    /// Runs `change` on a copy of `record` and expects it refused with `expected`, the record unchanged.
    func expectRefused(
        _ record: QuestionRecord, _ expected: QuestionError, _ change: (inout QuestionRecord) throws -> Void,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var copy = record
        do {
            try change(&copy)
            Issue.record("expected \(expected), but the change was made", sourceLocation: sourceLocation)
        } catch {
            #expect(error as? QuestionError == expected, sourceLocation: sourceLocation)
        }
        #expect(copy == record, "a refused change must leave the question as it was", sourceLocation: sourceLocation)
    }

    func illegal(_ action: String, _ status: QuestionStatus) -> QuestionError {
        .illegalTransition(question: self.id, action: action, status: status)
    }

    @Test func aNewQuestionIsQueuedAndRoundTripsThroughJSON() throws {
        let record = self.queued()
        #expect(record.status == .queued && record.claim == nil && record.timeline.isEmpty && record.holder == nil)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(record), as: UTF8.self)
        #expect(json.contains(#""asked_at""#) && json.contains(#""ip_type":"trademark""#))
        #expect(json.contains(#""schema_version":1"#) && !json.contains("follow_ups") && !json.contains("timeline"))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(QuestionRecord.self, from: Data(json.utf8)) == record)
        // A question worked on through its whole life reads back the same.
        let closed = try self.question(.closed)
        #expect(try decoder.decode(QuestionRecord.self, from: try encoder.encode(closed)) == closed)
    }

    @Test func claim() throws {
        var record = self.queued()
        try record.claim(by: "vol-1", at: self.now, lease: self.lease, conflictDeclared: true)
        #expect(record.status == .claimed && record.holder == "vol-1")
        #expect(
            record.claim
                == QuestionClaim(
                    volunteer: "vol-1", claimedAt: self.now, leaseUntil: self.now.addingTimeInterval(1_800),
                    leaseSeconds: 1_800, conflictDeclared: true))
        #expect(record.timeline == [QuestionEvent(at: self.now, actor: "vol-1", action: .claimed, volunteer: "vol-1")])
        self.expectRefused(self.queued(), .conflictNotDeclared(question: self.id)) {
            try $0.claim(by: "vol-2", at: self.now, lease: self.lease, conflictDeclared: false)
        }
        self.expectRefused(self.queued(), .missing(question: self.id, what: "a lease must be at least one second")) {
            try $0.claim(by: "vol-2", at: self.now, lease: 0, conflictDeclared: true)
        }
        for status: QuestionStatus in [.claimed, .awaitingApplicant, .answered] {
            self.expectRefused(try self.question(status), .alreadyClaimed(question: self.id, volunteer: "vol-1")) {
                try $0.claim(by: "vol-2", at: self.now, lease: self.lease, conflictDeclared: true)
            }
        }
        for status: QuestionStatus in [.delivered, .withdrawn, .closed] {
            self.expectRefused(try self.question(status), self.illegal("claim", status)) {
                try $0.claim(by: "vol-2", at: self.now, lease: self.lease, conflictDeclared: true)
            }
        }
    }

    @Test func renew() throws {
        var record = try self.question(.claimed)
        let later = self.now.addingTimeInterval(1_200)
        try record.renew(by: "vol-1", at: later, lease: 3_600)
        #expect(record.claim?.leaseUntil == later.addingTimeInterval(3_600) && record.claim?.leaseSeconds == 3_600)
        #expect(record.timeline.last?.action == .renewed)
        let claimed = try self.question(.claimed)
        self.expectRefused(claimed, .notYours(question: self.id, volunteer: "vol-1")) {
            try $0.renew(by: "vol-2", at: self.now, lease: self.lease)
        }
        let expiry = self.now.addingTimeInterval(1_800)
        self.expectRefused(claimed, .leaseExpired(question: self.id, at: expiry)) {
            try $0.renew(by: "vol-1", at: expiry, lease: self.lease)
        }
        self.expectRefused(self.queued(), .notClaimed(question: self.id)) {
            try $0.renew(by: "vol-1", at: self.now, lease: self.lease)
        }
        for status: QuestionStatus in [.awaitingApplicant, .answered, .delivered, .withdrawn, .closed] {
            self.expectRefused(try self.question(status), self.illegal("renew", status)) {
                try $0.renew(by: "vol-1", at: self.now, lease: self.lease)
            }
        }
    }

    @Test func putBack() throws {
        var record = try self.question(.claimed)
        try record.putBack(by: "vol-1", reason: " 不熟悉该领域 ", at: self.now)
        #expect(record.status == .queued && record.claim == nil && record.holder == nil)
        #expect(record.putBacks == [QuestionPutBack(by: "vol-1", at: self.now, reason: "不熟悉该领域")])
        #expect(
            record.timeline.last
                == QuestionEvent(
                    at: self.now, actor: "vol-1", action: .putBack, volunteer: "vol-1", detail: "不熟悉该领域"))
        // While a follow-up waits: it lapses with the claim.
        var waiting = try self.question(.awaitingApplicant)
        try waiting.putBack(by: "vol-1", reason: "申请人未回复", at: self.now)
        #expect(
            waiting.status == .queued && waiting.followUps.last?.lapsedAt == self.now && waiting.openFollowUp == nil)
        // Staff free someone's claim; the event names whose it was.
        var freed = try self.question(.claimed)
        try freed.putBack(by: "desk-1", reason: "志愿者请假", at: self.now, asStaff: true)
        #expect(freed.status == .queued && freed.timeline.last?.volunteer == "vol-1")
        #expect(freed.timeline.last?.actor == "desk-1")

        let claimed = try self.question(.claimed)
        self.expectRefused(claimed, .notYours(question: self.id, volunteer: "vol-1")) {
            try $0.putBack(by: "vol-2", reason: "x", at: self.now)
        }
        self.expectRefused(claimed, .missing(question: self.id, what: "a put-back needs a reason")) {
            try $0.putBack(by: "vol-1", reason: "  ", at: self.now)
        }
        self.expectRefused(self.queued(), .notClaimed(question: self.id)) {
            try $0.putBack(by: "vol-1", reason: "x", at: self.now)
        }
        self.expectRefused(self.queued(), .notClaimed(question: self.id)) {
            try $0.putBack(by: "desk-1", reason: "x", at: self.now, asStaff: true)
        }
        for status: QuestionStatus in [.answered, .delivered, .withdrawn, .closed] {
            self.expectRefused(try self.question(status), self.illegal("put_back", status)) {
                try $0.putBack(by: "vol-1", reason: "x", at: self.now)
            }
            self.expectRefused(try self.question(status), self.illegal("put_back", status)) {
                try $0.putBack(by: "desk-1", reason: "x", at: self.now, asStaff: true)
            }
        }
    }

    @Test func expireLease() throws {
        let claimed = try self.question(.claimed)
        let expiry = self.now.addingTimeInterval(1_800)
        var record = claimed
        try record.expireLease(at: expiry)
        #expect(record.status == .queued && record.claim == nil)
        #expect(
            record.timeline.last == QuestionEvent(at: expiry, actor: "desk", action: .leaseExpired, volunteer: "vol-1"))
        self.expectRefused(claimed, .notDue(question: self.id, action: "expire_lease", due: expiry)) {
            try $0.expireLease(at: expiry.addingTimeInterval(-1))
        }
        // A follow-up stops the lease: a question waiting for the applicant never expires.
        for status: QuestionStatus in [.queued, .awaitingApplicant, .answered, .delivered, .withdrawn, .closed] {
            self.expectRefused(try self.question(status), self.illegal("expire_lease", status)) {
                try $0.expireLease(at: expiry.addingTimeInterval(86_400))
            }
        }
    }

    @Test func followUpAndReply() throws {
        var record = try self.question(.claimed)
        try record.askFollowUp(text: "对方的商标是哪一年申请的？", by: "vol-1", at: self.now)
        #expect(record.status == .awaitingApplicant && record.holder == "vol-1")
        #expect(record.openFollowUp == QuestionFollowUp(askedAt: self.now, by: "vol-1", text: "对方的商标是哪一年申请的？"))
        #expect(record.timeline.last?.action == .followUpAsked)
        let replied = self.now.addingTimeInterval(7_200)
        try record.recordReply(text: "2019年", at: replied)
        #expect(record.status == .claimed && record.openFollowUp == nil)
        #expect(record.followUps.last?.reply == "2019年" && record.followUps.last?.repliedAt == replied)
        // The lease starts again from the reply, for the length granted.
        #expect(record.claim?.leaseUntil == replied.addingTimeInterval(1_800))
        #expect(
            record.timeline.last == QuestionEvent(at: replied, actor: "applicant", action: .replied, volunteer: "vol-1")
        )

        let claimed = try self.question(.claimed)
        self.expectRefused(claimed, .notYours(question: self.id, volunteer: "vol-1")) {
            try $0.askFollowUp(text: "？", by: "vol-2", at: self.now)
        }
        self.expectRefused(claimed, .leaseExpired(question: self.id, at: self.now.addingTimeInterval(1_800))) {
            try $0.askFollowUp(text: "？", by: "vol-1", at: self.now.addingTimeInterval(1_800))
        }
        self.expectRefused(claimed, .missing(question: self.id, what: "a follow-up question needs a text")) {
            try $0.askFollowUp(text: "", by: "vol-1", at: self.now)
        }
        self.expectRefused(self.queued(), .notClaimed(question: self.id)) {
            try $0.askFollowUp(text: "？", by: "vol-1", at: self.now)
        }
        for status: QuestionStatus in [.awaitingApplicant, .answered, .delivered, .withdrawn, .closed] {
            self.expectRefused(try self.question(status), self.illegal("follow_up", status)) {
                try $0.askFollowUp(text: "？", by: "vol-1", at: self.now)
            }
        }
        self.expectRefused(
            try self.question(.awaitingApplicant), .missing(question: self.id, what: "a reply needs a text")
        ) {
            try $0.recordReply(text: " ", at: self.now)
        }
        for status: QuestionStatus in [.queued, .claimed, .answered, .delivered, .withdrawn, .closed] {
            self.expectRefused(try self.question(status), self.illegal("reply", status)) {
                try $0.recordReply(text: "2019年", at: self.now)
            }
        }
    }

    @Test func aFollowUpWithoutReplyLapses() throws {
        let waiting = try self.question(.awaitingApplicant)
        let limit: TimeInterval = 48 * 3_600
        let due = self.now.addingTimeInterval(limit)
        var record = waiting
        try record.lapseFollowUp(at: due, after: limit)
        #expect(record.status == .claimed && record.followUps.last?.lapsedAt == due && record.openFollowUp == nil)
        #expect(record.claim?.leaseUntil == due.addingTimeInterval(1_800))
        #expect(
            record.timeline.last == QuestionEvent(at: due, actor: "desk", action: .followUpLapsed, volunteer: "vol-1"))
        self.expectRefused(waiting, .notDue(question: self.id, action: "lapse_follow_up", due: due)) {
            try $0.lapseFollowUp(at: due.addingTimeInterval(-1), after: limit)
        }
        // A late reply after the lapse is not taken: the follow-up is no longer open.
        self.expectRefused(record, self.illegal("reply", .claimed)) { try $0.recordReply(text: "晚了", at: due) }
        for status: QuestionStatus in [.queued, .claimed, .answered, .delivered, .withdrawn, .closed] {
            self.expectRefused(try self.question(status), self.illegal("lapse_follow_up", status)) {
                try $0.lapseFollowUp(at: due, after: limit)
            }
        }
    }

    @Test func answerReviewAndDelivery() throws {
        var record = try self.question(.claimed)
        try record.answer(text: " 可以在公告期内提出异议。 ", by: "vol-1", at: self.now)
        #expect(record.status == .answered && record.holder == nil)
        #expect(record.answer == QuestionAnswer(text: "可以在公告期内提出异议。", by: "vol-1", at: self.now))
        #expect(record.firstAnsweredAt == self.now)
        self.expectRefused(record, .notApproved(question: self.id)) { try $0.markDelivered(at: self.now) }

        // Returned: the volunteer holds it again with a fresh lease, and answers anew.
        let returned = self.now.addingTimeInterval(3_600)
        try record.returnForRevision(by: "desk-1", at: returned, comment: "请补充异议期限")
        #expect(record.status == .claimed && record.holder == "vol-1")
        #expect(record.review == QuestionReview(by: "desk-1", at: returned, decision: .returned, comment: "请补充异议期限"))
        #expect(record.claim?.leaseUntil == returned.addingTimeInterval(1_800))
        #expect(record.timeline.last?.detail == "请补充异议期限" && record.timeline.last?.volunteer == "vol-1")
        try record.answer(text: "初审公告之日起三个月内可以提出异议。", by: "vol-1", at: returned)
        #expect(record.review == nil && record.firstAnsweredAt == self.now)

        // Approved with staff's wording: that is what the applicant gets.
        try record.approve(by: "desk-1", at: returned, edited: "自初审公告之日起三个月内，可向国家知识产权局提出异议。")
        #expect(record.review?.decision == .approved && record.status == .answered)
        #expect(record.deliverableText == "自初审公告之日起三个月内，可向国家知识产权局提出异议。")
        self.expectRefused(record, self.illegal("approve", .answered)) { try $0.approve(by: "desk-2", at: returned) }
        self.expectRefused(record, self.illegal("return", .answered)) {
            try $0.returnForRevision(by: "desk-2", at: returned, comment: "x")
        }
        try record.markDelivered(at: returned)
        #expect(record.status == .delivered && record.deliveredAt == returned)
        #expect(record.timeline.map(\.action) == [.claimed, .answered, .returned, .answered, .approved, .delivered])

        let answered = try self.question(.answered)
        self.expectRefused(answered, .missing(question: self.id, what: "a returned answer needs a comment")) {
            try $0.returnForRevision(by: "desk-1", at: self.now, comment: "")
        }
        self.expectRefused(answered, .missing(question: self.id, what: "an edited answer needs a text")) {
            try $0.approve(by: "desk-1", at: self.now, edited: " ")
        }
        // Without review, delivered as answered.
        var direct = answered
        try direct.markDelivered(at: self.now, reviewRequired: false)
        #expect(direct.status == .delivered && direct.review == nil && direct.deliverableText == "可以提出异议。")

        let claimed = try self.question(.claimed)
        self.expectRefused(claimed, .notYours(question: self.id, volunteer: "vol-1")) {
            try $0.answer(text: "x", by: "vol-2", at: self.now)
        }
        self.expectRefused(claimed, .leaseExpired(question: self.id, at: self.now.addingTimeInterval(1_800))) {
            try $0.answer(text: "x", by: "vol-1", at: self.now.addingTimeInterval(3_600))
        }
        self.expectRefused(claimed, .missing(question: self.id, what: "an answer needs a text")) {
            try $0.answer(text: "\n", by: "vol-1", at: self.now)
        }
        self.expectRefused(self.queued(), .notClaimed(question: self.id)) {
            try $0.answer(text: "x", by: "vol-1", at: self.now)
        }
        for status: QuestionStatus in [.awaitingApplicant, .answered, .delivered, .withdrawn, .closed] {
            self.expectRefused(try self.question(status), self.illegal("answer", status)) {
                try $0.answer(text: "x", by: "vol-1", at: self.now)
            }
        }
        for status: QuestionStatus in [.queued, .claimed, .awaitingApplicant, .delivered, .withdrawn, .closed] {
            let record = try self.question(status)
            self.expectRefused(record, self.illegal("approve", status)) { try $0.approve(by: "desk-1", at: self.now) }
            self.expectRefused(record, self.illegal("return", status)) {
                try $0.returnForRevision(by: "desk-1", at: self.now, comment: "x")
            }
            self.expectRefused(record, self.illegal("deliver", status)) {
                try $0.markDelivered(at: self.now, reviewRequired: false)
            }
        }
    }

    @Test func rateOnce() throws {
        var record = try self.question(.delivered)
        try record.rate(helpful: false, comment: "  没说清楚期限 ", at: self.now)
        #expect(
            record.status == .closed && record.rating == QuestionRating(helpful: false, comment: "没说清楚期限", at: self.now)
        )
        #expect(record.timeline.last?.detail == "not_helpful" && record.timeline.last?.actor == "applicant")
        var bare = try self.question(.delivered)
        try bare.rate(helpful: true, comment: " ", at: self.now)
        #expect(bare.rating?.comment == nil)
        for status: QuestionStatus in [.queued, .claimed, .awaitingApplicant, .answered, .withdrawn, .closed] {
            self.expectRefused(try self.question(status), self.illegal("rate", status)) {
                try $0.rate(helpful: true, comment: nil, at: self.now)
            }
        }
    }

    @Test func withdraw() throws {
        for status: QuestionStatus in [.queued, .claimed, .awaitingApplicant, .answered] {
            var record = try self.question(status)
            try record.withdraw(at: self.now)
            #expect(record.status == .withdrawn && record.openFollowUp == nil)
            #expect(record.timeline.last?.action == .withdrawn && record.timeline.last?.actor == "applicant")
            #expect(record.holder == nil)
        }
        for status: QuestionStatus in [.delivered, .withdrawn, .closed] {
            self.expectRefused(try self.question(status), self.illegal("withdraw", status)) {
                try $0.withdraw(at: self.now)
            }
        }
    }

    @Test func errorsHaveStableCodes() {
        let codes: [(QuestionError, String)] = [
            (.alreadyClaimed(question: self.id, volunteer: "v"), "already_claimed"),
            (.notClaimed(question: self.id), "not_claimed"),
            (.leaseExpired(question: self.id, at: self.now), "lease_expired"),
            (.notYours(question: self.id, volunteer: "v"), "not_yours"),
            (self.illegal("x", .queued), "illegal_transition"),
            (.missing(question: self.id, what: "x"), "missing_field"),
            (.conflictNotDeclared(question: self.id), "conflict_not_declared"),
            (.notApproved(question: self.id), "not_approved"),
            (.notDue(question: self.id, action: "x", due: self.now), "not_due"),
            (.tooManyClaims(volunteer: "v", limit: 3), "too_many_claims"),
        ]
        for (error, code) in codes {
            #expect(error.code == code && !error.message.isEmpty && error.description.hasPrefix(code))
        }
    }

    @Test func questionIDs() {
        #expect(QuestionID(sequence: 42) == "Q000042" && QuestionID(sequence: 1_234_567).rawValue == "Q1234567")
        #expect(QuestionID("Q000042").sequence == 42 && QuestionID("H000042").sequence == nil)
        #expect(QuestionID("Q").sequence == nil && QuestionID("Q12a").sequence == nil)
    }
}
