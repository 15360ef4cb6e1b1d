import Testing
import WeiquanTestSupport

@testable import WeiquanCore

/// The byte search the machine and the reply book use instead of the standard library's generic one: the same
/// answers, at every position, for patterns longer than the text, empty ones and ones that nearly match.
@Suite struct TextBytesTests {
    @Test func containsAgreesWithTheStandardLibrary() {
        var random = SeededGenerator(seed: 2_611)
        let pieces = ["取消", "提醒", "取", "消", "a", "ab", "", "{", "}", "{hotline}", "😀", "。", "取消提"]
        for _ in 0..<5_000 {
            let text = (0..<random.next(below: 6)).map { _ in pieces[random.next(below: pieces.count)] }.joined()
            let pattern = (0..<random.next(below: 3)).map { _ in pieces[random.next(below: pieces.count)] }.joined()
            let expected = Array(text.utf8).firstRange(of: Array(pattern.utf8)) != nil
            #expect(TextBytes.contains(pattern, in: text) == expected, "\(pattern) in \(text)")
        }
    }

    @Test func theFirstOccurrenceIsFound() {
        let text = Array("取消取消提醒提醒".utf8)
        let pattern = Array("提醒".utf8)
        let index = text.withUnsafeBufferPointer { bytes in
            pattern.withUnsafeBufferPointer { TextBytes.firstIndex(of: $0, in: bytes) }
        }
        #expect(index == 12)
        #expect(TextBytes.contains("", in: ""))
        #expect(!TextBytes.contains("取消提醒了", in: "取消提醒"))
        #expect(TextBytes.contains("醒", in: "取消提醒"))
    }
}
