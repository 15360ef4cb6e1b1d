/// An error from the WeChat channel: a rejected inbound body, or a protocol value that could not be used.
///
/// `message` describes the problem in terms of the protocol (element names, byte offsets); it never quotes
/// user content, so it is safe to log.
public struct WeChatError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, as a stable value to switch on, count in metrics, or assert in tests.
    public enum Code: Sendable, Hashable, CustomStringConvertible {
        /// The body is empty, or holds only whitespace and control characters.
        case emptyBody
        /// The body is larger than ``WeChatXML/maximumBodySize``.
        case bodyTooLarge
        /// The body is not well-formed XML of the accepted subset (bad tag, stray `<` or `&`, no root, …).
        case malformed
        /// The root element is not `<xml>`.
        case unexpectedRoot
        /// A `<!DOCTYPE …>` declaration (the door to XXE and entity-expansion attacks).
        case doctypeForbidden
        /// An `<!ENTITY …>` declaration.
        case entityDeclarationForbidden
        /// Any other `<!…>` markup except CDATA sections: comments, `<!ELEMENT`, `<!ATTLIST`, ….
        case declarationForbidden
        /// A processing instruction `<?…?>` other than the leading XML declaration.
        case processingInstructionForbidden
        /// A named entity reference other than the five predefined ones (`&lt;` `&gt;` `&amp;` `&apos;` `&quot;`).
        case unknownEntity
        /// A numeric character reference that is malformed or names no allowed character.
        case invalidCharacterReference
        /// A `<![CDATA[` section without its closing `]]>`.
        case unclosedCDATA
        /// The body ends before an element is closed.
        case unclosedTag
        /// A closing tag that does not match the open element.
        case mismatchedTag
        /// Elements nested more than ``WeChatXML/maximumDepth`` levels below the root.
        case tooDeep
        /// More than ``WeChatXML/maximumElementCount`` elements.
        case tooManyElements
        /// Something other than whitespace after the root element.
        case trailingContent
        /// A required element (`ToUserName`, `FromUserName`, `CreateTime`, `MsgType`) is absent or blank.
        case missingField(String)
        /// `CreateTime` is not a non-negative decimal integer that fits in 64 bits.
        case invalidCreateTime

        // Safe and compatible mode (protocol §4): ``WeChatCipher`` and ``WeChatSafeMode``.

        /// The configured EncodingAESKey is not 43 base64 characters that decode (with `=` appended) to 32 bytes.
        case invalidEncodingAESKey
        /// The configured AppID is empty.
        case invalidAppID
        /// The `msg_signature` does not match token, timestamp, nonce and `Encrypt`; nothing was decrypted.
        case badSignature
        /// `Encrypt` is not standard padded base64.
        case invalidBase64
        /// The ciphertext is empty or not a multiple of the 16-byte AES block.
        case invalidCiphertextLength
        /// The decrypted data does not end in a valid 32-byte-block PKCS#7 pad (1…32 bytes, all equal to the count).
        case invalidPadding
        /// The decrypted data is shorter than its 20-byte header, or its length field points beyond the data.
        case invalidLengthField
        /// The AppID inside the decrypted data is not this account's.
        case appIDMismatch
        /// The decrypted message is not valid UTF-8.
        case invalidUTF8

        /// A stable snake-case identifier, e.g. `doctype_forbidden` or `missing_field(MsgType)`.
        public var description: String {
            switch self {
            case .emptyBody: "empty_body"
            case .bodyTooLarge: "body_too_large"
            case .malformed: "malformed"
            case .unexpectedRoot: "unexpected_root"
            case .doctypeForbidden: "doctype_forbidden"
            case .entityDeclarationForbidden: "entity_declaration_forbidden"
            case .declarationForbidden: "declaration_forbidden"
            case .processingInstructionForbidden: "processing_instruction_forbidden"
            case .unknownEntity: "unknown_entity"
            case .invalidCharacterReference: "invalid_character_reference"
            case .unclosedCDATA: "unclosed_cdata"
            case .unclosedTag: "unclosed_tag"
            case .mismatchedTag: "mismatched_tag"
            case .tooDeep: "too_deep"
            case .tooManyElements: "too_many_elements"
            case .trailingContent: "trailing_content"
            case .missingField(let name): "missing_field(\(name))"
            case .invalidCreateTime: "invalid_create_time"
            case .invalidEncodingAESKey: "invalid_encoding_aes_key"
            case .invalidAppID: "invalid_app_id"
            case .badSignature: "bad_signature"
            case .invalidBase64: "invalid_base64"
            case .invalidCiphertextLength: "invalid_ciphertext_length"
            case .invalidPadding: "invalid_padding"
            case .invalidLengthField: "invalid_length_field"
            case .appIDMismatch: "app_id_mismatch"
            case .invalidUTF8: "invalid_utf8"
            }
        }
    }

    /// The kind of failure.
    public let code: Code
    /// A clear, log-safe explanation.
    public let message: String
    /// The byte offset in the body (after control characters were stripped) where the problem was found, if any.
    public let offset: Int?

    /// Creates an error.
    public init(code: Code, message: String, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    /// The code, the message and, when known, the offset.
    public var description: String {
        if let offset = self.offset {
            return "WeChatError(\(self.code)): \(self.message) (at byte \(offset))"
        }
        return "WeChatError(\(self.code)): \(self.message)"
    }

    /// A required element is absent or blank.
    public static func missingField(_ name: String) -> WeChatError {
        WeChatError(code: .missingField(name), message: "required element <\(name)> is missing or empty")
    }
}
