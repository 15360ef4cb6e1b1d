import Testing
import WeiquanTestSupport

@testable import WeChatChannel

@Suite struct WeChatReplyTests {
    @Test func exactTextReply() throws {
        let message = try WeChatSamples.parse(WeChatSamples.text)
        let reply = WeChatXML.textReply(to: message, content: "你好", createTime: 12_345_678)
        #expect(
            reply == "<xml><ToUserName><![CDATA[fromUser]]></ToUserName><FromUserName><![CDATA[toUser]]></FromUserName>"
                + "<CreateTime>12345678</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                + "<Content><![CDATA[你好]]></Content></xml>"
        )
    }

    @Test func cdataTerminatorIsSplit() throws {
        let message = try WeChatSamples.parse(WeChatSamples.text)
        let content = "a]]>b ]]]]> c]]>"
        let reply = WeChatXML.textReply(to: message, content: content, createTime: 1)
        #expect(reply.contains("<Content><![CDATA[a]]]]><![CDATA[>b ]]]]]]><![CDATA[> c]]]]><![CDATA[>]]></Content>"))
        let parsed = try WeChatSamples.parse(reply)
        #expect(parsed.content == content)
        #expect(parsed.toUserName == "fromUser")
        #expect(parsed.fromUserName == "toUser")
        #expect(parsed.createTime == 1)
        #expect(parsed.kind == .text)
    }

    /// Random texts thick with `]`, `>` and controls: each reply reads back as its text less the dropped controls,
    /// whether it was copied whole or written byte by byte.
    @Test func randomRepliesReadBackAsTheirText() throws {
        var generator = SeededGenerator(seed: 15)
        let alphabet: [Character] = ["]", "]", ">", "a", "中", "\u{01}", "\u{7F}", "\t", "\n", "<", "&", "["]
        var split = 0
        for _ in 0..<3_000 {
            let content = "x" + generator.string(over: alphabet, length: generator.next(below: 16)) + "x"
            let reply = WeChatXML.textReply(toUser: "u", fromUser: "gh", content: content, createTime: 5)
            let expected = content.filter { $0 != "\u{01}" && $0 != "\u{7F}" }
            #expect(try WeChatSamples.parse(reply).content == expected, "\(content.debugDescription)")
            if reply.contains("]]><![CDATA[") { split += 1 }
        }
        #expect(split > 25, "some texts should need a split section")
    }

    @Test func newlinesStayRealNewlines() throws {
        let message = try WeChatSamples.parse(WeChatSamples.text)
        let content = "第一行\n第二行\n\n1. 商标\n2. 专利"
        let reply = WeChatXML.textReply(to: message, content: content, createTime: 1)
        #expect(reply.contains("第一行\n第二行"))
        #expect(!reply.contains("\\n"))
        #expect(try WeChatSamples.parse(reply).content == content)
    }

    @Test func controlCharactersAreDroppedFromReplies() throws {
        let reply = WeChatXML.textReply(
            toUser: "o\u{01}x",
            fromUser: "gh",
            content: "a\u{02}b\u{7F}c\td",
            createTime: 5
        )
        #expect(reply.contains("<Content><![CDATA[abc\td]]></Content>"))
        #expect(reply.contains("<ToUserName><![CDATA[ox]]></ToUserName>"))
    }

    @Test func markupInIdsIsContained() throws {
        let reply = WeChatXML.textReply(toUser: "]]><evil/>", fromUser: "gh", content: "x", createTime: 5)
        let parsed = try WeChatSamples.parse(reply)
        #expect(parsed.toUserName == "]]><evil/>")
        #expect(parsed.fields["evil"] == nil)
    }

    @Test func encryptedReplyEnvelope() throws {
        let reply = WeChatXML.encryptedReply(
            encrypt: WeChatSignatureTests.v1ReplyEncrypt,
            token: "123456",
            timestamp: "1411525903",
            nonce: "461056294"
        )
        #expect(
            reply == "<xml>\n<Encrypt><![CDATA[\(WeChatSignatureTests.v1ReplyEncrypt)]]></Encrypt>\n"
                + "<MsgSignature><![CDATA[407518b7649e86ef23978113f92d27afa9296533]]></MsgSignature>\n"
                + "<TimeStamp>1411525903</TimeStamp>\n<Nonce><![CDATA[461056294]]></Nonce>\n</xml>"
        )
        let fields = try WeChatXML.parseFields(Array(reply.utf8))
        #expect(fields["Encrypt"] == WeChatSignatureTests.v1ReplyEncrypt)
        #expect(fields["MsgSignature"] == "407518b7649e86ef23978113f92d27afa9296533")
        #expect(fields["TimeStamp"] == "1411525903")
        #expect(fields["Nonce"] == "461056294")
    }

    /// The cipher's own base64 goes into its CDATA section unchecked (safe mode's replies): the same bytes as checked.
    @Test func aBase64EncryptIsWrittenAsTheCheckedPathWritesIt() {
        let checked = WeChatXML.encryptedReply(
            encrypt: WeChatSignatureTests.v1ReplyEncrypt, token: "123456", timestamp: "1411525903", nonce: "461056294")
        let unchecked = WeChatXML.encryptedReply(
            encrypt: WeChatSignatureTests.v1ReplyEncrypt, isBase64: true, token: "123456", timestamp: "1411525903",
            nonce: "461056294")
        #expect(unchecked == checked)
    }

    @Test func encryptedReplyEscapesATimestampThatIsNotANumber() throws {
        let reply = WeChatXML.encryptedReply(encrypt: "e", token: "t", timestamp: "<1&2>", nonce: "n")
        #expect(reply.contains("<TimeStamp>&lt;1&amp;2&gt;</TimeStamp>"))
        #expect(try WeChatXML.parseFields(Array(reply.utf8))["TimeStamp"] == "<1&2>")
    }

    @Test func randomContentRoundTrips() throws {
        var random = SeededGenerator(seed: 0xC0FFEE)
        let pieces = [
            "]]>", "]]", "]", ">", "<", "&", "&amp;", "<![CDATA[", "\n", "\r\n", "\t", " ", "\u{01}", "\u{7F}", "中",
            "文", "😀", "👨‍👩‍👧", "a", "Z", "0", "'", "\"", "é",
        ]
        for _ in 0..<2_000 {
            var content = ""
            for _ in 0..<Int(random.next() % 24) {
                content += pieces[Int(random.next() % UInt64(pieces.count))]
            }
            let reply = WeChatXML.textReply(toUser: "o", fromUser: "gh", content: content, createTime: 1)
            let kept = content.unicodeScalars.filter { $0 != "\u{01}" && $0 != "\u{7F}" }
            let expected = String(String.UnicodeScalarView(kept))
            #expect(try WeChatSamples.parse(reply).content == expected)
        }
    }
}
