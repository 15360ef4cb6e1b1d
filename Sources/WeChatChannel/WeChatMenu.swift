import Foundation

/// An official account's custom menu (自定义菜单): at most 3 buttons, each a CLICK key or up to 5
/// CLICK sub-buttons, in the JSON shape of `/cgi-bin/menu/create`.
public struct WeChatMenu: Sendable, Equatable {
    /// A top-level button or a sub-button.
    public struct Button: Sendable, Equatable {
        public var name: String
        /// The CLICK key (for a button without sub-buttons).
        public var key: String?
        public var subButtons: [Button]

        public init(name: String, key: String? = nil, subButtons: [Button] = []) {
            self.name = name
            self.key = key
            self.subButtons = subButtons
        }
    }

    public var buttons: [Button]

    public init(buttons: [Button]) {
        self.buttons = buttons
    }

    /// WeChat's limits: 3 buttons of at most 16 bytes, 5 sub-buttons of at most 60 bytes, keys of at
    /// most 128 bytes; every button has a key or sub-buttons.
    public var problems: [String] {
        var problems: [String] = []
        if self.buttons.isEmpty || self.buttons.count > 3 {
            problems.append("the menu needs 1 to 3 buttons, not \(self.buttons.count)")
        }
        for button in self.buttons {
            if button.name.utf8.count > 16 {
                problems.append("button '\(button.name)' is longer than 16 bytes (4 Chinese characters)")
            }
            if button.subButtons.isEmpty && button.key == nil {
                problems.append("button '\(button.name)' has neither a key nor sub-buttons")
            }
            if button.subButtons.count > 5 { problems.append("button '\(button.name)' has more than 5 sub-buttons") }
            for sub in button.subButtons {
                if sub.name.utf8.count > 60 { problems.append("sub-button '\(sub.name)' is longer than 60 bytes") }
                if (sub.key ?? "").isEmpty || (sub.key ?? "").utf8.count > 128 {
                    problems.append("sub-button '\(sub.name)' needs a key of 1 to 128 bytes")
                }
            }
        }
        return problems
    }

    /// The body of `/cgi-bin/menu/create`.
    public func json() -> Data {
        func object(_ button: Button) -> [String: Any] {
            if !button.subButtons.isEmpty {
                return ["name": button.name, "sub_button": button.subButtons.map(object)]
            }
            return ["type": "click", "name": button.name, "key": button.key ?? ""]
        }
        let document: [String: Any] = ["button": self.buttons.map(object)]
        return
            (try? JSONSerialization.data(
                withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
    }
}
