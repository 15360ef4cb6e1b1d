import Testing
import WeChatChannel

/// Which messages let the account write to the applicant again through the customer-service API.
@Suite struct WeChatServiceWindowTests {
    @Test(arguments: [
        (WeChatSamples.text, true), (WeChatSamples.image, true), (WeChatSamples.voice, true),
        (WeChatSamples.video, true),
        (WeChatSamples.shortVideo, true), (WeChatSamples.location, true), (WeChatSamples.link, true),
        (WeChatSamples.subscribe, true), (WeChatSamples.subscribeWithScene, true), (WeChatSamples.scan, true),
        (WeChatSamples.click, true), (WeChatSamples.scanCodeWaitMsg, true),
        (WeChatSamples.unsubscribe, false), (WeChatSamples.view, false), (WeChatSamples.locationEvent, false),
        (WeChatSamples.templateSendJobFinish, false), (WeChatSamples.picSysPhoto, false),
        (WeChatSamples.locationSelect, false),
    ])
    func reopens(_ sample: String, _ expected: Bool) throws {
        let message = try WeChatSamples.parse(sample)
        #expect(message.reopensServiceWindow == expected, "\(message.msgType) \(message.kind)")
    }

    @Test func unknownMessageTypesDoNot() throws {
        let message = try WeChatSamples.parse(WeChatSamples.body(msgType: "miniprogrampage"))
        #expect(!message.reopensServiceWindow)
    }
}
