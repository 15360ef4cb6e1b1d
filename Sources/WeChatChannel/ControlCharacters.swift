/// The characters the channel removes from WeChat bodies and from the text it writes.
///
/// WeChat forwards user text with C0 control characters (U+0002, U+0010, U+001D, …) unescaped inside CDATA,
/// although XML 1.0 forbids them; several XML stacks fail on them. The channel removes C0 controls except tab,
/// line feed and carriage return, and DEL (U+007F). Those bytes never occur inside a multi-byte UTF-8 sequence,
/// so removing them byte-wise leaves the rest of the text intact.
enum ControlCharacters {
    /// Whether `byte` is one of the removed control characters.
    @inline(__always)
    static func isStripped(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
    }

    /// Whether `bytes` hold a removed control character: a word of 8 bytes at a time, most of which have no byte
    /// below 0x20 and no DEL.
    static func occur(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index + 8 <= bytes.count {
            let word = ByteWords.word(bytes, at: index)
            if ByteWords.hasByte(in: word, below: 0x20) || ByteWords.hasByte(in: word, equalTo: 0x7F) {
                for offset in index..<index + 8 where Self.isStripped(bytes[offset]) { return true }
            }
            index += 8
        }
        for offset in index..<bytes.count where Self.isStripped(bytes[offset]) { return true }
        return false
    }

    /// Whether the Unicode scalar value is one of the removed control characters.
    @inline(__always)
    static func isStripped(scalar value: UInt32) -> Bool {
        value < 0x80 && Self.isStripped(UInt8(value))
    }
}
