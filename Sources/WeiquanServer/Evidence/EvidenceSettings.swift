import Foundation

/// The `evidence` section of the configuration: how media the applicants send are fetched and kept.
public struct EvidenceSettings: Decodable, Sendable, Equatable {
    /// Larger media are not kept (the case says `too_large`); 10 MB by default.
    public var maxBytes: Int
    /// The media types kept (without parameters, lowercase); anything else is refused (`content_type`).
    public var contentTypes: [String]
    /// After this many attempts that failed transiently (WeChat busy, unreachable), the evidence is given up
    /// (`unreachable`); the back-off doubles from 1 s up to 5 minutes between attempts.
    public var maxAttempts: Int
    /// The longest one download may take.
    public var fetchTimeoutSeconds: Int

    public init(
        maxBytes: Int = 10 * 1024 * 1024, contentTypes: [String] = Self.defaultContentTypes, maxAttempts: Int = 8,
        fetchTimeoutSeconds: Int = 60
    ) {
        self.maxBytes = maxBytes
        self.contentTypes = contentTypes
        self.maxAttempts = maxAttempts
        self.fetchTimeoutSeconds = fetchTimeoutSeconds
    }

    /// Pictures, voice (AMR, MP3, Speex as WeChat labels it), MP4 video and PDF.
    public static let defaultContentTypes = [
        "image/jpeg", "image/png", "image/gif", "image/webp", "audio/amr", "audio/mpeg", "audio/mp3", "audio/speex",
        "voice/speex", "video/mp4", "application/pdf",
    ]

    /// Whether `contentType` (as sent, parameters and case allowed) is on the allow-list.
    public func allows(_ contentType: String) -> Bool {
        self.contentTypes.contains(Self.mediaType(contentType))
    }

    /// `Image/JPEG; charset=x` → `image/jpeg`.
    public static func mediaType(_ contentType: String) -> String {
        let bare = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        return bare.trimmingCharacters(in: .whitespaces).lowercased()
    }

    enum CodingKeys: String, CodingKey {
        case maxBytes = "max_bytes"
        case contentTypes = "content_types"
        case maxAttempts = "max_attempts"
        case fetchTimeoutSeconds = "fetch_timeout_seconds"
    }
}
