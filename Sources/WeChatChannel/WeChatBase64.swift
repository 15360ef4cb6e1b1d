/// Base64 decoding of the safe-mode key and ciphertexts: standard base64 as WeChat writes it, and nothing else.
///
/// It decodes the RFC 4648 alphabet with `=` padding and, like Foundation's `Data(base64Encoded:)` and Python's
/// `base64.b64decode`, ignores the unused low bits of the last character, which a real EncodingAESKey's 43rd
/// character usually has set (protocol §4.2). It is strict where those two are lenient: only alphabet characters, a
/// length that is a multiple of four, at most two `=` and only at the end (`ab=c`, `====` and `YWJjZA===` are
/// refused). Written out rather than wrapping Foundation's decoder: the wrapper's checks over `Data` and the second
/// pass cost 1.6 % of a safe-mode message's time. Encoding needs no decoder of ours: `base64EncodedString()`
/// writes exactly this form.
enum WeChatBase64 {
    /// The bytes of base64 `text`, or nil when it is not padded standard base64.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        if let decoded = text.withContiguousStorageIfAvailable({ Self.decode(buffer: $0) }) {
            return decoded
        }
        return Array(text).withUnsafeBufferPointer { Self.decode(buffer: $0) }
    }

    private static func decode(buffer text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = text.count
        guard count % 4 == 0 else { return nil }
        guard count > 0 else { return [] }
        // At most two `=` are padding; a third, or one inside the text, fails the alphabet's lookup below.
        var padding = 0
        if text[count - 1] == UInt8(ascii: "=") {
            padding = text[count - 2] == UInt8(ascii: "=") ? 2 : 1
        }
        let end = count - padding
        let decodedCount = count / 4 * 3 - padding
        var valid = true
        let values = Self.values
        let bytes = [UInt8](unsafeUninitializedCapacity: decodedCount) { output, initialized in
            var index = 0
            var written = 0
            while index + 4 <= end {
                let a = values[Int(text[index])]
                let b = values[Int(text[index + 1])]
                let c = values[Int(text[index + 2])]
                let d = values[Int(text[index + 3])]
                guard (a | b | c | d) & Self.invalid == 0 else {
                    valid = false
                    return
                }
                let quartet = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                output[written] = UInt8(truncatingIfNeeded: quartet >> 16)
                output[written + 1] = UInt8(truncatingIfNeeded: quartet >> 8)
                output[written + 2] = UInt8(truncatingIfNeeded: quartet)
                written += 3
                initialized = written
                index += 4
            }
            if padding > 0 {
                // The last quartet: two characters for one byte, three for two; their unused low bits are ignored.
                let a = values[Int(text[index])]
                let b = values[Int(text[index + 1])]
                let c = padding == 1 ? values[Int(text[index + 2])] : 0
                guard (a | b | c) & Self.invalid == 0 else {
                    valid = false
                    return
                }
                let quartet = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                output[written] = UInt8(truncatingIfNeeded: quartet >> 16)
                if padding == 1 {
                    output[written + 1] = UInt8(truncatingIfNeeded: quartet >> 8)
                }
                initialized = decodedCount
            }
        }
        return valid ? bytes : nil
    }

    /// Marks a byte outside the alphabet in ``values``.
    private static let invalid: UInt8 = 0x80

    /// The 6-bit value of each alphabet byte (`A`–`Z`, `a`–`z`, `0`–`9`, `+`, `/`), ``invalid`` for every other.
    private static let values: [UInt8] = {
        var values = [UInt8](repeating: Self.invalid, count: 256)
        for (value, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            values[Int(byte)] = UInt8(value)
        }
        return values
    }()
}
