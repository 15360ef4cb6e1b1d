import Foundation
import Hummingbird
import Testing
import WeiquanCore

@testable import WeiquanServer

/// What the question pages show of a question besides its texts: spans and times in the centre's zone, the lease
/// left or run out, the returned review only while the volunteer works on it, and the pager's links.
@Suite struct ConsoleQuestionValuesTests {
    static let values = ConsoleQuestionValues(
        typeNames: ["trademark": "商标"], timeZone: TimeZone(identifier: "Asia/Shanghai") ?? .gmt,
        unitNames: ["nanning": "南宁分中心"])

    @Test func spansAndTimesReadAsPeopleSayThem() {
        #expect(ConsoleQuestionValues.span(seconds: 59 * 60 + 59) == "59 分钟")
        #expect(ConsoleQuestionValues.span(seconds: 3 * 3_600) == "3 小时")
        #expect(ConsoleQuestionValues.span(seconds: 3 * 3_600 + 5 * 60) == "3 小时 5 分钟")
        #expect(ConsoleQuestionValues.span(seconds: 2 * 86_400 + 4 * 3_600) == "2 天 4 小时")
        #expect(ConsoleQuestionValues.span(seconds: -5) == "0 分钟")
        // Monday morning is 2026-11-23 02:00 UTC: 10:00 in the centre.
        #expect(Self.values.time(DeskHarness.mondayMorning) == "2026-11-23 10:00")
        #expect(Self.values.place("nanning") == "南宁分中心" && Self.values.place("南宁市") == "南宁市")
        #expect(Self.values.place(nil) == "未知" && Self.values.typeName(nil) == "未分类")
    }

    @Test func theLeaseShowsWhatIsLeftOrThatItRanOut() {
        let start = DeskHarness.mondayMorning
        let claim = QuestionClaim(
            volunteer: "vol-1", claimedAt: start, leaseUntil: start.addingTimeInterval(1_800), leaseSeconds: 1_800,
            conflictDeclared: true)
        let running = Self.values.claim(claim, status: .claimed, now: start.addingTimeInterval(25 * 60))
        #expect(running["leaseLeft"] as? String == "剩 5 分钟" && running["leaseShort"] as? Bool == true)
        let over = Self.values.claim(claim, status: .claimed, now: start.addingTimeInterval(31 * 60))
        #expect(over["leaseLeft"] as? String == "已到期")
        // Waiting for the applicant the lease does not run: nothing is said of it.
        let waiting = Self.values.claim(claim, status: .awaitingApplicant, now: start)
        #expect(waiting["leaseLeft"] == nil)
    }

    @Test func aReturnedAnswerIsShownWhileTheVolunteerWorksOnItAgain() throws {
        let start = DeskHarness.mondayMorning
        var record = QuestionHarness.question(1, askedAt: start)
        try record.claim(by: "vol-1", at: start, lease: 1_800, conflictDeclared: true)
        try record.answer(text: "先答", by: "vol-1", at: start)
        try record.returnForRevision(by: "desk-1", at: start, comment: "请补充法条")
        let volunteer = QuestionHarness.volunteer
        let view = QuestionView(volunteer: record, viewer: "vol-1", unit: "nanning", now: start) { $0 }
        let shown = Self.values.detail(view, for: volunteer, now: start)
        #expect((shown["returnedReview"] as? [String: Any])?["comment"] as? String == "请补充法条")
        #expect(shown["canWork"] as? Bool == true && shown["canReview"] as? Bool == false)
        #expect(shown["unitName"] as? String == "南宁分中心")

        try record.answer(text: "再答", by: "vol-1", at: start)
        let again = QuestionView(volunteer: record, viewer: "vol-1", unit: "nanning", now: start) { $0 }
        let answered = Self.values.detail(again, for: volunteer, now: start)
        #expect(answered["returnedReview"] == nil && answered["canWork"] as? Bool == false)
        let staff = QuestionView(staff: record, unit: "nanning", now: start, withTimeline: true)
        let reviewing = Self.values.detail(staff, for: DeskHarness.staff1, now: start)
        #expect(reviewing["canReview"] as? Bool == true && reviewing["hasTimeline"] as? Bool == true)
    }

    @Test func thePagerKeepsTheFiltersAndEscapesThem() throws {
        let query: Parameters = ["ip_type": "trade mark&x", "urgent_first": "true", "page": "1"]
        #expect(ConsoleQuestionPages.pager(path: "/console/questions", query: query, page: 0, total: 50) == nil)
        let pager = try #require(
            ConsoleQuestionPages.pager(path: "/console/questions", query: query, page: 1, total: 120))
        #expect(pager["page"] as? Int == 2 && pager["pages"] as? Int == 3)
        #expect(pager["previous"] as? String == "/console/questions?ip_type=trade%20mark%26x&urgent_first=true&page=0")
        #expect(pager["next"] as? String == "/console/questions?ip_type=trade%20mark%26x&urgent_first=true&page=2")
        #expect(ConsoleQuestionPages.filled(["ip_type": "", "status": "queued"]).count == 1)
    }
}
