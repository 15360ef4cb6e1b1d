import Foundation
import Testing
import WeiquanCore
@testable import WeiquanRegistry

@Suite struct RegistryImporterTests {
    @Test func theReportSaysWhatEveryRowGaveWithLineAndReason() throws {
        let (report, batch) = try Fixtures.read("cnipa-bulk.csv")
        #expect(report.encoding == .utf8)
        #expect(report.rowsRead == 11)
        #expect(report.rowsImported == 8)
        #expect(report.rowsRefused == 3)
        #expect(
            report.refusals == [
                .init(
                    line: 9,
                    reason: "'201410041011.5' is not a valid application number: bad check digit 5 (the digits give 4)"),
                .init(line: 10, reason: "unreadable announcement day (法律状态公告日) '2017/13/45'"),
                .init(
                    line: 11,
                    reason:
                        "unknown event wording '神秘的新事务': not imported; tell the developers so the vocabulary can learn it"
                ),
            ])
        #expect(report.unknownColumns == ["来源批次"])
        #expect(report.ignoredColumns == ["授权公告号"])
        #expect(report.patents == 3)
        #expect(report.events == 8)
        #expect(batch.patentCount == 3)
        #expect(batch.eventAnnounced.count == 8)
    }

    @Test func aGBKFileGivesWhatItsUTF8TwinGives() throws {
        let (utf8Report, utf8Batch) = try Fixtures.read("cnipa-bulk.csv")
        let (gbkReport, gbkBatch) = try Fixtures.read("cnipa-bulk-gbk.csv")
        // The GBK file really is GBK: it is not valid UTF-8.
        #expect(String(validating: try Fixtures.bytes("cnipa-bulk-gbk.csv"), as: UTF8.self) == nil)
        #expect(gbkReport.encoding == .gbk)
        #expect(gbkReport.refusals == utf8Report.refusals)
        #expect(gbkBatch == utf8Batch)
    }

    @Test func aByteOrderMarkIsDropped() throws {
        let bytes = [0xEF, 0xBB, 0xBF] + Fixtures.csv(["申请号,法律状态公告日,法律状态", "201310268509.X,2016-05-04,授权"])
        let (report, batch) = try Fixtures.read(bytes, file: "bom.csv")
        #expect(report.unknownColumns.isEmpty)
        #expect(report.rowsImported == 1)
        #expect(batch.patentCount == 1)
    }

    @Test func bytesThatAreNeitherUTF8NorGBKAreRefusedWhole() {
        let bytes: [UInt8] = Array("申请号,法律状态\n".utf8) + [0x80, 0xFF, 0xFE, 0x0A]
        #expect(throws: RegistryImportError.self) { try Fixtures.read(bytes, file: "broken.csv") }
    }

    @Test func incoPatAndPatSnapColumnNamesAreRecognised() throws {
        let bytes = Fixtures.csv([
            "公开(公告)号,申请号,申请日,专利类型,当前申请(专利权)人,当前法律状态,法律状态公告日,法律事件,简单法律状态",
            "CN1,CN201310268509X,2013-06-29,发明,（演示）甲公司,有效,2016.05.04,授权,有效",
        ])
        let (report, batch) = try Fixtures.read(bytes, file: "incopat.csv")
        #expect(report.unknownColumns.isEmpty)
        #expect(report.ignoredColumns == ["公开(公告)号", "专利类型", "当前法律状态", "简单法律状态"])
        #expect(report.rowsImported == 1)
        let registry = CompactRegistry(batch: batch)
        let record = try #require(registry.record(written: "201310268509.X", today: Fixtures.today))
        #expect(record.holder == "（演示）甲公司")
        #expect(record.bucket == .inForce)
    }

    @Test func quotedFieldsKeepSeparatorsQuotesAndLineBreaks() throws {
        let bytes = Array(
            "申请号,法律状态公告日,法律状态,法律状态信息\r\n201310268509.X,2016-05-04,授权,\"一行,\r\n又一行 \"\"引号\"\"\"\r\n"
                .utf8)
        let (report, batch) = try Fixtures.read(bytes, file: "quoted.csv")
        #expect(report.rowsImported == 1)
        #expect(batch.pool.string(batch.eventInfo[0]) == "一行,\r\n又一行 \"引号\"")
    }

    @Test func aTabSeparatedFileIsRead() throws {
        let bytes = Fixtures.csv(["申请号\t法律状态公告日\t法律状态", "201310268509.X\t2016-05-04\t授权"])
        let (report, _) = try Fixtures.read(bytes, file: "tabs.tsv")
        #expect(report.rowsImported == 1)
    }

    @Test func aFileWithoutANumberColumnIsRefusedWhole() {
        let bytes = Fixtures.csv(["标题,法律状态", "x,授权"])
        #expect(throws: RegistryImportError.self) { try Fixtures.read(bytes, file: "nonumber.csv") }
    }

    @Test func aFileWithoutAnAsOfDayIsRefusedUnlessItsRowsCarryOne() throws {
        let plain = Fixtures.csv(["申请号,法律状态公告日,法律状态", "201310268509.X,2016-05-04,授权"])
        #expect(throws: RegistryImportError.self) { try Fixtures.read(plain, file: "a.csv", asOf: nil) }
        let dated = Fixtures.csv([
            "申请号,法律状态公告日,法律状态,数据日期", "201310268509.X,2016-05-04,授权,2026-10-15",
            "201410117875.X,2017-08-25,授权,",
        ])
        let (report, batch) = try Fixtures.read(dated, file: "b.csv", asOf: nil)
        #expect(report.rowsImported == 1)
        #expect(report.refusals == [.init(line: 3, reason: "no as-of day (数据日期) in this row")])
        #expect(batch.patents.asOf == [Int32(CalendarDay(year: 2026, month: 10, day: 15)!.dayNumber)])
    }

    @Test func exportNumbersWithoutCheckCharacterGetItComputed() throws {
        let bytes = Fixtures.csv(["申请号,法律状态公告日,法律状态", "CN201310268509,2016-05-04,授权"])
        let (report, batch) = try Fixtures.read(bytes, file: "nocheck.csv")
        #expect(report.rowsImported == 1)
        #expect(CompactRegistry(batch: batch).record(written: "201310268509.X", today: Fixtures.today) != nil)
    }

    @Test(arguments: ["2016-05-04", "2016.05.04", "2016/5/4", "20160504", "2016年5月4日", "2016-05-04 00:00:00"])
    func exportDateFormsAreRead(_ text: String) {
        #expect(RegistryDate.parse(text) == CalendarDay(year: 2016, month: 5, day: 4))
    }

    @Test(arguments: ["2016-02-30", "2016-13-01", "16-05-04", "2016-05", "昨天", "201605041"])
    func impossibleOrUnreadableDatesAreNot(_ text: String) {
        #expect(RegistryDate.parse(text) == nil)
    }

    @Test func jsonLinesNestEventsAndReportUnknownKeys() throws {
        let (report, batch) = try Fixtures.read("patents.jsonl")
        #expect(report.format == "jsonl")
        #expect(report.rowsRead == 3)
        #expect(report.rowsImported == 3)
        #expect(report.unknownColumns == ["备注"])
        let registry = CompactRegistry(batch: batch)
        let pledged = try #require(registry.record(written: "201822024938.3", today: Fixtures.today))
        #expect(pledged.overlays == [.pledged])
        #expect(pledged.bucket == .inForce)
        #expect(registry.record(written: "200410053749.9", today: Fixtures.today)?.bucket == .expired)
    }

    @Test func jsonRecordsWithEnglishColumnNamesAndNumbersAsNumbers() throws {
        let (report, batch) = try Fixtures.read("records.json")
        #expect(report.rowsImported == 3)
        #expect(report.unknownColumns.isEmpty)
        let registry = CompactRegistry(batch: batch)
        #expect(registry.record(written: "200710086961.9", today: Fixtures.today)?.bucket == .rejected)
        #expect(registry.record(written: "201910776137.9", today: Fixtures.today)?.bucket == .pending)
    }

    @Test func brokenJSONIsRefusedWhole() {
        #expect(throws: RegistryImportError.self) { try Fixtures.read(Array("[{\"申请号\": ".utf8), file: "x.json") }
        #expect(throws: RegistryImportError.self) { try Fixtures.read(Array("{\"a\": 1}".utf8), file: "x.json") }
        #expect(throws: RegistryImportError.self) { try Fixtures.read(Array("[1, 2]".utf8), file: "x.json") }
        #expect(throws: RegistryImportError.self) { try Fixtures.read(Array("{}\n[1]\n".utf8), file: "x.jsonl") }
    }

    @Test func trademarkFlowRowsAreKeptWithTheirNumbersInAnyForm() throws {
        let (report, batch) = try Fixtures.read("trademark-flow.csv")
        #expect(report.trademarks == 2)
        #expect(report.flowRows == 4)
        let registry = CompactRegistry(batch: batch)
        let number = try #require(TrademarkNumberParser.parse("12345678"))
        let rows = try #require(registry.flowRows(of: number))
        #expect(rows.map(\.step) == ["申请收文", "受理通知书发文", "注册公告"])
        let madrid = try #require(TrademarkNumberParser.parse("g1234567"))
        #expect(registry.flowRows(of: madrid)?.count == 1)
    }

    @Test func aBadTrademarkNumberIsRefused() throws {
        let bytes = Fixtures.csv(["注册号,业务名称,环节名称,日期", "123456789012,商标注册申请,申请收文,2018-03-01"])
        let (report, _) = try Fixtures.read(bytes, file: "tm.csv")
        #expect(report.rowsRefused == 1)
        #expect(report.refusals.first?.line == 2)
    }

    @Test func reportsKeepTheFirstThousandRefusalsAndCountAll() throws {
        var lines = ["申请号,法律状态公告日,法律状态"]
        for _ in 0..<1_005 { lines.append("201410041011.5,2015-01-07,公开") }
        let (report, _) = try Fixtures.read(Fixtures.csv(lines), file: "many.csv")
        #expect(report.rowsRefused == 1_005)
        #expect(report.refusals.count == RegistryImportReport.refusalsKept)
    }
}
