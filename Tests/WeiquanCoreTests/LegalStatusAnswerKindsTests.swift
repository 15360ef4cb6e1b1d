import Foundation
import Testing
import WeiquanFiles

@testable import WeiquanCore

/// What a legal-status answer says beyond the status and the term (issue 14, legal-status.md §2–3): each overlay in
/// one line, a rejection's re-examination period, a fee lapse from the fee's due date with its restoration window and
/// cost (never a reduced amount), a trademark's expiry with its registered renewals and where its renewal stands —
/// and nothing of a date the record does not give.
@Suite struct LegalStatusAnswerKindsTests {
    static func reply(_ record: LegalStatusRecord, asking: String? = nil, today: String = "2026-11-21") throws
        -> String
    {
        var dialogue = try LegalStatusDatesAnswerTests.dialogue([record], today: today)
        return dialogue.say(asking ?? record.number)
    }

    static func patent(
        _ bucket: LegalStatusBucket, overlays: [LegalStatusOverlay] = [], appealEnds: String? = nil,
        lapsedFrom: String? = nil, restorationEnds: String? = nil
    ) -> LegalStatusRecord {
        LegalStatusRecord(
            number: "201310268509.X", kind: .patent, bucket: bucket, officialWording: "（测试）", date: "2013-06-29",
            dataDate: "2026-11-01", overlays: overlays, appealEnds: appealEnds, lapsedFrom: lapsedFrom,
            restorationEnds: restorationEnds)
    }

    static func trademark(_ bucket: LegalStatusBucket, registered: String?, renewals: Int? = nil) -> LegalStatusRecord {
        LegalStatusRecord(
            number: "16435657", kind: .trademark, bucket: bucket, officialWording: "注册证发文", date: registered,
            dataDate: "2026-11-01", renewals: renewals)
    }

    @Test(arguments: LegalStatusOverlay.allCases)
    func eachOverlayGetsItsOwnLine(_ overlay: LegalStatusOverlay) throws {
        let reply = try Self.reply(Self.patent(.inForce, overlays: [overlay]))
        let line = TestBot.replies.render("status.overlay.\(overlay.rawValue)")
        #expect(reply.contains(line), "\(reply)")
        for other in LegalStatusOverlay.allCases where other != overlay {
            #expect(!reply.contains(TestBot.replies.render("status.overlay.\(other.rawValue)")))
        }
        // Before the official channels, which always close the facts.
        let disclaimer = TestBot.replies.render("status.disclaimer")
        #expect(reply.range(of: line)!.lowerBound < reply.range(of: disclaimer)!.lowerBound)
    }

    @Test func aRejectionSaysUntilWhenReExaminationMayBeRequested() throws {
        let open = try Self.reply(Self.patent(.rejected, appealEnds: "2027-01-20"))
        #expect(open.contains("可在 2027 年 1 月 20 日前向国家知识产权局请求复审"), "\(open)")
        let passed = try Self.reply(Self.patent(.rejected, appealEnds: "2027-01-20"), today: "2027-01-21")
        #expect(passed.contains("已于 2027 年 1 月 20 日届满"), "\(passed)")
        #expect(!passed.contains("前向国家知识产权局请求复审"))
        // No date in the record: none claimed.
        #expect(!(try Self.reply(Self.patent(.rejected))).contains("请求复审（"))
    }

    @Test func aRefusedTrademarkSaysItsFifteenDays() throws {
        var record = Self.trademark(.trademarkRefused, registered: nil)
        record.appealEnds = "2026-12-03"
        let reply = try Self.reply(record, asking: "商标第16435657号")
        #expect(reply.contains("可在 2026 年 12 月 3 日前向国家知识产权局申请驳回复审"), "\(reply)")
    }

    @Test func aFeeLapseSaysFromWhenAndTheRestorationWindowAtFullCost() throws {
        let record = Self.patent(.restorable, lapsedFrom: "2025-06-29", restorationEnds: "2027-01-10")
        let reply = try Self.reply(record)
        #expect(reply.contains("自该年费的缴费日 2025 年 6 月 29 日起终止"), "\(reply)")
        #expect(reply.contains("几个月后才公告"))
        #expect(reply.contains("期限至 2027 年 1 月 10 日"))
        #expect(reply.contains("补缴所欠年费和滞纳金"))
        #expect(reply.contains("恢复权利请求费 1000 元（未计费减）"))
        // Time matters: a person is offered, and no reminder.
        #expect(reply.contains(TestBot.replies.render("status.urgent")))

        let late = try Self.reply(record, today: "2027-01-11")
        #expect(late.contains("请求恢复权利的期限已于 2027 年 1 月 10 日届满"), "\(late)")
        #expect(!late.contains("目前仍可请求恢复"))
    }

    @Test func aLapseWithoutARestorationWindowClaimsNone() throws {
        let reply = try Self.reply(Self.patent(.lapsedUnpaidFees, lapsedFrom: "2025-06-29"))
        #expect(reply.contains("2025 年 6 月 29 日起终止"))
        #expect(!reply.contains("恢复"), "\(reply)")
    }

    @Test func renewalsCountInATrademarksExpiry() throws {
        let reply = try Self.reply(
            Self.trademark(.trademarkRegistered, registered: "2016-04-14", renewals: 1), asking: "商标第16435657号")
        #expect(reply.contains("已登记的 1 次续展"), "\(reply)")
        #expect(reply.contains("本期有效期至 2036 年 4 月 13 日"))
        #expect(reply.contains("可在 2035 年 4 月 14 日起申请续展"))
        #expect(reply.contains("宽展期至 2036 年 10 月 13 日"))
        // Without the renewal the same registration has run out with its grace: no date is claimed.
        let unrenewed = try Self.reply(
            Self.trademark(.trademarkRegistered, registered: "2016-04-14"), asking: "商标第16435657号")
        #expect(!unrenewed.contains("本期有效期至"), "\(unrenewed)")
    }

    @Test func aTrademarkInItsWindowOrGraceSaysWhatToDo() throws {
        let record = Self.trademark(.trademarkRenewalWindow, registered: "2017-02-21")
        let window = try Self.reply(record, asking: "商标第16435657号")
        #expect(window.contains("现在已可以申请续展，请在 2027 年 2 月 20 日前办理"), "\(window)")
        let grace = try Self.reply(record, asking: "商标第16435657号", today: "2027-03-01")
        #expect(grace.contains("目前处于宽展期：须在 2027 年 8 月 20 日前办理续展"), "\(grace)")
        #expect(!grace.contains("现在已可以申请续展"))
    }

    @Test func aTrademarkNotInForceGetsNoDates() throws {
        let reply = try Self.reply(
            Self.trademark(.trademarkNotInForce, registered: "2012-05-14"), asking: "商标第16435657号")
        #expect(reply.contains(TestBot.replies.render("status.note.trademark_not_in_force")))
        #expect(!reply.contains("有效期至"))
        #expect(!reply.contains("提醒"))
    }

    @Test func anInvalidatedPatentIsVoidFromTheStart() throws {
        let reply = try Self.reply(Self.patent(.invalidated))
        #expect(reply.contains("视为自始即不存在"))
        #expect(!reply.contains("下一期年费"))
        #expect(reply.contains(TestBot.replies.render("status.disclaimer")))
    }
}
