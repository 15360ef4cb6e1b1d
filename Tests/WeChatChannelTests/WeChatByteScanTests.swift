import Testing
import WeiquanTestSupport

@testable import WeChatChannel

/// The word-at-a-time scans against the byte-by-byte rules they replace, and the byte-sorted signature against a
/// reference that joins the sorted parts.
@Suite struct WeChatByteScanTests {
    /// Bytes around every boundary the scans test: the controls, tab, LF, CR, space, DEL, `]`, `>`, and UTF-8 bytes.
    static let interesting: [UInt8] = [
        0x00, 0x01, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x1F, 0x20, 0x21, 0x3E, 0x5C, 0x5D, 0x5E, 0x7E, 0x7F,
        0x80, 0x9D, 0xBF, 0xC3, 0xE4, 0xFF, UInt8(ascii: "a"), UInt8(ascii: "<"),
    ]

    /// The rule of a CDATA text that goes out as it is, one byte at a time.
    static func referenceIsPlainCDATA(_ bytes: [UInt8]) -> Bool {
        if bytes.contains(where: ControlCharacters.isStripped) { return false }
        for index in bytes.indices.dropFirst(2)
        where bytes[index] == UInt8(ascii: ">") && bytes[index - 1] == UInt8(ascii: "]")
            && bytes[index - 2] == UInt8(ascii: "]")
        {
            return false
        }
        return true
    }

    /// Random texts of 0-40 bytes, mostly of plain bytes with a few interesting ones, at every offset from a word's
    /// start: the answers are the byte-by-byte ones.
    @Test func wordScansAnswerAsByteScansDo() {
        var generator = SeededGenerator(seed: 2026_12_01)
        var plain = 0
        var notPlain = 0
        for _ in 0..<30_000 {
            let length = generator.next(below: 41)
            let bytes = (0..<length).map { _ -> UInt8 in
                generator.next(below: 6) == 0
                    ? Self.interesting[generator.next(below: Self.interesting.count)]
                    : [UInt8(ascii: "x"), 0xE4, 0xB8, 0xAD][generator.next(below: 4)]
            }
            bytes.withUnsafeBufferPointer { buffer in
                #expect(
                    ControlCharacters.occur(in: buffer) == bytes.contains(where: ControlCharacters.isStripped),
                    "\(bytes)")
                let expected = Self.referenceIsPlainCDATA(bytes)
                #expect(WeChatXML.isPlainCDATA(buffer) == expected, "\(bytes)")
                if expected { plain += 1 } else { notPlain += 1 }
            }
        }
        #expect(plain > 5_000 && notPlain > 5_000, "both answers should be common")
    }

    /// `]]>` split across two words, and a control in the last byte of a word and in the tail.
    @Test func boundariesBetweenWordsAreSeen() {
        for offset in 0..<16 {
            var text = [UInt8](repeating: UInt8(ascii: "x"), count: 24)
            text.replaceSubrange(offset..<offset + 3, with: Array("]]>".utf8))
            text.withUnsafeBufferPointer { #expect(!WeChatXML.isPlainCDATA($0), "]]> at \(offset)") }
            var control = [UInt8](repeating: UInt8(ascii: "x"), count: 21)
            control[offset] = 0x1D
            control.withUnsafeBufferPointer {
                #expect(ControlCharacters.occur(in: $0), "control at \(offset)")
                #expect(!WeChatXML.isPlainCDATA($0), "control at \(offset)")
            }
        }
        let newlines = Array("第一行\n第二行\r\n\t]] > ]>".utf8)
        newlines.withUnsafeBufferPointer {
            #expect(!ControlCharacters.occur(in: $0))
            #expect(WeChatXML.isPlainCDATA($0))
        }
        [UInt8]().withUnsafeBufferPointer {
            #expect(!ControlCharacters.occur(in: $0))
            #expect(WeChatXML.isPlainCDATA($0))
        }
    }

    /// The signature sorts its parts by their UTF-8 bytes: a prefix first, a non-ASCII byte after every ASCII one,
    /// whatever order the parts come in.
    @Test(arguments: [
        ["ab", "abc", "a"], ["é", "z", "Z"], ["0", "00", " "], ["token", "1714036504", "1514711492"], ["中", "丁", "x"],
    ])
    func signaturePartsSortByTheirBytes(_ parts: [String]) {
        let sorted = parts.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        // The hash of the joined text alone: with two empty parts, any order gives the same bytes.
        let expected = WeChatSignature.signature(token: sorted.joined(), timestamp: "", nonce: "")
        for rotation in 0..<3 {
            let rotated = Array(parts[rotation...] + parts[..<rotation])
            #expect(WeChatSignature.signature(token: rotated[0], timestamp: rotated[1], nonce: rotated[2]) == expected)
            #expect(WeChatSignature.isValid(expected, token: rotated[0], timestamp: rotated[1], nonce: rotated[2]))
        }
    }

    /// The reply's bytes are the text reply's UTF-8, escaping included.
    @Test func textReplyBytesAreTheTextReply() {
        let content = "您好 a]]>b \u{1D}😀\n第二行"
        let bytes = WeChatXML.textReplyBytes(
            toUser: "o_applicant", fromUser: "gh_account", content: content, createTime: 1_714_037_060)
        #expect(
            bytes
                == Array(
                    WeChatXML.textReply(
                        toUser: "o_applicant", fromUser: "gh_account", content: content, createTime: 1_714_037_060
                    ).utf8))
        #expect(String(decoding: bytes, as: UTF8.self).contains("a]]]]><![CDATA[>b 😀"))
    }
}
