import Foundation
import Testing
@testable import WeiquanCore

@Suite struct PatentNumberTests {
    static let validVectors = [
        "91103346.7", "02139508.X", "200420091540.7", "201310268509.X", "201430238126.3", "97101765.4", "00814037.5",
    ]

    @Test(arguments: validVectors)
    func acceptsPublishedVectors(vector: String) throws {
        guard case .valid(let number) = PatentNumberParser.parse(vector, currentYear: 2026) else {
            Issue.record("\(vector) rejected")
            return
        }
        #expect(number.canonical == vector)
        let parts = vector.split(separator: ".")
        #expect(PatentApplicationNumber.checkCharacter(forBody: String(parts[0])) == parts[1].first)
    }

    @Test(arguments: [
        "ZL 2013 1 0268509.X", "CN201310268509。x", "２０１３１０２６８５０９．Ｘ", "201310268509X", "zl201310268509.x",
        "cn 201310268509.X", "ZL2013 10268509.X", "2013 1 0268509 .X", "专利号：ZL201310268509.X", "201310268509.X。",
        "  201310268509.x  ", "ＺＬ２０１３１０２６８５０９．Ｘ", "专利号是201310268509X",
    ])
    func acceptsWrittenForms(text: String) {
        #expect(PatentNumberParser.parse(text, currentYear: 2026) == .valid(Self.number("201310268509", "X")))
    }

    @Test func acceptsOldNumbersWithoutCheckDigit() {
        #expect(PatentNumberParser.parse("88100001", currentYear: 2026) == .valid(Self.number("88100001", nil)))
        #expect(PatentNumberParser.parse("zl85100002", currentYear: 2026) == .valid(Self.number("85100002", nil)))
        guard case .valid(let number) = PatentNumberParser.parse("88100001", currentYear: 2026) else { return }
        #expect(number.canonical == "88100001")
        #expect(number.checkCharacter == nil)
        #expect(number.filingYear == 1988)
    }

    @Test func asksForMissingCheckCharacter() {
        #expect(
            PatentNumberParser.parse("201310268509", currentYear: 2026)
                == .invalid(digits: "201310268509", .missingCheckCharacter(expected: "X")))
        #expect(
            PatentNumberParser.parse("97101765", currentYear: 2026)
                == .invalid(digits: "97101765", .missingCheckCharacter(expected: "4")))
    }

    @Test func rejectsBadNumbers() {
        #expect(
            PatentNumberParser.parse("201340091540.7", currentYear: 2026)
                == .invalid(digits: "201340091540.7", .unknownType("4")))
        #expect(
            PatentNumberParser.parse("201310268509.1", currentYear: 2026)
                == .invalid(digits: "201310268509.1", .wrongCheckCharacter(written: "1", expected: "X")))
        #expect(
            PatentNumberParser.parse("203110268509.1", currentYear: 2026)
                == .invalid(digits: "203110268509.1", .implausibleYear(2031)))
        #expect(
            PatentNumberParser.parse("200110268509.1", currentYear: 2026)
                == .invalid(digits: "200110268509.1", .implausibleYear(2001)))
        #expect(
            PatentNumberParser.parse("50123456.1", currentYear: 2026)
                == .invalid(digits: "50123456.1", .implausibleYear(2050)))
        #expect(
            PatentNumberParser.parse("2013102685.1", currentYear: 2026)
                == .invalid(digits: "2013102685.1", .wrongLength))
        #expect(
            PatentNumberParser.parse("ZL2013102", currentYear: 2026) == .invalid(digits: "2013102", .wrongLength))
        #expect(
            PatentNumberParser.parse("ZL20131026", currentYear: 2026)
                == .invalid(digits: "20131026", .implausibleYear(2020)))
    }

    @Test func rejectsYearAfterCurrentYear() {
        let body = "203110000001"
        let text = body + "." + String(PatentApplicationNumber.checkCharacter(forBody: body))
        #expect(PatentNumberParser.parse(text, currentYear: 2026) == .invalid(digits: text, .implausibleYear(2031)))
        let thisYear = "202610000001"
        let current = thisYear + "." + String(PatentApplicationNumber.checkCharacter(forBody: thisYear))
        #expect(PatentNumberParser.parse(current, currentYear: 2026) == .valid(Self.number(thisYear, current.last)))
    }

    @Test(arguments: ["", "你好", "我想咨询", "1234", "201310268509.xyz", "abc201310268509.X", "2013-10-26"])
    func notAPatentNumber(text: String) {
        #expect(PatentNumberParser.parse(text, currentYear: 2026) == .notAPatentNumber)
    }

    @Test(arguments: validVectors)
    func detectsEverySingleDigitChange(vector: String) {
        let parts = vector.split(separator: ".")
        let body = Array(parts[0])
        for position in body.indices {
            for replacement in "0123456789" where replacement != body[position] {
                var changed = body
                changed[position] = replacement
                let text = String(changed) + "." + parts[1]
                if case .valid = PatentNumberParser.parse(text, currentYear: 2026) {
                    Issue.record("single-digit change accepted: \(text)")
                }
            }
        }
    }

    @Test(arguments: validVectors)
    func detectsEveryAdjacentSwap(vector: String) {
        let parts = vector.split(separator: ".")
        let body = Array(parts[0])
        for position in 0..<(body.count - 1) where body[position] != body[position + 1] {
            var swapped = body
            swapped.swapAt(position, position + 1)
            let text = String(swapped) + "." + parts[1]
            if case .valid = PatentNumberParser.parse(text, currentYear: 2026) {
                Issue.record("adjacent swap accepted: \(text)")
            }
        }
    }

    @Test func explainsKindAndYear() throws {
        let cases: [(String, PatentApplicationNumber.Kind, Int, Int?)] = [
            ("91103346.7", .invention, 1991, 20),
            ("00814037.5", .pctInvention, 2000, 20),
            ("200420091540.7", .utilityModel, 2004, 10),
            ("201430238126.3", .design, 2014, 10),
        ]
        for (text, kind, year, protection) in cases {
            guard case .valid(let number) = PatentNumberParser.parse(text, currentYear: 2026) else {
                Issue.record("\(text) rejected")
                continue
            }
            #expect(number.kind == kind)
            #expect(number.filingYear == year)
            #expect(number.protectionYears == protection)
        }
    }

    @Test func designTermDependsOnFilingYear() {
        #expect(Self.make("202030000001").protectionYears == 10)
        #expect(Self.make("202130000001").protectionYears == nil)
        #expect(Self.make("202230000001").protectionYears == 15)
        #expect(Self.make("202290000001").protectionYears == 10)
        #expect(Self.make("202280000001").kind == .pctInvention)
        #expect(Self.make("202290000001").kind == .pctUtilityModel)
    }

    @Test func checkCharacterAlgorithm() {
        #expect(PatentApplicationNumber.checkCharacter(forBody: "201310268509") == "X")
        #expect(PatentApplicationNumber.checkCharacter(forBody: "91103346") == "7")
        #expect(PatentApplicationNumber.checkCharacter(forBody: "2013 1 0268509") == "X")
    }

    @Test func codesAsCanonicalString() throws {
        let number = Self.number("201310268509", "X")
        let data = try JSONEncoder().encode([number])
        #expect(String(decoding: data, as: UTF8.self) == "[\"201310268509.X\"]")
        #expect(try JSONDecoder().decode([PatentApplicationNumber].self, from: data) == [number])
        let old = Self.number("88100001", nil)
        #expect(try JSONDecoder().decode([PatentApplicationNumber].self, from: JSONEncoder().encode([old])) == [old])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([PatentApplicationNumber].self, from: Data("[\"201310268509.1\"]".utf8))
        }
    }

    @Test func publicInitialiserValidates() {
        #expect(PatentApplicationNumber(body: "201310268509", checkCharacter: "x")?.canonical == "201310268509.X")
        #expect(PatentApplicationNumber(body: "201310268509", checkCharacter: "1") == nil)
        #expect(PatentApplicationNumber(body: "201310268509", checkCharacter: nil) == nil)
        #expect(PatentApplicationNumber(body: "2013102685", checkCharacter: "1") == nil)
    }

    static func number(_ body: String, _ check: Character?) -> PatentApplicationNumber {
        PatentApplicationNumber(uncheckedBody: body, checkCharacter: check)
    }

    static func make(_ body: String) -> PatentApplicationNumber {
        PatentApplicationNumber(
            uncheckedBody: body, checkCharacter: PatentApplicationNumber.checkCharacter(forBody: body))
    }
}
