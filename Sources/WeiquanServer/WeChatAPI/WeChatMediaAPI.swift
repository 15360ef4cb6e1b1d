/// WeChat's temporary media API, which keeps what applicants send (pictures, voice, video, files) for 3 days.
public protocol WeChatMediaAPI: Sendable {
    /// Downloads one temporary media: `GET {base}/cgi-bin/media/get?access_token=…&media_id=…`.
    ///
    /// WeChat answers the bytes with their `Content-Type`, or JSON `{"errcode":…,"errmsg":…}` (40007: the media id
    /// is invalid or expired; 40001/40014/42001: the token). A video may come as JSON `{"video_url":"…"}`, which is
    /// followed once. Throws a ``WeChatAPIError``: WeChat's code, ``WeChatAPIError/tooLarge`` when the media is larger
    /// than `maxBytes` (nothing beyond the limit is read), or a local transport code.
    func media(_ mediaID: String, accessToken: String, maxBytes: Int) async throws -> WeChatMedia
}

/// Media as WeChat sent them.
public struct WeChatMedia: Sendable, Equatable {
    /// The `Content-Type` header as sent (parameters included); empty when there was none.
    public var contentType: String
    public var bytes: [UInt8]

    public init(contentType: String, bytes: [UInt8]) {
        self.contentType = contentType
        self.bytes = bytes
    }
}
