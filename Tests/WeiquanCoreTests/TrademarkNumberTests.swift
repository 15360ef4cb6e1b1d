import Foundation
import Testing
@testable import WeiquanCore

@Suite struct TrademarkNumberTests {
    @Test(arguments: [
        ("第12345678号", "12345678"),
        ("12345678", "12345678"),
        ("注册号：12345678", "12345678"),
        ("商标注册号是12345678", "12345678"),
        ("G1234567", "G1234567"),
        ("g 1234567", "G1234567"),
        ("第 1328994 号", "1328994"),
        ("16435657A", "16435657A"),
        ("16435657aa", "16435657AA"),
        ("第G123456号", "G123456"),
        ("１２３４５６７８", "12345678"),
        ("第１３４４７８７號", "1344787"),
        ("1", "1"),
        ("12345678。", "12345678"),
    ])
    func parses(text: String, canonical: String) {
        #expect(TrademarkNumberParser.parse(text)?.canonical == canonical)
    }

    @Test(arguments: [
        "", "第号", "123456789", "G123456789", "12a345", "ab12345", "12345678abc", "0", "000", "商标", "1234 5678",
        "第12345678号码是什么", "x12345",
    ])
    func rejects(text: String) {
        #expect(TrademarkNumberParser.parse(text) == nil)
    }

    @Test func keepsParts() throws {
        let number = try #require(TrademarkNumberParser.parse("g1234567a"))
        #expect(number.prefix == "G")
        #expect(number.digits == "1234567")
        #expect(number.suffix == "A")
        #expect(TrademarkNumber(prefix: "g", digits: "1234567", suffix: "a") == number)
        #expect(TrademarkNumber(prefix: "X", digits: "1234567", suffix: "") == nil)
        #expect(TrademarkNumber(prefix: "", digits: "", suffix: "") == nil)
        #expect(TrademarkNumber(prefix: "", digits: "123456789", suffix: "") == nil)
        #expect(TrademarkNumber(prefix: "", digits: "1", suffix: "ABC") == nil)
    }

    @Test func codesAsCanonicalString() throws {
        let number = try #require(TrademarkNumber(prefix: "G", digits: "1234567", suffix: ""))
        let data = try JSONEncoder().encode([number])
        #expect(String(decoding: data, as: UTF8.self) == "[\"G1234567\"]")
        #expect(try JSONDecoder().decode([TrademarkNumber].self, from: data) == [number])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([TrademarkNumber].self, from: Data("[\"第1号\"]".utf8))
        }
    }
}
