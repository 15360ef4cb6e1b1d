import Foundation
import WeiquanCore

/// What the question pages' templates read: a ``QuestionView`` — exactly what the API answers the same caller —
/// turned into the strings, flags and lists of a Mustache context, with the labels in Chinese and the times in the
/// centre's time zone. Every text is passed as it is: the templates escape it (`{{x}}`, never `{{{x}}}`).
struct ConsoleQuestionValues: Sendable {
    /// The heading of each kind of right (`option.ip_type.*` of `intents/replies.json`).
    let typeNames: [String: String]
    /// The centre's time zone, for the times shown.
    let timeZone: TimeZone
    /// The units' names by id (the directory's), for the unit a question belongs to.
    let unitNames: [String: String]
    /// How long an answer and a note may be (the service's limits, for the editors' `maxlength`).
    let maxAnswerLength = QuestionService.maxAnswerLength
    let maxNoteLength = QuestionService.maxNoteLength

    // MARK: - Labels

    /// The status as shown, and the badge class it wears.
    static func status(_ status: QuestionStatus) -> (label: String, badge: String) {
        switch status {
        case .queued: ("待认领", "badge-warn")
        case .claimed: ("解答中", "")
        case .awaitingApplicant: ("等待申请人回复", "badge-muted")
        case .answered: ("待审核", "badge-warn")
        case .delivered: ("已发送", "badge-ok")
        case .withdrawn: ("已撤回", "badge-muted")
        case .closed: ("已评价", "badge-ok")
        }
    }

    /// What a timeline entry says was done.
    static func action(_ action: QuestionEvent.Action) -> String {
        switch action {
        case .claimed: "认领"
        case .renewed: "续期"
        case .putBack: "放回队列"
        case .leaseExpired: "认领到期，回到队列"
        case .followUpAsked: "向申请人追问"
        case .replied: "申请人回复追问"
        case .followUpLapsed: "追问未获回复"
        case .answered: "提交解答"
        case .approved: "审核通过"
        case .returned: "退回修改"
        case .delivered: "解答已发送给申请人"
        case .rated: "申请人评价"
        case .withdrawn: "申请人撤回"
        }
    }

    /// Who did it: a desk token's name, or the applicant, or the desk's timers.
    static func actor(_ actor: String) -> String {
        switch actor {
        case QuestionRecord.applicantActor: "申请人"
        case QuestionRecord.deskActor: "系统"
        default: actor
        }
    }

    /// The IP types a filter offers, in the order of ``IPType``, with the one chosen marked.
    func typeOptions(selected: String?) -> [[String: Any]] {
        IPType.allCases.map { type in
            [
                "value": type.rawValue, "label": self.typeName(type.rawValue),
                "selected": type.rawValue == selected,
            ]
        }
    }

    /// Where the applicant is: a region name as it is, a unit id by its unit's name.
    func place(_ region: String?) -> String {
        guard let region, !region.isEmpty else { return "未知" }
        return self.unitNames[region] ?? region
    }

    func typeName(_ raw: String?) -> String {
        guard let raw else { return "未分类" }
        return self.typeNames[raw] ?? raw
    }

    // MARK: - Times

    /// `2026-11-30 14:05` in the centre's time zone.
    func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = self.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    /// A span in words: `45 分钟`, `3 小时 5 分钟`, `2 天 4 小时`.
    static func span(seconds: Int) -> String {
        let minutes = max(0, seconds) / 60
        if minutes < 60 { return "\(minutes) 分钟" }
        let hours = minutes / 60
        if hours < 24 { return minutes % 60 == 0 ? "\(hours) 小时" : "\(hours) 小时 \(minutes % 60) 分钟" }
        return hours % 24 == 0 ? "\(hours / 24) 天" : "\(hours / 24) 天 \(hours % 24) 小时"
    }

    // MARK: - A question

    /// One question as a row of a list: what everyone may see of it, and the claim's lease when the caller sees
    /// the claim.
    func row(_ question: QuestionView, now: Date) -> [String: Any] {
        let (label, badge) = Self.status(question.status)
        var row: [String: Any] = [
            "id": question.id.rawValue, "status": question.status.rawValue, "statusLabel": label,
            "statusBadge": badge, "urgent": question.urgent, "redacted": question.redacted,
            "excerpt": Self.excerpt(question.redacted), "ipType": self.typeName(question.ipType),
            "region": self.place(question.region),
            "unitName": self.unitNames[question.unit.rawValue] ?? question.unit.rawValue,
            "askedAt": self.time(question.askedAt),
            "age": Self.span(seconds: question.ageSeconds),
        ]
        if let claim = question.claim {
            row["claim"] = self.claim(claim, status: question.status, now: now)
        }
        if let answer = question.answer {
            row["answer"] = ["text": answer.text, "by": answer.by, "at": self.time(answer.at)]
        }
        if let review = question.review {
            row["review"] = self.review(review)
        }
        if let rating = question.rating {
            row["rating"] = self.rating(rating)
        }
        if let delivered = question.deliveredAt {
            row["deliveredAt"] = self.time(delivered)
        }
        return row
    }

    /// One question in full for its page: the row, the follow-ups, the staff-only parts and timeline when the view
    /// has them, and what `who` may do with it now (the service decides; the flags only choose the forms shown).
    func detail(_ question: QuestionView, for who: StaffIdentity, now: Date) -> [String: Any] {
        var values = self.row(question, now: now)
        let volunteer = who.role == .volunteer
        let holds = question.claim?.volunteer == who.name && QuestionStatus.holding.contains(question.status)
        values["followUps"] = (question.followUps ?? []).map { followUp -> [String: Any] in
            var item: [String: Any] = [
                "by": followUp.by, "text": followUp.text, "askedAt": self.time(followUp.askedAt),
            ]
            if let reply = followUp.reply { item["reply"] = reply }
            if let at = followUp.repliedAt { item["repliedAt"] = self.time(at) }
            if let at = followUp.lapsedAt { item["lapsedAt"] = self.time(at) }
            return item
        }
        values["hasFollowUps"] = !(question.followUps ?? []).isEmpty
        if let text = question.text { values["text"] = text }
        if let applicant = question.applicant { values["applicant"] = applicant.rawValue }
        values["putBacks"] = (question.putBacks ?? []).map { putBack -> [String: Any] in
            ["by": putBack.by, "at": self.time(putBack.at), "reason": putBack.reason]
        }
        if let timeline = question.timeline {
            values["timeline"] = timeline.map { event -> [String: Any] in
                var item: [String: Any] = [
                    "at": self.time(event.at), "actor": Self.actor(event.actor), "action": Self.action(event.action),
                ]
                if let name = event.volunteer, name != event.actor { item["volunteer"] = name }
                if let detail = event.detail { item["detail"] = detail }
                return item
            }
        }
        values["hasTimeline"] = !(question.timeline ?? []).isEmpty
        if let review = question.review, review.decision == .returned, QuestionStatus.holding.contains(question.status)
        {
            values["returnedReview"] = self.review(review)
        }
        values["isVolunteer"] = volunteer
        values["isStaff"] = !volunteer
        values["canClaim"] = volunteer && question.status == .queued
        values["canWork"] = volunteer && holds && question.status == .claimed
        values["awaitingReply"] = question.status == .awaitingApplicant
        values["canPutBack"] = holds || (!volunteer && QuestionStatus.holding.contains(question.status))
        values["canReview"] = !volunteer && question.status == .answered
        values["putBackThen"] = volunteer ? "/console/questions" : "reload"
        values["maxAnswer"] = self.maxAnswerLength
        values["maxNote"] = self.maxNoteLength
        return values
    }

    func claim(_ claim: QuestionClaim, status: QuestionStatus, now: Date) -> [String: Any] {
        var values: [String: Any] = [
            "volunteer": claim.volunteer, "claimedAt": self.time(claim.claimedAt),
            "leaseUntil": self.time(claim.leaseUntil),
        ]
        if status == .claimed {
            let left = Int(claim.leaseUntil.timeIntervalSince(now))
            values["leaseLeft"] = left > 0 ? "剩 " + Self.span(seconds: left) : "已到期"
            values["leaseShort"] = left < 10 * 60
        }
        return values
    }

    func review(_ review: QuestionReview) -> [String: Any] {
        var values: [String: Any] = [
            "by": review.by, "at": self.time(review.at), "approved": review.decision == .approved,
            "returned": review.decision == .returned,
        ]
        if let comment = review.comment { values["comment"] = comment }
        if let edited = review.edited { values["edited"] = edited }
        return values
    }

    func rating(_ rating: QuestionRating) -> [String: Any] {
        var values: [String: Any] = ["helpful": rating.helpful, "at": self.time(rating.at)]
        if let comment = rating.comment { values["comment"] = comment }
        return values
    }

    /// The volunteer's figures as the history page shows them.
    func figures(_ figures: VolunteerFigures) -> [String: Any] {
        var values: [String: Any] = [
            "volunteer": figures.volunteer, "answered": figures.answered, "delivered": figures.delivered,
            "helpful": figures.helpful, "notHelpful": figures.notHelpful, "returned": figures.returned,
            "putBack": figures.putBack, "holding": figures.holding,
        ]
        values["medianToAnswer"] = figures.medianSecondsToAnswer.map { Self.span(seconds: $0) } ?? "—"
        let rated = figures.helpful + figures.notHelpful
        values["helpfulShare"] = rated == 0 ? "—" : "\(figures.helpful * 100 / rated)%"
        return values
    }

    /// The start of a long text for a list: the first 80 characters.
    static func excerpt(_ text: String, limit: Int = 80) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
