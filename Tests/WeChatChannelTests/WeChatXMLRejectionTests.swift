import Testing
import WeChatChannel

@Suite struct WeChatXMLRejectionTests {
    /// Parses `body` and checks that it fails with `code`.
    private func expectRejection(
        _ body: some Collection<UInt8>,
        _ code: WeChatError.Code,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            let message = try WeChatXML.parse(body)
            Issue.record("expected \(code), parsed \(message.msgType)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        }
    }

    private func expectRejection(
        _ body: String,
        _ code: WeChatError.Code,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        self.expectRejection(Array(body.utf8), code, sourceLocation: sourceLocation)
    }

    @Test func doctype() {
        self.expectRejection("<!DOCTYPE xml><xml></xml>", .doctypeForbidden)
        self.expectRejection("<?xml version=\"1.0\"?>\n<!DOCTYPE xml>\n" + WeChatSamples.text, .doctypeForbidden)
        self.expectRejection("<!doctype xml>" + WeChatSamples.text, .doctypeForbidden)
        self.expectRejection(WeChatSamples.body("<!DOCTYPE x><Content>a</Content>"), .doctypeForbidden)
    }

    @Test func entityDeclaration() {
        self.expectRejection("<!ENTITY a \"b\">" + WeChatSamples.text, .entityDeclarationForbidden)
        self.expectRejection(
            WeChatSamples.body("<!ENTITY xxe SYSTEM \"file:///etc/passwd\">"),
            .entityDeclarationForbidden
        )
    }

    @Test func billionLaughs() {
        let body = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
             <!ENTITY lol "lol">
             <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
             <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
             <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
             <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
             <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
             <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
             <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
             <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
             <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
            ]>
            <xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>
            <MsgType>text</MsgType><Content>&lol9;</Content></xml>
            """
        self.expectRejection(body, .doctypeForbidden)
    }

    @Test func externalEntity() {
        let body = """
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>
            <MsgType>text</MsgType><Content>&xxe;</Content></xml>
            """
        self.expectRejection(body, .doctypeForbidden)
        // The same reference without the declaration is an undeclared entity.
        self.expectRejection(WeChatSamples.body("<Content>&xxe;</Content>"), .unknownEntity)
    }

    @Test func unknownEntityReference() {
        self.expectRejection(WeChatSamples.body("<Content>a&nbsp;b</Content>"), .unknownEntity)
        self.expectRejection(WeChatSamples.body("<Content>&LT;</Content>"), .unknownEntity)
    }

    @Test func malformedReferences() {
        self.expectRejection(WeChatSamples.body("<Content>fish & chips</Content>"), .malformed)
        self.expectRejection(WeChatSamples.body("<Content>&amp</Content>"), .malformed)
        self.expectRejection(WeChatSamples.body("<Content>&#0;</Content>"), .invalidCharacterReference)
        self.expectRejection(WeChatSamples.body("<Content>&#xD800;</Content>"), .invalidCharacterReference)
        self.expectRejection(WeChatSamples.body("<Content>&#x110000;</Content>"), .invalidCharacterReference)
        self.expectRejection(
            WeChatSamples.body("<Content>&#99999999999999999999;</Content>"),
            .invalidCharacterReference
        )
        self.expectRejection(WeChatSamples.body("<Content>&#xFFFE;</Content>"), .invalidCharacterReference)
        self.expectRejection(WeChatSamples.body("<Content>&#;</Content>"), .invalidCharacterReference)
        self.expectRejection(WeChatSamples.body("<Content>&#x;</Content>"), .invalidCharacterReference)
        self.expectRejection(WeChatSamples.body("<Content>&#12a;</Content>"), .invalidCharacterReference)
        self.expectRejection(WeChatSamples.body("<Content>&#X41;</Content>"), .invalidCharacterReference)
    }

    @Test func processingInstructions() {
        self.expectRejection("<?xml-stylesheet href=\"a.xsl\"?>" + WeChatSamples.text, .processingInstructionForbidden)
        self.expectRejection(WeChatSamples.body("<?php system('id'); ?>"), .processingInstructionForbidden)
        self.expectRejection(
            "<?xml version=\"1.0\"?><?xml version=\"1.0\"?>" + WeChatSamples.text,
            .processingInstructionForbidden
        )
    }

    @Test func otherDeclarations() {
        self.expectRejection(WeChatSamples.body("<!-- comment --><Content>a</Content>"), .declarationForbidden)
        self.expectRejection("<!-- c -->" + WeChatSamples.text, .declarationForbidden)
        self.expectRejection(WeChatSamples.body("<!ELEMENT a ANY>"), .declarationForbidden)
        self.expectRejection(WeChatSamples.body("<!ATTLIST a b CDATA #IMPLIED>"), .declarationForbidden)
    }

    @Test func unclosedCDATA() {
        self.expectRejection(WeChatSamples.body("<Content><![CDATA[never closed</Content>"), .unclosedCDATA)
        self.expectRejection(
            "<xml><ToUserName><![CDATA[a]]></ToUserName><Content><![CDATA[x]]",
            .unclosedCDATA
        )
    }

    @Test func mismatchedAndUnclosedTags() {
        self.expectRejection(WeChatSamples.body("<Content>a</Contnet>"), .mismatchedTag)
        self.expectRejection(WeChatSamples.body("<a><b>x</a></b>"), .mismatchedTag)
        self.expectRejection("<xml><ToUserName>a</ToUserName>", .unclosedTag)
        self.expectRejection("<xml><ToUserName>a", .unclosedTag)
        self.expectRejection("<xml><ToUserName", .unclosedTag)
        self.expectRejection("<xml", .unclosedTag)
        self.expectRejection(WeChatSamples.body("<Content attr=\"x>"), .malformed)
    }

    @Test func missingEachRequiredField() {
        let parts = [
            ("ToUserName", "<ToUserName><![CDATA[toUser]]></ToUserName>"),
            ("FromUserName", "<FromUserName><![CDATA[fromUser]]></FromUserName>"),
            ("CreateTime", "<CreateTime>1348831860</CreateTime>"),
            ("MsgType", "<MsgType><![CDATA[text]]></MsgType>"),
        ]
        for (name, _) in parts {
            let body = "<xml>" + parts.filter { $0.0 != name }.map(\.1).joined() + "<Content>x</Content></xml>"
            self.expectRejection(body, .missingField(name))
            // Present but blank is missing too.
            let blank =
                "<xml>" + parts.map { $0.0 == name ? "<\(name)><![CDATA[ ]]></\(name)>" : $0.1 }.joined()
                + "</xml>"
            self.expectRejection(blank, .missingField(name))
        }
        self.expectRejection("<xml/>", .missingField("ToUserName"))
        self.expectRejection("<xml></xml>", .missingField("ToUserName"))
    }

    @Test func nonNumericCreateTime() {
        for value in ["abc", "-5", "12.5", "1e9", "0x10", "99999999999999999999", "１２３"] {
            let body =
                "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName>"
                + "<CreateTime>\(value)</CreateTime><MsgType>text</MsgType></xml>"
            self.expectRejection(body, .invalidCreateTime)
        }
    }

    @Test func garbageAndBinaryBodies() {
        self.expectRejection("not xml at all", .malformed)
        self.expectRejection("{\"ToUserName\":\"a\"}", .malformed)
        self.expectRejection([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46] as [UInt8], .malformed)
        self.expectRejection([0x3C, 0xFF, 0xFE, 0x3E] as [UInt8], .unexpectedRoot)
        self.expectRejection("<", .malformed)
        self.expectRejection("< xml></xml>", .malformed)
        self.expectRejection("<?xml version=\"1.0\"?>", .malformed)
        self.expectRejection("<?xml version=\"1.0\"", .malformed)
        self.expectRejection("<![CDATA[x]]>", .malformed)
        self.expectRejection(WeChatSamples.body("<Content>a < b</Content>"), .malformed)
        self.expectRejection(WeChatSamples.body("<1Content>a</1Content>"), .malformed)
    }

    @Test func emptyBodies() {
        self.expectRejection([UInt8](), .emptyBody)
        self.expectRejection("   \n\t ", .emptyBody)
        self.expectRejection("\u{01}\u{02}\u{7F}", .emptyBody)
    }

    @Test func wrongRoot() {
        self.expectRejection("<root><ToUserName>a</ToUserName></root>", .unexpectedRoot)
        self.expectRejection("<XML></XML>", .unexpectedRoot)
        self.expectRejection("<xmlx></xmlx>", .unexpectedRoot)
    }

    @Test func deepNesting() {
        self.expectRejection(WeChatSamples.body("<a><b><c><d><e>x</e></d></c></b></a>"), .tooDeep)
        let bomb = String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
        self.expectRejection(WeChatSamples.body(bomb), .tooDeep)
    }

    @Test func tooManyElements() {
        let filler = String(repeating: "<F>1</F>", count: WeChatXML.maximumElementCount - 4)
        self.expectRejection(WeChatSamples.body(filler), .tooManyElements)
        self.expectRejection(WeChatSamples.body(String(repeating: "<E/>", count: 10_000)), .tooManyElements)
    }

    @Test func trailingContent() {
        self.expectRejection(WeChatSamples.text + "junk", .trailingContent)
        self.expectRejection(WeChatSamples.text + WeChatSamples.text, .trailingContent)
        self.expectRejection(WeChatSamples.text + "<!-- c -->", .trailingContent)
        self.expectRejection(WeChatSamples.text + "\u{00}x", .trailingContent)
    }

    @Test func bodyTooLarge() {
        let padding = String(repeating: " ", count: WeChatXML.maximumBodySize)
        self.expectRejection(WeChatSamples.text + padding, .bodyTooLarge)
    }
}
