import Foundation
import Testing
import WeiquanFiles

@testable import WeiquanCore

/// The dates a legal-status answer computes from the registry's filing or registration date (issue 14): the last
/// day of a patent's term, the next annual fee, a fee in its grace period with today's surcharge, a trademark's
/// expiry and renewal window — and nothing when the record has no date or the computed term says it must have been
/// renewed without the record saying so.
@Suite struct LegalStatusDatesAnswerTests {
    static func dialogue(_ records: [LegalStatusRecord], today: String) throws -> Dialogue {
        let data = TestBot.data
        let machine = ConversationMachine(
            understander: MessageUnderstander(
                catalogue: data.catalogue, ipTypes: data.ipTypes, regions: data.configuration.directory.regions),
            catalogue: data.catalogue, replies: data.replies, configuration: data.configuration,
            registry: InMemoryLegalStatusRegistry(records: records))
        var dialogue = Dialogue(machine: machine)
        // Noon in Shanghai on `today`.
        let day = try #require(CalendarDay(today))
        dialogue.now = Date(timeIntervalSince1970: TimeInterval(day.dayNumber * 86_400 + 4 * 3600))
        return dialogue
    }

    static func patent(_ number: String, bucket: LegalStatusBucket, filed: String?) -> LegalStatusRecord {
        LegalStatusRecord(
            number: number, kind: .patent, bucket: bucket, officialWording: "专利权维持", date: filed,
            dataDate: "2026-11-01")
    }

    @Test func anInForcePatentGetsItsLastDayAndItsNextFee() throws {
        var dialogue = try Self.dialogue(
            [Self.patent("201310268509.X", bucket: .inForce, filed: "2013-06-29")], today: "2016-05-04")
        let reply = dialogue.say("201310268509.X")
        // legal-status.md §4: the worked example.
        #expect(reply.contains("最后一日为 2033 年 6 月 28 日"))
        #expect(reply.contains("第 4 年，1200 元"))
        #expect(reply.contains("应在 2016 年 6 月 29 日前缴纳"))
        #expect(reply.contains("2016 年 12 月 29 日前补缴"))
    }

    @Test func aFeeInItsGracePeriodSaysTodaysSurcharge() throws {
        // 2027-03-01: the grace's last day moved past Sunday 2027-02-28, so the fee may still be paid, at 25 %.
        for (today, percent, surcharge) in [
            ("2026-09-20", 0, 0), ("2026-10-20", 5, 60), ("2027-01-15", 20, 240), ("2027-03-01", 25, 300),
        ] {
            var dialogue = try Self.dialogue(
                [Self.patent("201310268509.X", bucket: .inForceFeeDue, filed: "2023-08-31")], today: today)
            let reply = dialogue.say("201310268509.X")
            #expect(reply.contains("第 4 年年费 1200 元的缴费日 2026 年 8 月 31 日已过"), "\(today)")
            // The grace ends on Sunday 2027-02-28 and moves to the next working day (Rule 5).
            #expect(reply.contains("须在 2027 年 3 月 1 日前补缴"), "\(today)")
            #expect(reply.contains("滞纳金 \(surcharge) 元（\(percent)%）"), "\(today): \(reply)")
        }
    }

    @Test func aDesignFiledBeforeJune2021KeepsTenYears() throws {
        var dialogue = try Self.dialogue(
            [Self.patent("201430238126.3", bucket: .inForce, filed: "2014-08-20")], today: "2020-01-01")
        #expect(dialogue.say("201430238126.3").contains("保护期 10 年，最后一日为 2024 年 8 月 19 日"))
    }

    @Test func withoutAFilingDateNoDatesAreClaimed() throws {
        var dialogue = try Self.dialogue(
            [Self.patent("201310268509.X", bucket: .inForce, filed: nil)], today: "2026-11-21")
        let reply = dialogue.say("201310268509.X")
        #expect(!reply.contains("最后一日"))
        #expect(!reply.contains("下一期年费"))
    }

    @Test func aRegisteredTrademarkGetsItsExpiryAndRenewalWindow() throws {
        let record = LegalStatusRecord(
            number: "16435657", kind: .trademark, bucket: .trademarkRegistered, officialWording: "注册证发文",
            date: "2019-10-28", dataDate: "2026-11-01")
        var dialogue = try Self.dialogue([record], today: "2026-11-21")
        let reply = dialogue.say("商标第16435657号")
        #expect(reply.contains("本期有效期至 2029 年 10 月 27 日"), "\(reply)")
        #expect(reply.contains("可在 2028 年 10 月 28 日起申请续展"), "\(reply)")
        // The grace ends on Saturday 2030-04-27 and moves to Monday; the expiry itself never moves.
        #expect(reply.contains("宽展期至 2030 年 4 月 29 日"), "\(reply)")

        // Registered more than a term ago and still registered: renewed, which the record does not say.
        var later = try Self.dialogue([record], today: "2031-01-01")
        #expect(!later.say("商标第16435657号").contains("本期有效期至"))
    }

    @Test func dataOlderThanTheConfiguredDaysIsFlagged() throws {
        let record = Self.patent("201310268509.X", bucket: .inForce, filed: "2013-06-29")
        for (today, stale) in [("2026-12-31", false), ("2027-01-01", true), ("2027-06-01", true)] {
            var dialogue = try Self.dialogue([record], today: today)
            let reply = dialogue.say("201310268509.X")
            #expect(reply.contains("数据截至 2026-11-01") == stale, "\(today)")
            #expect(reply.contains("数据日期：2026-11-01"), "the as-of date is always given")
        }
    }
}
