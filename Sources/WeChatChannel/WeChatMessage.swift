/// A parsed inbound message or event of the WeChat official-account protocol.
///
/// The four common elements are checked and typed; everything else stays in ``fields`` as raw text, with typed
/// accessors for the elements the service uses. `msgType` and ``event`` are lower-cased, because WeChat's casing
/// varies (`subscribe` but `CLICK`).
public struct WeChatMessage: Sendable, Equatable {
    /// The account's original id (`gh_…`).
    public var toUserName: String
    /// The sender's OpenID.
    public var fromUserName: String
    /// When WeChat created the message, in seconds since 1970.
    public var createTime: Int64
    /// `MsgType`, lower-cased: `text`, `image`, `voice`, `video`, `shortvideo`, `location`, `link`, `event`, ….
    public var msgType: String
    /// `MsgId` of a normal message, or `MsgID` of an event that has one (`TEMPLATESENDJOBFINISH`, …).
    public var msgID: String?
    /// Every leaf element by its own name (nested ones flattened, the first of a repeated name kept), raw text.
    public var fields: [String: String]

    /// Creates a message from its parts; `msgType` is lower-cased.
    public init(
        toUserName: String,
        fromUserName: String,
        createTime: Int64,
        msgType: String,
        msgID: String? = nil,
        fields: [String: String] = [:]
    ) {
        self.toUserName = toUserName
        self.fromUserName = fromUserName
        self.createTime = createTime
        self.msgType = msgType.lowercased()
        self.msgID = msgID
        self.fields = fields
    }

    /// Creates a message from parsed leaf elements, checking the required ones.
    ///
    /// `ToUserName`, `FromUserName` and `MsgType` must be present and not blank (surrounding whitespace is
    /// trimmed); `CreateTime` must be a non-negative decimal integer. The first non-blank of `MsgId` and `MsgID`
    /// (trimmed) becomes ``msgID``.
    ///
    /// - Throws: ``WeChatError`` with `.missingField(name)` or `.invalidCreateTime`.
    public init(fields: [String: String]) throws(WeChatError) {
        let toUserName = try Self.required("ToUserName", in: fields)
        let fromUserName = try Self.required("FromUserName", in: fields)
        let createTimeText = try Self.required("CreateTime", in: fields)
        let msgType = try Self.required("MsgType", in: fields)
        guard let createTime = Self.parseNonNegativeInteger(createTimeText) else {
            throw WeChatError(code: .invalidCreateTime, message: "CreateTime is not a non-negative integer")
        }
        let msgID = Self.nonBlank(fields["MsgId"]) ?? Self.nonBlank(fields["MsgID"])
        self.init(
            toUserName: toUserName,
            fromUserName: fromUserName,
            createTime: createTime,
            msgType: msgType,
            msgID: msgID,
            fields: fields
        )
    }

    /// Retry dedupe key (protocol §3.3): `msg:<MsgId>` when the message has an id, otherwise
    /// `evt:<FromUserName>|<CreateTime>|<Event>|<EventKey>` (event lower-cased, empty parts for absent elements).
    public var dedupeKey: String {
        if let msgID = self.msgID {
            return "msg:" + msgID
        }
        return "evt:\(self.fromUserName)|\(self.createTime)|\(self.event ?? "")|\(self.eventKey ?? "")"
    }

    /// `value` trimmed, or nil when it is absent or blank.
    private static func nonBlank(_ value: String?) -> String? {
        guard let trimmed = value?.trimmingASCIIWhitespace, !trimmed.isEmpty else { return nil }
        return trimmed
    }

    private static func required(_ name: String, in fields: [String: String]) throws(WeChatError) -> String {
        guard let value = Self.nonBlank(fields[name]) else {
            throw WeChatError.missingField(name)
        }
        return value
    }

    /// Parses ASCII digits only (no sign), rejecting overflow.
    private static func parseNonNegativeInteger(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(text)
    }
}
