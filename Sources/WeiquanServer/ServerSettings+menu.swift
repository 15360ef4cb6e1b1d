import WeChatChannel
import WeiquanCore

extension ServerSettings.WeChat {
    /// The custom menu of the layout in `menu_buttons`, each CLICK key labelled with its intent's menu
    /// wording (`menu.<intent>`, else the intent's title).
    /// - Returns: The menu and the problems found (unknown keys, WeChat's limits).
    public func customMenu(replies: ReplyBook, catalogue: IntentCatalogue) -> (menu: WeChatMenu, problems: [String]) {
        var problems: [String] = []
        let buttons = self.menuButtons.map { layout -> WeChatMenu.Button in
            let subButtons = layout.keys.map { key -> WeChatMenu.Button in
                guard let intent = self.menu[key] else {
                    problems.append("menu_buttons names the key '\(key)', which wechat.menu does not map to an intent")
                    return WeChatMenu.Button(name: key, key: key)
                }
                if catalogue.intent(intent) == nil {
                    problems.append("the key '\(key)' starts '\(intent)', which the catalogue lacks")
                }
                let label =
                    replies.has("menu.\(intent.rawValue)")
                    ? replies.render("menu.\(intent.rawValue)") : catalogue.intent(intent)?.title ?? intent.rawValue
                return WeChatMenu.Button(name: label, key: key)
            }
            return WeChatMenu.Button(name: layout.name, subButtons: subButtons)
        }
        let menu = WeChatMenu(buttons: buttons)
        return (menu, problems + menu.problems)
    }
}
