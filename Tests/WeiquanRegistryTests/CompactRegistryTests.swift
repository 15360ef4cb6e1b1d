import Foundation
import Testing
import WeiquanCore
@testable import WeiquanRegistry

@Suite struct CompactRegistryTests {
    static func registry(_ lines: [String]) throws -> CompactRegistry {
        let (report, batch) = try Fixtures.read(Fixtures.csv(lines), file: "test.csv")
        #expect(report.rowsRefused == 0, "\(report.refusals)")
        return CompactRegistry(batch: batch)
    }

    @Test(arguments: [
        "201310268509.X", "ZL201310268509.X", "ZL 2013 1 0268509.X", "CN201310268509X", "2013 1026 8509.X",
        "２０１３１０２６８５０９．Ｘ", "201310268509。x", "专利号：201310268509.X",
    ])
    func aPatentIsFoundByAnyWrittenForm(_ written: String) throws {
        let (_, batch) = try Fixtures.read("cnipa-bulk.csv")
        let record = try #require(CompactRegistry(batch: batch).record(written: written, today: Fixtures.today))
        #expect(record.number == "201310268509.X")
    }

    @Test func oldEightDigitNumbersAndTrademarkFormsAreFound() throws {
        let registry = try Self.registry([
            "申请号,申请日,法律状态公告日,法律状态", "02139508.X,2002-11-19,2022-11-19,专利权有效期届满",
        ])
        #expect(registry.record(written: "ZL 02139508.X", today: Fixtures.today)?.bucket == .expired)
        #expect(registry.record(written: "02139508x", today: Fixtures.today)?.number == "02139508.X")
        #expect(registry.record(written: "02139508.3", today: Fixtures.today) == nil)
    }

    @Test func aNumberNotHeldIsNotFound() throws {
        let (_, batch) = try Fixtures.read("cnipa-bulk.csv")
        let registry = CompactRegistry(batch: batch)
        #expect(registry.record(written: "201710632104.8", today: Fixtures.today) != nil)
        #expect(registry.record(written: "202110685031.5", today: Fixtures.today) == nil)
        #expect(registry.record(kind: .patent, number: "not a number", today: Fixtures.today) == nil)
        #expect(CompactRegistry().record(written: "201310268509.X", today: Fixtures.today) == nil)
    }

    @Test func theWorkedExampleReadsAsInForceAndTransferred() throws {
        // legal-status.md §4: filed 2013-06-29, granted 2016-05-04.
        let (_, batch) = try Fixtures.read("cnipa-bulk.csv")
        let record = try #require(
            CompactRegistry(batch: batch).record(written: "201310268509.X", today: Fixtures.today))
        #expect(record.bucket == .inForce)
        #expect(record.officialWording == "授权")
        #expect(record.date == "2013-06-29")
        #expect(record.dataDate == "2026-11-01")
        #expect(record.overlays == [.transferred])
        #expect(record.title == "（演示）车辆锁控方法")
    }

    @Test func aTransferCountsFromItsEffectiveDay() throws {
        let registry = try Self.registry([
            "申请号,法律状态公告日,法律状态,生效日", "201310268509.X,2016-05-04,授权,",
            "201310268509.X,2026-11-20,专利权的转移,2026-12-15",
        ])
        let before = try #require(registry.record(written: "201310268509.X", today: Fixtures.today))
        #expect(before.overlays.isEmpty)
        let after = CalendarDay(year: 2026, month: 12, day: 15)!
        #expect(registry.record(written: "201310268509.X", today: after)?.overlays == [.transferred])
    }

    @Test func aFeeLapseEndsFromTheUnpaidFeesDueDateAndMayBeRestoredUntilTheWindowCloses() throws {
        let (_, batch) = try Fixtures.read("cnipa-bulk.csv")
        let registry = CompactRegistry(batch: batch)
        let record = try #require(registry.record(written: "201410117875.X", today: Fixtures.today))
        #expect(record.bucket == .restorable)
        #expect(record.officialWording == "未缴年费专利权终止,等恢复")
        // Announced 2026-10-23: the year-13 fee (due 2026-03-26, grace to 2026-09-26) was not paid.
        #expect(record.lapsedFrom == "2026-03-26")
        // Presumed received 15 days after 2026-10-23, then two months.
        #expect(record.restorationEnds == "2027-01-07")
        let late = CalendarDay(year: 2027, month: 1, day: 8)!
        #expect(registry.record(written: "201410117875.X", today: late)?.restorationEnds == nil)
    }

    @Test func aRestorationUndoesTheLapse() throws {
        let registry = try Self.registry([
            "申请号,申请日,法律状态公告日,法律状态,事务代码", "201410117875.X,2014-03-26,2017-08-25,授权,GR01",
            "201410117875.X,2014-03-26,2026-10-23,未缴年费专利权终止,CF01",
            "201410117875.X,2014-03-26,2026-11-20,权利的恢复,RR01",
        ])
        let record = try #require(registry.record(written: "201410117875.X", today: Fixtures.today))
        #expect(record.bucket == .inForce)
        #expect(record.lapsedFrom == nil)
    }

    @Test func aRejectionIsAppealableForThreeMonthsFromItsAnnouncement() throws {
        let registry = try Self.registry([
            "申请号,法律状态公告日,法律状态", "202110685031.5,2022-01-04,发明专利申请公布",
            "202110685031.5,2026-10-14,发明专利申请公布后的驳回",
        ])
        let record = try #require(registry.record(written: "202110685031.5", today: Fixtures.today))
        #expect(record.bucket == .rejected)
        #expect(record.appealEnds == "2027-01-14")
        let late = CalendarDay(year: 2027, month: 1, day: 15)!
        #expect(registry.record(written: "202110685031.5", today: late)?.appealEnds == nil)
    }

    @Test func onlyInformationalEventsDecideNothing() throws {
        let registry = try Self.registry([
            "申请号,法律状态公告日,法律状态,事务代码", "201110446866.1,2020-03-03,著录事项变更,CB03",
        ])
        #expect(registry.record(written: "201110446866.1", today: Fixtures.today) == nil)
    }

    @Test func theSameEventImportedTwiceIsKeptOnce() throws {
        let lines = ["申请号,法律状态公告日,法律状态", "201310268509.X,2016-05-04,授权"]
        let (_, batch) = try Fixtures.read(Fixtures.csv(lines + [lines[1], lines[1]]), file: "twice.csv")
        #expect(batch.eventAnnounced.count == 1)
        let (_, once) = try Fixtures.read(Fixtures.csv(lines), file: "once.csv")
        #expect(batch.patents.keys == once.patents.keys)
        #expect(batch.eventAnnounced == once.eventAnnounced)
    }

    @Test func mergedSourcesUniteEventsAndTakeFactsFromTheLatestData() throws {
        let (_, older) = try Fixtures.read(
            Fixtures.csv([
                "申请号,标题,法律状态公告日,法律状态", "201310268509.X,旧名称,2013-10-16,发明专利申请公布",
                "201310268509.X,旧名称,2016-05-04,授权",
            ]), file: "older.csv", asOf: CalendarDay(year: 2026, month: 1, day: 1))
        let (_, newer) = try Fixtures.read(
            Fixtures.csv([
                "申请号,标题,法律状态公告日,法律状态", "201310268509.X,新名称,2016-05-04,授权",
                "201310268509.X,,2026-10-23,专利权的主动放弃",
            ]), file: "newer.csv", asOf: CalendarDay(year: 2026, month: 11, day: 1))
        for order in [[older, newer], [newer, older]] {
            let registry = RegistryLoader.merge(order)
            let record = try #require(registry.record(written: "201310268509.X", today: Fixtures.today))
            #expect(record.bucket == .withdrawn)
            #expect(record.title == "新名称")
            #expect(record.dataDate == "2026-11-01")
            #expect(
                registry.events(of: PatentApplicationNumber(body: "201310268509", checkCharacter: "X")!)?.count == 3)
        }
    }

    @Test func theKeyOfEveryNumberFormGivesTheNumberBack() throws {
        for text in ["201310268509.X", "02139508.X", "98812942.6", "200410053749.9"] {
            guard case .valid(let number) = PatentNumberParser.parse(text, currentYear: 2026) else {
                Issue.record("\(text) did not parse")
                continue
            }
            #expect(RegistryKey.patentNumber(RegistryKey.patent(number)) == number)
        }
        for text in ["12345678", "G1234567", "16435657A", "1328994", "0012345", "1234567AB"] {
            let number = try #require(TrademarkNumberParser.parse(text))
            #expect(RegistryKey.trademarkNumber(RegistryKey.trademark(number)) == number)
        }
    }

    @Test func aTrademarkIsDerivedFromItsFlowRows() throws {
        let (_, batch) = try Fixtures.read("trademark-flow.csv")
        let registry = CompactRegistry(batch: batch)
        let record = try #require(registry.record(written: "第12345678号", today: Fixtures.today))
        #expect(record.bucket == .trademarkRegistered)
        #expect(record.kind == .trademark)
        #expect(record.date == "2019-10-28")
        #expect(record.renewals == 0)
        #expect(record.officialWording == "商标注册申请 注册公告 结束")
        #expect(record.holder == "（演示）青山食品有限公司")
        // In the renewal window from 2028-10-28 (expiry 2029-10-27).
        let window = CalendarDay(year: 2028, month: 10, day: 28)!
        #expect(registry.record(kind: .trademark, number: "12345678", today: window)?.bucket == .trademarkRenewalWindow)
    }

    @Test func aTrademarkRefusalIsAppealableAndUnknownFlowWordingIsRefused() throws {
        let (report, batch) = try Fixtures.read(
            Fixtures.csv([
                "注册号,业务名称,环节名称,结论,日期", "23456789,商标注册申请,申请收文,,2026-06-01",
                "23456789,商标注册申请,驳回通知发文,,2026-11-20", "23456789,神秘业务,某环节,,2026-11-21",
            ]), file: "refused.csv")
        #expect(report.refusals.map(\.line) == [4])
        let record = try #require(CompactRegistry(batch: batch).record(written: "23456789", today: Fixtures.today))
        #expect(record.bucket == .trademarkRefused)
        #expect(record.appealEnds == "2026-12-05")
    }

    @Test func periodsEndingOnRestDaysMoveWithTheCentresCalendar() throws {
        // Rejected 2026-07-04: three months end on Sunday 2026-10-04, inside the National Day holiday.
        let lines = [
            "申请号,法律状态公告日,法律状态", "202110685031.5,2022-01-04,发明专利申请公布",
            "202110685031.5,2026-07-04,发明专利申请公布后的驳回",
        ]
        let (_, batch) = try Fixtures.read(Fixtures.csv(lines), file: "rejected.csv")
        let day = { (text: String) in CalendarDay(text)! }
        let holidays = HolidayCalendar(
            holidays: Set(["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"].map(day)),
            workingDays: [day("2026-10-10")])
        let today = day("2026-09-30")
        #expect(
            CompactRegistry(batch: batch).record(written: "202110685031.5", today: today)?.appealEnds == "2026-10-04")
        let shifted = CompactRegistry(batch: batch, calendar: holidays)
        #expect(shifted.record(written: "202110685031.5", today: today)?.appealEnds == "2026-10-08")
    }
}
