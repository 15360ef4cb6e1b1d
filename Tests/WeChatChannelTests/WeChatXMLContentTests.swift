import Testing
import WeChatChannel

@Suite struct WeChatXMLContentTests {
    @Test func plainTextForEveryField() throws {
        let body = """
            <xml><ToUserName>gh_123</ToUserName><FromUserName>oABC</FromUserName>\
            <CreateTime>1348831860</CreateTime><MsgType>text</MsgType><Content>hello world</Content>\
            <MsgId>99</MsgId></xml>
            """
        let message = try WeChatSamples.parse(body)
        #expect(message.toUserName == "gh_123")
        #expect(message.fromUserName == "oABC")
        #expect(message.content == "hello world")
        #expect(message.msgID == "99")
    }

    @Test func cdataForNumericFields() throws {
        let body = """
            <xml><ToUserName><![CDATA[a]]></ToUserName><FromUserName><![CDATA[b]]></FromUserName>\
            <CreateTime><![CDATA[1348831860]]></CreateTime><MsgType><![CDATA[location]]></MsgType>\
            <Location_X><![CDATA[23.5]]></Location_X><MsgId><![CDATA[7]]></MsgId></xml>
            """
        let message = try WeChatSamples.parse(body)
        #expect(message.createTime == 1_348_831_860)
        #expect(message.locationX == 23.5)
        #expect(message.msgID == "7")
    }

    @Test func whitespaceAroundCommonFieldsIsTrimmed() throws {
        let body = """
            <xml>
              <ToUserName>
                gh_123
              </ToUserName>
              <FromUserName> oABC </FromUserName>
              <CreateTime> 1348831860 </CreateTime>
              <MsgType> text </MsgType>
              <Content>  spaced  </Content>
            </xml>
            """
        let message = try WeChatSamples.parse(body)
        #expect(message.toUserName == "gh_123")
        #expect(message.fromUserName == "oABC")
        #expect(message.createTime == 1_348_831_860)
        #expect(message.kind == .text)
        #expect(message.content == "  spaced  ")
    }

    @Test func entitiesAndCharacterReferencesAreDecoded() throws {
        let message = try WeChatSamples.parse(
            WeChatSamples.body(
                "<Content>a &lt;b&gt; &amp; &apos;x&apos; &quot;y&quot; &#x4E2D;&#25991; &#x1F600; &#65;</Content>"
            )
        )
        #expect(message.content == "a <b> & 'x' \"y\" 中文 😀 A")
    }

    @Test func entitiesAreNotDecodedInsideCDATA() throws {
        let message = try WeChatSamples.parse(WeChatSamples.body("<Content><![CDATA[&lt;&amp;&xxe;]]></Content>"))
        #expect(message.content == "&lt;&amp;&xxe;")
    }

    @Test func chineseAndEmojiContent() throws {
        let content = "我的商标被抢注了，怎么办？🙏🏻 👨‍👩‍👧 ZL201310123456.7"
        let message = try WeChatSamples.parse(WeChatSamples.body("<Content><![CDATA[\(content)]]></Content>"))
        #expect(message.content == content)
        let plain = try WeChatSamples.parse(WeChatSamples.body("<Content>\(content)</Content>"))
        #expect(plain.content == content)
    }

    @Test func cdataWithMarkupCharacters() throws {
        let message = try WeChatSamples.parse(
            WeChatSamples.body("<Content><![CDATA[a<b>c</d> ]] ]>]]]]><![CDATA[>e&amp;]]></Content>")
        )
        #expect(message.content == "a<b>c</d> ]] ]>]]>e&amp;")
    }

    @Test func textAndCDATAMixed() throws {
        let message = try WeChatSamples.parse(WeChatSamples.body("<Content>x &amp; <![CDATA[<y>]]> z</Content>"))
        #expect(message.content == "x & <y> z")
    }

    @Test func newlinesAreKept() throws {
        let message = try WeChatSamples.parse(
            WeChatSamples.body("<Content><![CDATA[line 1\nline 2\r\nline 3]]></Content>")
        )
        #expect(message.content == "line 1\nline 2\r\nline 3")
    }

    @Test func controlCharactersAreStripped() throws {
        let content = "a\u{02}b\u{10}c\u{1D}d\u{7F}e\u{00}f\tg\nh"
        let message = try WeChatSamples.parse(WeChatSamples.body("<Content><![CDATA[\(content)]]></Content>"))
        #expect(message.content == "abcdef\tg\nh")
        let plain = try WeChatSamples.parse(WeChatSamples.body("<Content>x\u{01}y</Content>"))
        #expect(plain.content == "xy")
        // A control character reference is dropped the same way.
        let reference = try WeChatSamples.parse(WeChatSamples.body("<Content>x&#2;y&#x7F;z</Content>"))
        #expect(reference.content == "xyz")
        // The strip covers the whole body, markup included.
        let inTag = try WeChatSamples.parse(WeChatSamples.body("<Con\u{1B}tent>t</Content>"))
        #expect(inTag.content == "t")
    }

    @Test func prologBOMAndWhitespace() throws {
        let body = "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n" + WeChatSamples.text + "\n  \n"
        let message = try WeChatSamples.parse(body)
        #expect(message.content == "this is a test")
        let bare = try WeChatSamples.parse("<?xml version='1.0'?>" + WeChatSamples.text)
        #expect(bare.content == "this is a test")
    }

    @Test func emptyElementsAndAttributes() throws {
        let message = try WeChatSamples.parse(
            WeChatSamples.body(
                msgType: "event",
                "<Event>subscribe</Event><EventKey/><Ticket />" + "<Extra lang=\"zh\" kind='x'>v</Extra>"
            )
        )
        #expect(message.eventKey == "")
        #expect(message.ticket == "")
        #expect(message.fields["Extra"] == "v")
        #expect(message.qrScene == nil)
    }

    @Test func safeModeEnvelopeParsesAsFields() throws {
        let body =
            "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>"
            + "<Encrypt><![CDATA[abc+/=]]></Encrypt></xml>"
        let fields = try WeChatXML.parseFields(Array(body.utf8))
        #expect(fields == ["ToUserName": "gh_10f6c3c3ac5a", "Encrypt": "abc+/="])
        #expect(throws: WeChatError.missingField("FromUserName")) {
            try WeChatSamples.parse(body)
        }
    }

    @Test func msgIDFallsBackToTheEventSpelling() throws {
        let message = try WeChatSamples.parse(WeChatSamples.body("<MsgId> </MsgId><MsgID> 5 </MsgID>"))
        #expect(message.msgID == "5")
        #expect(message.dedupeKey == "msg:5")
        let neither = try WeChatSamples.parse(WeChatSamples.body("<MsgId></MsgId>"))
        #expect(neither.msgID == nil)
    }

    @Test func compatibleModeBodyHasEncrypt() throws {
        let message = try WeChatSamples.parse(WeChatSamples.body("<Content>hi</Content><Encrypt>cipher</Encrypt>"))
        #expect(message.encrypt == "cipher")
    }

    @Test func limitsAreInclusive() throws {
        // Four levels below the root are accepted.
        let deep = try WeChatSamples.parse(WeChatSamples.body("<a><b><c><d>leaf</d></c></b></a>"))
        #expect(deep.fields["d"] == "leaf")
        // Exactly the maximum number of elements: root + 4 required + the rest.
        let filler = String(repeating: "<F>1</F>", count: WeChatXML.maximumElementCount - 5)
        let full = try WeChatSamples.parse(WeChatSamples.body(filler))
        #expect(full.fields["F"] == "1")
    }

    @Test func errorDescriptionIsLogSafe() {
        let error = WeChatError(code: .doctypeForbidden, message: "DOCTYPE declarations are not accepted", offset: 3)
        #expect(
            error.description == "WeChatError(doctype_forbidden): DOCTYPE declarations are not accepted (at byte 3)"
        )
        #expect(WeChatError.missingField("MsgType").description.contains("missing_field(MsgType)"))
    }
}
