import Testing
import WeChatChannel
import WeiquanCore

@Suite struct WeChatXMLSampleTests {
    static let menuKeys: [String: IntentID] = ["EVENTKEY": .faqMenu, "HELP": .help]

    @Test func text() throws {
        let message = try WeChatSamples.parse(WeChatSamples.text)
        #expect(message.toUserName == "toUser")
        #expect(message.fromUserName == "fromUser")
        #expect(message.createTime == 1_348_831_860)
        #expect(message.msgType == "text")
        #expect(message.msgID == "1234567890123456")
        #expect(message.content == "this is a test")
        #expect(message.kind == .text)
        #expect(message.isRecognisedKind)
        #expect(message.dedupeKey == "msg:1234567890123456")
        #expect(message.conversationEvent(menuKeys: Self.menuKeys) == .text("this is a test"))
        #expect(
            message.fields == [
                "ToUserName": "toUser", "FromUserName": "fromUser", "CreateTime": "1348831860", "MsgType": "text",
                "Content": "this is a test", "MsgId": "1234567890123456",
            ]
        )
    }

    @Test func image() throws {
        let message = try WeChatSamples.parse(WeChatSamples.image)
        #expect(message.kind == .image)
        #expect(message.picURL == "this is a url")
        #expect(message.mediaID == "media_id")
        #expect(message.dedupeKey == "msg:1234567890123456")
        #expect(message.conversationEvent(menuKeys: [:]) == .media(kind: "image", reference: "media_id"))
    }

    @Test func imageWithoutMediaIDFallsBackToPicURL() throws {
        let message = try WeChatSamples.parse(
            WeChatSamples.body(msgType: "image", "<PicUrl><![CDATA[https://mmbiz.example/pic]]></PicUrl>")
        )
        #expect(
            message.conversationEvent(menuKeys: [:]) == .media(kind: "image", reference: "https://mmbiz.example/pic")
        )
    }

    @Test func voiceWithRecognition() throws {
        let message = try WeChatSamples.parse(WeChatSamples.voice)
        #expect(message.kind == .voice)
        #expect(message.createTime == 1_357_290_913)
        #expect(message.mediaID == "media_id")
        #expect(message.format == "Format")
        #expect(message.recognition == "腾讯微信团队")
        #expect(message.conversationEvent(menuKeys: [:]) == .text("腾讯微信团队"))
    }

    @Test func voiceWithoutRecognisedText() throws {
        let blank = try WeChatSamples.parse(
            WeChatSamples.body(msgType: "voice", "<MediaId>m</MediaId><Recognition><![CDATA[  ]]></Recognition>")
        )
        #expect(blank.conversationEvent(menuKeys: [:]) == .voiceWithoutText)
        let absent = try WeChatSamples.parse(WeChatSamples.body(msgType: "voice", "<MediaId>m</MediaId>"))
        #expect(absent.recognition == nil)
        #expect(absent.conversationEvent(menuKeys: [:]) == .voiceWithoutText)
    }

    @Test func video() throws {
        let message = try WeChatSamples.parse(WeChatSamples.video)
        #expect(message.kind == .video)
        #expect(message.thumbMediaID == "thumb_media_id")
        #expect(message.conversationEvent(menuKeys: [:]) == .media(kind: "video", reference: "media_id"))
    }

    @Test func shortVideo() throws {
        let message = try WeChatSamples.parse(WeChatSamples.shortVideo)
        #expect(message.kind == .shortVideo)
        #expect(message.msgType == "shortvideo")
        #expect(message.thumbMediaID == "thumb_media_id")
        #expect(message.conversationEvent(menuKeys: [:]) == .media(kind: "shortvideo", reference: "media_id"))
    }

    @Test func location() throws {
        let message = try WeChatSamples.parse(WeChatSamples.location)
        #expect(message.kind == .location)
        #expect(message.locationX == 23.134521)
        #expect(message.locationY == 113.358803)
        #expect(message.scale == 20)
        #expect(message.label == "位置信息")
        #expect(message.conversationEvent(menuKeys: [:]) == .location(label: "位置信息"))
        let unlabelled = try WeChatSamples.parse(WeChatSamples.body(msgType: "location", "<Label></Label>"))
        #expect(unlabelled.conversationEvent(menuKeys: [:]) == .location(label: nil))
    }

    @Test func link() throws {
        let message = try WeChatSamples.parse(WeChatSamples.link)
        #expect(message.kind == .link)
        #expect(message.title == "公众平台官网链接")
        #expect(message.description == "公众平台官网链接")
        #expect(message.url == "url")
        #expect(message.conversationEvent(menuKeys: [:]) == .media(kind: "link", reference: "url"))
    }

    @Test func file() throws {
        let withMedia = try WeChatSamples.parse(
            WeChatSamples.body(msgType: "file", "<Title>a.pdf</Title><MediaId>file_media</MediaId>")
        )
        #expect(withMedia.kind == .file)
        #expect(withMedia.conversationEvent(menuKeys: [:]) == .media(kind: "file", reference: "file_media"))
        let titleOnly = try WeChatSamples.parse(WeChatSamples.body(msgType: "file", "<Title>a.pdf</Title>"))
        #expect(titleOnly.conversationEvent(menuKeys: [:]) == .media(kind: "file", reference: "a.pdf"))
    }

    @Test func subscribe() throws {
        let message = try WeChatSamples.parse(WeChatSamples.subscribe)
        #expect(message.kind == .event("subscribe"))
        #expect(message.event == "subscribe")
        #expect(message.eventKey == nil)
        #expect(message.msgID == nil)
        #expect(message.qrScene == nil)
        #expect(message.isRecognisedKind)
        #expect(message.dedupeKey == "evt:FromUser|123456789|subscribe|")
        #expect(message.conversationEvent(menuKeys: [:]) == .subscribed)
    }

    @Test func subscribeThroughParametricQRCode() throws {
        let message = try WeChatSamples.parse(WeChatSamples.subscribeWithScene)
        #expect(message.kind == .event("subscribe"))
        #expect(message.eventKey == "qrscene_123123")
        #expect(message.ticket == "TICKET")
        #expect(message.qrScene == "123123")
        #expect(message.dedupeKey == "evt:FromUser|123456789|subscribe|qrscene_123123")
        #expect(message.conversationEvent(menuKeys: [:]) == .subscribed)
    }

    @Test func unsubscribe() throws {
        let message = try WeChatSamples.parse(WeChatSamples.unsubscribe)
        #expect(message.kind == .event("unsubscribe"))
        #expect(message.dedupeKey == "evt:FromUser|123456789|unsubscribe|")
        #expect(message.conversationEvent(menuKeys: [:]) == .unsubscribed)
    }

    @Test func scan() throws {
        let message = try WeChatSamples.parse(WeChatSamples.scan)
        #expect(message.kind == .event("scan"))
        #expect(message.eventKey == "SCENE_VALUE")
        #expect(message.ticket == "TICKET")
        #expect(message.qrScene == "SCENE_VALUE")
        #expect(message.dedupeKey == "evt:FromUser|123456789|scan|SCENE_VALUE")
        #expect(message.conversationEvent(menuKeys: Self.menuKeys) == nil)
    }

    @Test func locationEvent() throws {
        let message = try WeChatSamples.parse(WeChatSamples.locationEvent)
        #expect(message.kind == .event("location"))
        #expect(message.latitude == 23.137466)
        #expect(message.longitude == 113.352425)
        #expect(message.precision == 119.385040)
        #expect(message.dedupeKey == "evt:fromUser|123456789|location|")
        #expect(message.conversationEvent(menuKeys: Self.menuKeys) == nil)
    }

    @Test func click() throws {
        let message = try WeChatSamples.parse(WeChatSamples.click)
        #expect(message.kind == .event("click"))
        #expect(message.eventKey == "EVENTKEY")
        #expect(message.dedupeKey == "evt:FromUser|123456789|click|EVENTKEY")
        #expect(message.conversationEvent(menuKeys: Self.menuKeys) == .command(.faqMenu))
        #expect(message.conversationEvent(menuKeys: ["OTHER": .help]) == nil)
        #expect(message.conversationEvent(menuKeys: ["eventkey": .help]) == nil)
    }

    @Test func view() throws {
        let message = try WeChatSamples.parse(WeChatSamples.view)
        #expect(message.kind == .event("view"))
        #expect(message.eventKey == "www.qq.com")
        #expect(message.isRecognisedKind)
        #expect(message.conversationEvent(menuKeys: ["www.qq.com": .help]) == nil)
    }

    @Test func templateSendJobFinishUsesMsgID() throws {
        let message = try WeChatSamples.parse(WeChatSamples.templateSendJobFinish)
        #expect(message.kind == .event("templatesendjobfinish"))
        #expect(message.msgID == "200163836")
        #expect(message.status == "success")
        #expect(message.dedupeKey == "msg:200163836")
        #expect(message.isRecognisedKind)
        #expect(message.conversationEvent(menuKeys: Self.menuKeys) == nil)
    }

    @Test func nestedLeavesAreFlattened() throws {
        let photo = try WeChatSamples.parse(WeChatSamples.picSysPhoto)
        #expect(photo.kind == .event("pic_sysphoto"))
        #expect(photo.fields["Count"] == "1")
        #expect(photo.fields["PicMd5Sum"] == "1b5f7c23b5bf75682a53e7b6d163e185")
        #expect(photo.fields["SendPicsInfo"] == nil)
        #expect(photo.fields["item"] == nil)

        let scan = try WeChatSamples.parse(WeChatSamples.scanCodeWaitMsg)
        #expect(scan.fields["ScanType"] == "qrcode")
        #expect(scan.fields["ScanResult"] == "2")

        let select = try WeChatSamples.parse(WeChatSamples.locationSelect)
        #expect(select.locationX == 23)
        #expect(select.locationY == 113)
        #expect(select.scale == 15)
        #expect(select.label == " 广州市海珠区客村艺苑路 106号")
        #expect(select.fields["Poiname"] == "")
        #expect(select.conversationEvent(menuKeys: ["6": .help]) == nil)
    }

    @Test func repeatedNamesKeepTheFirst() throws {
        let message = try WeChatSamples.parse(
            WeChatSamples.body(
                msgType: "event",
                "<Event>x</Event><List><item><Title>first</Title></item><item><Title>second</Title></item></List>"
                    + "<Title>third</Title>"
            )
        )
        #expect(message.title == "first")
    }

    @Test func typeAndEventAreCaseInsensitive() throws {
        let text = try WeChatSamples.parse(WeChatSamples.body(msgType: "TEXT", "<Content>hi</Content>"))
        #expect(text.msgType == "text")
        #expect(text.kind == .text)
        let event = try WeChatSamples.parse(WeChatSamples.body(msgType: "Event", "<Event>Subscribe</Event>"))
        #expect(event.kind == .event("subscribe"))
        #expect(event.conversationEvent(menuKeys: [:]) == .subscribed)
        let click = try WeChatSamples.parse(
            WeChatSamples.body(msgType: "event", "<Event>click</Event><EventKey>HELP</EventKey>")
        )
        #expect(click.conversationEvent(menuKeys: Self.menuKeys) == .command(.help))
    }

    @Test func unknownTypesAndEventsParse() throws {
        let page = try WeChatSamples.parse(
            WeChatSamples.body(msgType: "miniprogrampage", "<Title>t</Title><MsgId>42</MsgId>")
        )
        #expect(page.kind == .unknown("miniprogrampage"))
        #expect(!page.isRecognisedKind)
        #expect(page.conversationEvent(menuKeys: [:]) == nil)
        #expect(page.dedupeKey == "msg:42")

        let event = try WeChatSamples.parse(WeChatSamples.body(msgType: "event", "<Event>Brand_New_Event</Event>"))
        #expect(event.kind == .event("brand_new_event"))
        #expect(!event.isRecognisedKind)
        #expect(event.conversationEvent(menuKeys: [:]) == nil)

        let eventless = try WeChatSamples.parse(WeChatSamples.body(msgType: "event"))
        #expect(eventless.kind == .event(""))
        #expect(eventless.dedupeKey == "evt:openid|1700000000||")
    }

    @Test func allSamplesParseFromEveryCollectionShape() throws {
        for sample in WeChatSamples.all {
            let reference = try WeChatXML.parse(Array(sample.utf8))
            #expect(try WeChatXML.parse(sample.utf8) == reference)
            #expect(try WeChatXML.parse(Substring(sample).utf8) == reference)
            #expect(try WeChatXML.parse(Array(sample.utf8)[...]) == reference)
            // Not contiguous: the parser copies it first.
            #expect(try WeChatXML.parse(sample.utf8.lazy.map { $0 }) == reference)
        }
    }
}
