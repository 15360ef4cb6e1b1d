import Testing

@testable import WeiquanCore

/// A message's text without the white space around it; the fast path takes only what is surely not white space.
@Suite struct TrimmingWhitespaceTests {
    @Test func theFastPathNeverPassesWhiteSpace() {
        // Every scalar the fast path calls surely not white space, checked against its properties; one expectation
        // for all of them (a million expectations in a loop are a load on the test runner of their own).
        let passedWhiteSpace = (UInt32(0)...0x10FFFF).compactMap(Unicode.Scalar.init).filter { scalar in
            !String.mayBeWhitespace(scalar) && scalar.properties.isWhitespace
        }
        #expect(passedWhiteSpace.isEmpty, "\(passedWhiteSpace.map { "U+\(String($0.value, radix: 16))" })")
        // And the fast path does take the characters messages start and end with.
        #expect(!String.mayBeWhitespace("你") && !String.mayBeWhitespace("a") && !String.mayBeWhitespace("😀"))
        #expect(String.mayBeWhitespace(" ") && String.mayBeWhitespace("\u{3000}"))
    }

    @Test(arguments: [
        ("你好", "你好"), ("  你好\n", "你好"), ("\u{3000}查询\u{3000}", "查询"), ("\t", ""), ("", ""),
        ("a b", "a b"), ("\u{a0}菜单", "菜单"), ("菜单\u{2029}", "菜单"), ("😀 ", "😀"), ("~", "~"),
    ])
    func trimmed(_ text: String, _ expected: String) {
        #expect(text.trimmingWhitespace() == expected)
    }
}
