import Foundation
import Testing
@testable import WeiquanCore

@Suite struct CaseIDTests {
    @Test(arguments: [
        "WQ202611210007", "wq202611210007", "WQ-20261121-0007", "WQ 20261121 0007", " ｗｑ２０２６１１２１０００７ ",
        "Wq-202611210007",
    ])
    func parses(text: String) {
        #expect(CaseID(parsing: text)?.rawValue == "WQ202611210007")
    }

    @Test(arguments: [
        "", "WQ20261121007", "WQ2026112100070", "QW202611210007", "WQ202613210007", "WQ202602300007",
        "WQ202502290001", "WQ--20261121-0007", "WQ202611210007x", "案件WQ202611210007", "WQ 2026 1121 0007",
        // A wider sequence has no leading zero, and at most 9 digits.
        "WQ2026112100007", "WQ-20261121-01000", "WQ20261121000010000", "WQ202611211000000000",
        "WQ2026112110000x", "WQ20261121 1 0000",
    ])
    func rejects(text: String) {
        #expect(CaseID(parsing: text) == nil)
    }

    @Test func makesCanonicalIDs() {
        let id = CaseID.make(year: 2026, month: 11, day: 21, sequence: 7)
        #expect(id.rawValue == "WQ202611210007")
        #expect(id.description == "WQ202611210007")
        #expect(id == CaseID(year: 2026, month: 11, day: 21, sequence: 7))
        #expect(id.year == 2026)
        #expect(id.month == 11)
        #expect(id.day == 21)
        #expect(id.sequence == 7)
        #expect(CaseID.make(year: 2024, month: 2, day: 29, sequence: 9999).rawValue == "WQ202402299999")
    }

    @Test func theSequenceWidensPastTheDaysNineThousandNineHundredNinetyNinthCase() throws {
        let ids = try [9999, 10_000, 10_001].map { try #require(CaseID(year: 2026, month: 11, day: 21, sequence: $0)) }
        #expect(ids.map(\.rawValue) == ["WQ202611219999", "WQ2026112110000", "WQ2026112110001"])
        #expect(ids.map(\.sequence) == [9999, 10_000, 10_001])
        #expect(ids.map(\.day) == [21, 21, 21])
        #expect(Set(ids).count == 3)
        for id in ids {
            #expect(CaseID(rawValue: id.rawValue) == id)
            #expect(CaseID(parsing: id.rawValue) == id)
            #expect(CaseID.make(year: 2026, month: 11, day: 21, sequence: id.sequence) == id)
        }
        #expect(CaseID(parsing: "wq-20261121-10000") == ids[1])
        #expect(CaseID(parsing: "ＷＱ ２０２６１１２１ １０００１") == ids[2])
        let widest = CaseID.make(year: 2026, month: 11, day: 21, sequence: CaseID.maximumSequence)
        #expect(widest.rawValue == "WQ20261121999999999")
        #expect(CaseID(rawValue: widest.rawValue) == widest)
        #expect(widest.sequence == CaseID.maximumSequence)
    }

    @Test func idsOrderByDateThenSequenceWhateverTheirWidth() throws {
        let texts = [
            "WQ202611200001", "WQ202611210001", "WQ202611210999", "WQ202611212000", "WQ202611219999",
            "WQ2026112110000", "WQ2026112110001", "WQ2026112199999", "WQ20261121100000", "WQ202611220001",
        ]
        let ids = try texts.map { try #require(CaseID(rawValue: $0)) }
        #expect(ids.reversed().sorted() == ids)
        #expect([ids[5], ids[2], ids[9], ids[4], ids[0], ids[7], ids[1], ids[8], ids[3], ids[6]].sorted() == ids)
        #expect(ids[4] < ids[5])
        #expect(!(ids[5] < ids[4]))
        #expect(!(ids[5] < ids[5]))
        // As strings the widths interleave; that is why ids compare as ids.
        #expect(texts.sorted() != texts)
    }

    @Test func aDateOrSequenceAnIDCannotCarryIsRefusedOrClamped() {
        #expect(CaseID(year: 2026, month: 2, day: 30, sequence: 1) == nil)
        #expect(CaseID(year: 2026, month: 13, day: 1, sequence: 1) == nil)
        #expect(CaseID(year: 2026, month: 0, day: 1, sequence: 1) == nil)
        #expect(CaseID(year: 2026, month: 11, day: 0, sequence: 1) == nil)
        #expect(CaseID(year: 1999, month: 12, day: 31, sequence: 1) == nil)
        #expect(CaseID(year: 3000, month: 1, day: 1, sequence: 1) == nil)
        #expect(CaseID(year: 2026, month: 11, day: 21, sequence: -1) == nil)
        #expect(CaseID(year: 2026, month: 11, day: 21, sequence: CaseID.maximumSequence + 1) == nil)
        // `make` never traps: it clamps, and what it makes is a valid id.
        let clamped = [
            (CaseID.make(year: 2026, month: 2, day: 30, sequence: 1), "WQ202602280001"),
            (CaseID.make(year: 2024, month: 2, day: 31, sequence: 1), "WQ202402290001"),
            (CaseID.make(year: 2026, month: 13, day: 1, sequence: 1), "WQ202612010001"),
            (CaseID.make(year: 2026, month: 0, day: 0, sequence: 1), "WQ202601010001"),
            (CaseID.make(year: 1970, month: 1, day: 1, sequence: 3), "WQ200001010003"),
            (CaseID.make(year: 0, month: 0, day: 0, sequence: 3), "WQ200001010003"),
            (CaseID.make(year: 3000, month: 6, day: 15, sequence: 12_345), "WQ2999123112345"),
            (CaseID.make(year: 2026, month: 11, day: 21, sequence: -5), "WQ202611210000"),
            (CaseID.make(year: 2026, month: 11, day: 21, sequence: .max), "WQ20261121999999999"),
        ]
        for (id, expected) in clamped {
            #expect(id.rawValue == expected)
            #expect(CaseID(rawValue: id.rawValue) == id)
        }
    }

    /// What the service files with: the day in Shanghai, clamped when the clock is far off, widened past 9,999.
    @Test func theMachineNumbersEveryDayItCanBeGiven() {
        let machine = TestBot.machine
        // 2026-11-21 00:30 in Shanghai is still 2026-11-20 in UTC.
        let shanghaiMorning = Date(timeIntervalSince1970: 1_795_192_200)
        #expect(machine.caseID(filedAt: shanghaiMorning, sequence: 7) == "WQ202611210007")
        #expect(machine.caseID(filedAt: shanghaiMorning, sequence: 10_000) == "WQ2026112110000")
        #expect(machine.caseID(filedAt: Date(timeIntervalSince1970: 0), sequence: 2) == "WQ200001010002")
        #expect(machine.caseID(filedAt: Date(timeIntervalSince1970: 40_000_000_000), sequence: 2) == "WQ299912310002")
    }

    @Test func rawValueIsStrict() {
        #expect(CaseID(rawValue: "WQ202611210007") != nil)
        #expect(CaseID(rawValue: "wq202611210007") == nil)
        #expect(CaseID(rawValue: "WQ-20261121-0007") == nil)
        #expect(CaseID(rawValue: "WQ2026112110000") != nil)
        #expect(CaseID(rawValue: "WQ2026112100007") == nil)
        #expect(CaseID(rawValue: "WQ-20261121-10000") == nil)
    }

    @Test func codesAsPlainString() throws {
        let id = CaseID.make(year: 2026, month: 11, day: 21, sequence: 7)
        let data = try JSONEncoder().encode(["id": id])
        #expect(String(decoding: data, as: UTF8.self) == "{\"id\":\"WQ202611210007\"}")
        #expect(try JSONDecoder().decode([String: CaseID].self, from: data) == ["id": id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CaseID].self, from: Data("[\"WQ1\"]".utf8))
        }
        let wide = CaseID.make(year: 2026, month: 11, day: 21, sequence: 10_000)
        let wideData = try JSONEncoder().encode([wide])
        #expect(String(decoding: wideData, as: UTF8.self) == "[\"WQ2026112110000\"]")
        #expect(try JSONDecoder().decode([CaseID].self, from: wideData) == [wide])
    }
}
