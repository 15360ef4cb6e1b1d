import WeiquanCore

extension WeChatMessage {
    /// The channel-neutral event for the conversation core; nil means nothing for the conversation (reply
    /// `success`).
    ///
    /// - text → `.text(Content)`;
    /// - voice → `.text(Recognition)` when it is not blank (trimmed), else `.voiceWithoutText`;
    /// - image → `.media("image", MediaId, or PicUrl when there is no MediaId)`;
    /// - video / shortvideo → `.media("video" / "shortvideo", MediaId)`;
    /// - file → `.media("file", MediaId, or Title)`; link → `.media("link", Url)`;
    /// - location → `.location(label: Label)` (nil when blank);
    /// - `subscribe` (plain or via a `qrscene_` QR code) → `.subscribed`; `unsubscribe` → `.unsubscribed`;
    /// - `CLICK` → `.command(menuKeys[EventKey])` when the key is in `menuKeys`, else nil;
    /// - every other event and unknown message types → nil.
    public func conversationEvent(menuKeys: [String: IntentID]) -> ConversationEvent? {
        switch self.kind {
        case .text:
            return .text(self.content ?? "")
        case .voice:
            let recognised = self.recognition?.trimmingASCIIWhitespace ?? ""
            return recognised.isEmpty ? .voiceWithoutText : .text(recognised)
        case .image:
            return .media(kind: "image", reference: Self.firstNonBlank(self.mediaID, self.picURL))
        case .video:
            return .media(kind: "video", reference: Self.firstNonBlank(self.mediaID))
        case .shortVideo:
            return .media(kind: "shortvideo", reference: Self.firstNonBlank(self.mediaID))
        case .file:
            return .media(kind: "file", reference: Self.firstNonBlank(self.mediaID, self.title))
        case .link:
            return .media(kind: "link", reference: Self.firstNonBlank(self.url))
        case .location:
            let label = self.label?.trimmingASCIIWhitespace
            return .location(label: label?.isEmpty == false ? label : nil)
        case .event("subscribe"):
            return .subscribed
        case .event("unsubscribe"):
            return .unsubscribed
        case .event("click"):
            guard let key = self.eventKey, let intent = menuKeys[key] else { return nil }
            return .command(intent)
        case .event, .unknown:
            return nil
        }
    }

    /// The first value that is not blank, trimmed; empty when there is none.
    private static func firstNonBlank(_ values: String?...) -> String {
        for value in values {
            if let trimmed = value?.trimmingASCIIWhitespace, !trimmed.isEmpty {
                return trimmed
            }
        }
        return ""
    }
}
