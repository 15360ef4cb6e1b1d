import Foundation

/// What became of one piece of evidence the applicant sent with the form (a picture, a voice message, a video, a
/// file): fetched from WeChat's temporary media API and kept, or why it could not be.
///
/// `number` is the evidence's place among the case's ``CaseRecord/attachments`` (1 for the first); staff fetch the
/// bytes as `GET /api/v1/cases/{id}/evidence/{number}`.
public struct CaseEvidence: Codable, Sendable, Equatable {
    /// Where the evidence stands.
    public enum Status: String, Codable, Sendable {
        /// Not fetched yet (or being retried).
        case pending
        /// Kept: ``contentType``, ``size`` and ``sha256`` say what.
        case fetched
        /// Not kept, for good: ``reason`` says why.
        case failed
    }

    /// Why evidence could not be kept (stable codes; clients branch on them).
    public enum FailureReason: String, Codable, Sendable {
        /// WeChat no longer has it (40007, invalid or expired media id: temporary media live 3 days).
        case expired
        /// Larger than the configured limit (`evidence.max_bytes`).
        case tooLarge = "too_large"
        /// A content type outside the configured allow-list (`evidence.content_types`).
        case contentType = "content_type"
        /// WeChat could not be reached, or kept failing, through every attempt.
        case unreachable
        /// WeChat refused it with another error code (``CaseEvidence/code``).
        case rejected
    }

    public var number: Int
    /// WeChat's MediaId.
    public var mediaID: String
    public var status: Status
    /// The media type as WeChat sent it (`image/jpeg`), without parameters; also for a refused type.
    public var contentType: String?
    /// Bytes, once fetched (or the size announced when it was too large).
    public var size: Int?
    /// Lowercase hex of the bytes' SHA-256, once fetched.
    public var sha256: String?
    public var reason: FailureReason?
    /// WeChat's errcode or the local code of the last failure, when there was one.
    public var code: Int?
    /// When it was fetched or given up.
    public var at: Date

    public init(
        number: Int, mediaID: String, status: Status, contentType: String? = nil, size: Int? = nil,
        sha256: String? = nil, reason: FailureReason? = nil, code: Int? = nil, at: Date
    ) {
        self.number = number
        self.mediaID = mediaID
        self.status = status
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.reason = reason
        self.code = code
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case number, status, size, sha256, reason, code, at
        case mediaID = "media_id"
        case contentType = "content_type"
    }
}

extension CaseRecord {
    /// The attachments that name WeChat media (a MediaId: letters, digits, `_` and `-`), with their numbers; URLs
    /// (links, a picture's PicUrl) and file titles are not media and are not fetched.
    public var mediaAttachments: [(number: Int, mediaID: String)] {
        self.attachments.enumerated().compactMap { index, reference in
            Self.isMediaID(reference) ? (index + 1, reference) : nil
        }
    }

    /// Records what became of one piece of evidence, replacing what was known of the same number.
    public mutating func recordEvidence(_ evidence: CaseEvidence) {
        self.evidence.removeAll { $0.number == evidence.number }
        self.evidence.append(evidence)
        self.evidence.sort { $0.number < $1.number }
    }

    static func isMediaID(_ reference: String) -> Bool {
        let bytes = reference.utf8
        return (1...256).contains(bytes.count)
            && bytes.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == 0x5F || byte == 0x2D
            }
    }
}
