import Foundation
import Testing
import WeiquanCore

/// The applicant's right to deletion in the core: the bot's confirmation and the effect it asks for, what an
/// anonymised case keeps, and when a case is past the retention period.
@Suite struct PrivacyTests {
    let machine = TestBot.machine
    let now = Dialogue.mondayMorning

    var context: ConversationContext {
        ConversationContext(now: self.now, applicant: "user-a", caseID: "WQ202611230001", handoffID: "H000001")
    }

    func say(_ text: String, _ conversation: inout Conversation) -> ConversationStep {
        self.machine.step(.text(text), conversation: &conversation, handoff: nil, context: self.context)
    }

    @Test func deletionIsAskedForConfirmedAndOnlyThenRequested() throws {
        var conversation = Conversation(applicant: "user-a", updatedAt: self.now)
        let offer = self.say("删除我的信息", &conversation)
        #expect(offer.effects.count == 1 && !offer.erasureRequested)
        #expect(try #require(offer.reply).contains("1. 确认删除"))
        #expect(conversation.state.choices == [.confirmErasure, .mainMenu])
        let confirmed = self.say("1", &conversation)
        #expect(confirmed.erasureRequested)
        #expect(confirmed.effects.contains(.requestErasure))
        #expect(confirmed.audits == [AuditEntry(.erasureRequested, actor: AuditEntry.applicant)])
        #expect(try #require(confirmed.reply).contains("已收到您的删除请求"))
    }

    @Test func goingBackToTheMenuRequestsNothing() {
        var conversation = Conversation(applicant: "user-a", updatedAt: self.now)
        _ = self.say("請刪除我的個人資料", &conversation)
        let back = self.say("2", &conversation)
        #expect(!back.erasureRequested && !back.effects.contains(.requestErasure))
        #expect(!conversation.state.choices.contains(.confirmErasure))
    }

    @Test func askingWhetherDataCanBeDeletedIsAnsweredNotActedOn() throws {
        var conversation = Conversation(applicant: "user-a", updatedAt: self.now)
        let question = self.say("能删除我的信息吗", &conversation)
        #expect(!question.erasureRequested)
        #expect(try #require(question.reply).contains("回复“删除我的信息”"))
    }

    static func workedCase(at filed: Date) throws -> CaseRecord {
        var record = CaseRecord(
            id: "WQ202601050001", kind: .aidRequest, applicant: "o6_real_openid", createdAt: filed, unit: "nanning",
            fields: [
                "applicant_type": "individual", "name": "张三", "phone": "13800138000", "region": "南宁市",
                "ip_type": "patent", "ip_number": "ZL202310123456.7", "facts": "对方在网店销售仿冒产品", "services": "ecommerce",
            ],
            attachments: ["MEDIA_ID_1"], consent: ConsentRecord(noticeVersion: "2026-11", acceptedAt: filed))
        try record.apply(.accept, by: "desk-1", at: filed + 3600, note: "已电话联系张三")
        try record.assign(to: "desk-1", experts: [], by: "desk-1", at: filed + 3700)
        try record.addNote("张三说对方地址在xx路", by: "desk-1", at: filed + 3800)
        try record.apply(.start, by: "desk-1", at: filed + 4000)
        try record.apply(
            .conclude(CaseOutcome(.mediated)), by: "desk-1", at: filed + 86_400, note: "调解成功")
        try record.rate(score: 4, comment: "张三很满意", at: filed + 90_000)
        record.recordEvidence(
            CaseEvidence(
                number: 1, mediaID: "MEDIA_ID_1", status: .fetched, contentType: "image/jpeg", size: 3,
                sha256: String(repeating: "ab", count: 32), at: filed + 60))
        return record
    }

    @Test func anAnonymisedCaseKeepsWhatTheReportsCountAndNothingPersonal() throws {
        let filed = Date(timeIntervalSince1970: 1_767_600_000)
        var record = try Self.workedCase(at: filed)
        let before = record
        let kept = Set(ConversationPolicy.defaultFieldsKept)
        record.anonymise(as: .erased("E1"), keeping: kept, reason: .applicantRequest, at: filed + 100_000)

        #expect(record.applicant == "erased:E1" && record.applicant.isErased && record.isAnonymised)
        #expect(record.anonymised == CaseAnonymisation(at: filed + 100_000, reason: .applicantRequest))
        #expect(
            record.fields == [
                "applicant_type": "individual", "region": "南宁市", "ip_type": "patent", "services": "ecommerce",
            ])
        #expect(record.attachments.isEmpty && record.evidence.isEmpty && record.rightNumber == nil)
        #expect(record.rating == CaseRating(score: 4, comment: nil, at: filed + 90_000))
        // Who did what when stays; no words do, except whom it was assigned to.
        #expect(record.timeline.map(\.action) == before.timeline.map(\.action))
        #expect(record.timeline.map(\.at) == before.timeline.map(\.at))
        #expect(record.timeline.compactMap(\.detail) == ["desk-1"])
        // The decisions stay for the reports.
        #expect(record.status == .concluded && record.outcome == before.outcome && record.unit == "nanning")
        #expect(record.kind == .aidRequest && record.createdAt == filed && record.consent == before.consent)
        // Nothing personal is left anywhere in the stored form.
        let json = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        for personal in ["张三", "13800138000", "ZL202310123456.7", "o6_real_openid", "MEDIA_ID_1", "网店", "xx路"] {
            #expect(!json.contains(personal), "\(personal) in \(json)")
        }
        // And it reads back the same.
        #expect(try JSONDecoder().decode(CaseRecord.self, from: Data(json.utf8)) == record)
    }

    @Test func aHandoffKeepsItsTimesNotItsWords() {
        var handoff = HandoffRecord(
            id: "H000001", applicant: "o6_real_openid", unit: "centre", reason: .requested, status: .callback,
            requestedAt: self.now)
        handoff.callbackPhone = "13800138000"
        handoff.question = "我是张三"
        handoff.append(.applicant, "我叫张三", at: self.now)
        handoff.end(.closed, at: self.now + 60)
        handoff.anonymise(as: .erased("E1"))
        #expect(handoff.applicant == "erased:E1" && handoff.messages.isEmpty)
        #expect(handoff.callbackPhone == nil && handoff.question == nil && handoff.form == nil)
        #expect(handoff.requestedAt == self.now && handoff.endedAt == self.now + 60 && handoff.outcome == .closed)
    }

    @Test func theRetentionPeriodRunsFromTheEndOfTheCaseInWholeYears() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let filed = Date(timeIntervalSince1970: 1_767_600_000)
        let record = try Self.workedCase(at: filed)
        let ended = try #require(record.endedAt)
        #expect(ended == filed + 86_400)
        let threeYears = try #require(calendar.date(byAdding: .year, value: 3, to: ended))
        #expect(!record.isPastRetention(years: 3, at: threeYears - 1, calendar: calendar))
        #expect(record.isPastRetention(years: 3, at: threeYears, calendar: calendar))
        // An open case is never past it; an anonymised one is done with.
        var open = record
        open.status = .inProgress
        #expect(open.endedAt == nil && !open.isPastRetention(years: 0, at: threeYears, calendar: calendar))
        var anonymised = record
        anonymised.anonymise(as: .erased("E2"), keeping: [], reason: .retention, at: threeYears)
        #expect(!anonymised.isPastRetention(years: 3, at: threeYears + 1, calendar: calendar))
    }
}
