import Foundation

/// Base64 decoding of the safe-mode key and ciphertexts: Foundation's decoder, behind a check of the shape.
///
/// Foundation's `Data(base64Encoded:)` decodes standard base64 (RFC 4648 alphabet, `=` padding) and, like
/// Python's `base64.b64decode`, ignores the unused low bits of the last character, which a real EncodingAESKey's
/// 43rd character usually has set (protocol §4.2). It is lenient about padding where WeChat's base64 is not: it
/// accepts `=` inside the text (`ab=c`), a quartet of padding alone (`====`) and a third `=` (`YWJjZA===`). This
/// wrapper refuses those before Foundation decodes: only alphabet characters, a length that is a multiple of four,
/// at most two `=` and only at the end. Encoding needs no wrapper: `base64EncodedString()` writes exactly that.
enum WeChatBase64 {
    /// The bytes of base64 `text`, or nil when it is not padded standard base64.
    static func decode(_ text: some Collection<UInt8>) -> Data? {
        let bytes = Data(text)
        guard bytes.count % 4 == 0 else { return nil }
        let padding = bytes.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard padding <= 2, bytes.dropLast(padding).allSatisfy(Self.isAlphabet) else { return nil }
        return Data(base64Encoded: bytes)
    }

    /// `A`–`Z`, `a`–`z`, `0`–`9`, `+` and `/`.
    private static func isAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }
}
