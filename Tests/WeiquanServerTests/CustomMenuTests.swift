import Foundation
import HummingbirdTesting
import Testing
import WeChatChannel
import WeiquanCore
import WeiquanFiles
import WeiquanServer

@Suite struct CustomMenuTests {
    let replies = TestServer.data.makeMachine().replies

    @Test func theDemoMenuIsValidAndEveryKeyStartsAnIntent() throws {
        let settings = try TestServer.settings()
        let (menu, problems) = settings.wechat.customMenu(replies: self.replies, catalogue: TestServer.data.catalogue)
        #expect(problems.isEmpty)
        let keys = menu.buttons.flatMap(\.subButtons).compactMap(\.key)
        #expect(Set(keys) == Set(settings.wechat.menu.keys))
        let json = try #require(try JSONSerialization.jsonObject(with: menu.json()) as? [String: Any])
        let buttons = try #require(json["button"] as? [[String: Any]])
        let first = try #require(buttons.first?["sub_button"] as? [[String: String]])
        #expect(
            first.first == ["type": "click", "name": self.replies.render("menu.aid_request"), "key": "AID_REQUEST"])
    }

    @Test func unknownKeysAndWeChatLimitsAreReported() throws {
        var settings = try TestServer.settings().wechat
        settings.menuButtons = [
            .init(name: "一个很长的按钮名字", keys: ["AID_REQUEST"]), .init(name: "空", keys: []),
            .init(name: "甲", keys: ["NOPE"]),
            .init(name: "乙", keys: ["FAQ"]),
        ]
        settings.menu["NOPE"] = nil
        let problems = settings.customMenu(replies: self.replies, catalogue: TestServer.data.catalogue).problems
        #expect(problems.contains { $0.contains("'NOPE'") })
        #expect(problems.contains { $0.contains("1 to 3 buttons") })
        #expect(problems.contains { $0.contains("longer than 16 bytes") })
        #expect(problems.contains { $0.contains("neither a key nor sub-buttons") })
    }

    @Test func aMenuKeyStartsItsIntentThroughTheWebhook() async throws {
        let app = try await TestServer.application()
        try await app.test(.router) { client in
            let (_, body) = try await client.post(Inbound.event("CLICK", key: "CASE_PROGRESS", time: 1))
            #expect(ReplyXML.content(body) == self.replies.render("progress.none"))
        }
    }
}

@Suite struct MenuPushTests {
    @Test func theMenuIsInstalledThroughTheAPI() async throws {
        let api = try await FakeWeChatAPIServer.start(appID: "wx-menu", secret: "menu-secret")
        let settings = try TestServer.settings()
        let (menu, _) = settings.wechat.customMenu(
            replies: TestServer.data.makeMachine().replies, catalogue: TestServer.data.catalogue
        )
        let client = HTTPWeChatAPI(baseURL: api.baseURL)
        let token = try await client.accessToken(appID: "wx-menu", secret: "menu-secret")
        try await client.createMenu(menu.json(), accessToken: token.value)
        let recorded = try #require(api.requests.first { $0.path == "/cgi-bin/menu/create" })
        #expect(recorded.query["access_token"] == token.value)
        #expect(recorded.body == String(decoding: menu.json(), as: UTF8.self))
        await api.stop()
    }
}
