import Foundation
import Testing

@testable import WeiquanStore

/// The strict JSON checks every document passes on the way in (and again on the way back from disk).
@Suite struct JSONScannerTests {
    static let validObjects = [
        "{}",
        #"{"a":1}"#,
        #"{"a":-0.5e-3,"b":[true,false,null],"c":{"d":"e"},"f":[],"g":{}}"#,
        #"{"escapes":"\" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00"}"#,
        #"{"utf8":"专利 ü 😀"}"#,
        #"{"n":[0,-0,1.0,1e10,1E+2,12.5e-1]}"#,
        " \t{\"spaced\" : [ 1 , 2 ] }  ",
    ]

    static let invalidObjects = [
        "",
        "   ",
        "[]",
        "1",
        #""s""#,
        "null",
        "{",
        #"{"a"}"#,
        #"{"a":}"#,
        #"{"a":1,}"#,
        #"{"a":[1,]}"#,
        #"{,"a":1}"#,
        #"{a:1}"#,
        #"{'a':1}"#,
        #"{"a":01}"#,
        #"{"a":1.}"#,
        #"{"a":.5}"#,
        #"{"a":+1}"#,
        #"{"a":1e}"#,
        #"{"a":tru}"#,
        #"{"a":True}"#,
        #"{"a":NaN}"#,
        #"{"a":"\x"}"#,
        #"{"a":"\u12"}"#,
        #"{"a":"unterminated}"#,
        "{\"a\":\"line\nbreak\"}",
        "{} {}",
        "{}x",
        "\u{FEFF}{}",
    ]

    @Test(arguments: JSONScannerTests.validObjects)
    func acceptsValidObjects(text: String) throws {
        let normalized = try PreparedWrite.normalizedObject(Data(text.utf8))
        // What is accepted is JSON any parser reads.
        #expect(try JSONSerialization.jsonObject(with: normalized) is [String: Any])
        #expect(!normalized.contains(0x0A))
    }

    @Test(arguments: JSONScannerTests.invalidObjects)
    func rejectsEverythingElse(text: String) {
        #expect(throws: JSONSyntaxError.self) { try PreparedWrite.normalizedObject(Data(text.utf8)) }
    }

    @Test func rejectsInvalidUTF8() {
        let cases: [[UInt8]] = [
            [0xC3, 0x28],  // bad continuation
            [0xC0, 0xAF],  // overlong
            [0xE0, 0x80, 0xAF],  // overlong
            [0xED, 0xA0, 0x80],  // a surrogate
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xE4, 0xB8],  // truncated
            [0xFF],
        ]
        for bytes in cases {
            let data = Data(Array(#"{"a":""#.utf8) + bytes + Array(#""}"#.utf8))
            #expect(throws: JSONSyntaxError.self, "\(bytes)") { try PreparedWrite.normalizedObject(data) }
        }
    }

    @Test func limitsNesting() throws {
        let depth = JSONScanner.maximumDepth
        let deepest =
            #"{"a":"# + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}"
        _ = try PreparedWrite.normalizedObject(Data(deepest.utf8))
        let tooDeep = #"{"a":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        #expect(throws: JSONSyntaxError.self) { try PreparedWrite.normalizedObject(Data(tooDeep.utf8)) }
    }

    @Test func cleanInputIsKeptAsIs() throws {
        let clean = Data(#"{"a":[1,2],"b":"x y"}"#.utf8)
        #expect(try PreparedWrite.normalizedObject(clean) == clean)
        let padded = Data("\n {\"a\":\r\n1}\t\n".utf8)
        #expect(try PreparedWrite.normalizedObject(padded) == Data("{\"a\":  1}".utf8))
    }

    @Test func readsStringsWithEscapes() throws {
        let cases: [(String, String)] = [
            (#""plain""#, "plain"),
            (#""专利""#, "专利"),
            (#""q\"b\\s\/n\nt\tu\u00e9""#, "q\"b\\s/n\nt\tué"),
            (#""\ud83d\ude00""#, "😀"),
            (#""lone \ud800 surrogate""#, "lone \u{FFFD} surrogate"),
        ]
        for (json, expected) in cases {
            let decoded = try Array(json.utf8).withUnsafeBytes { raw in
                var scanner = JSONScanner(raw)
                return try scanner.readString()
            }
            #expect(decoded == expected)
        }
    }

    @Test func writesStringsAnyParserReadsBack() throws {
        let texts = ["plain", "quote\" backslash\\ slash/", "line\nbreak\r\ttab", "\u{0}\u{1}\u{1F}", "专利😀"]
        for text in texts {
            let encoded = JSONOutput.string(text)
            let decoded = try JSONSerialization.jsonObject(with: Data("[\(encoded)]".utf8)) as? [String]
            #expect(decoded == [text])
        }
    }

    @Test func parsesJournalRecordsInAnyMemberOrder() throws {
        let line =
            #"{"changes":[{"doc":{"x":1},"id":"a","c":"cases","future":[1]},{"delete":true,"c":"d","id":"b"}],"seq":7,"extra":{}}"#
        let record = try Array(line.utf8).withUnsafeBytes { try JournalRecord.parse($0) }
        #expect(record.sequence == 7)
        #expect(record.changes == [put("cases", "a", #"{"x":1}"#), .delete(collection: "d", id: "b")])

        let bad = [
            #"{"seq":1}"#,
            #"{"changes":[]}"#,
            #"{"seq":1,"changes":[{"c":"a","id":"b"}]}"#,
            #"{"seq":1,"changes":[{"c":"a","id":"b","doc":{},"delete":true}]}"#,
            #"{"seq":1,"changes":[{"c":"a","id":"b","doc":[1]}]}"#,
            #"{"seq":1.5,"changes":[]}"#,
            #"{"seq":1,"changes":[]} x"#,
        ]
        for text in bad {
            #expect(throws: JSONSyntaxError.self, "\(text)") {
                try Array(text.utf8).withUnsafeBytes { try JournalRecord.parse($0) }
            }
        }
    }
}
