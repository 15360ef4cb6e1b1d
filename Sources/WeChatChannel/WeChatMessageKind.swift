extension WeChatMessage {
    /// What a message is, from its lower-cased `MsgType` (and `Event` for events).
    public enum Kind: Sendable, Equatable {
        /// `text`.
        case text
        /// `image`.
        case image
        /// `voice`.
        case voice
        /// `video`.
        case video
        /// `shortvideo`.
        case shortVideo
        /// `location`.
        case location
        /// `link`.
        case link
        /// `file`.
        case file
        /// `event`, with the lower-cased `Event` name (empty when the element is absent).
        case event(String)
        /// Any other `MsgType`, lower-cased (e.g. `miniprogrampage`).
        case unknown(String)
    }

    /// The events this channel knows by name (lower-cased), documented in the official-account push protocol.
    public static let knownEvents: Set<String> = [
        "subscribe", "unsubscribe", "scan", "location", "click", "view",
        "templatesendjobfinish", "masssendjobfinish", "publishjobfinish",
        "scancode_push", "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album", "pic_weixin",
        "location_select", "view_miniprogram", "subscribe_msg_popup_event",
    ]

    /// The kind of this message.
    public var kind: Kind {
        switch self.msgType {
        case "text": .text
        case "image": .image
        case "voice": .voice
        case "video": .video
        case "shortvideo": .shortVideo
        case "location": .location
        case "link": .link
        case "file": .file
        case "event": .event(self.event ?? "")
        default: .unknown(self.msgType)
        }
    }

    /// False for a `MsgType` this channel does not know, and for an event not in ``knownEvents``.
    public var isRecognisedKind: Bool {
        switch self.kind {
        case .unknown: false
        case .event(let name): Self.knownEvents.contains(name)
        default: true
        }
    }
}
