/// Byte-level checks over normalised UTF-8 text (see ``TextNormalizer``): ASCII is half-width and lower-case.
enum TextBytes {
    /// `0`–`9`.
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    /// `a`–`z` or `A`–`Z`.
    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }

    /// An ASCII letter or digit.
    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool { Self.isDigit(byte) || Self.isLetter(byte) }

    /// The decimal value of some ASCII digits.
    static func decimalValue<Digits: Collection>(_ digits: Digits) -> Int where Digits.Element == UInt8 {
        digits.reduce(0) { $0 * 10 + Int($1 &- 0x30) }
    }

    /// The byte at `index`, or nil past either end.
    @inline(__always)
    static func byte(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt8? {
        index >= 0 && index < bytes.count ? bytes[index] : nil
    }

    /// Whether the byte at `index` is an ASCII digit.
    @inline(__always)
    static func digit(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        guard let byte = Self.byte(bytes, index) else { return false }
        return Self.isDigit(byte)
    }

    /// Whether the byte at `index` is an ASCII letter.
    @inline(__always)
    static func letter(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        guard let byte = Self.byte(bytes, index) else { return false }
        return Self.isLetter(byte)
    }

    /// Whether the byte at `index` is an ASCII letter or digit.
    @inline(__always)
    static func alphanumeric(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        guard let byte = Self.byte(bytes, index) else { return false }
        return Self.isAlphanumeric(byte)
    }

    /// Whether `sequence` (a short literal, such as the UTF-8 of one Chinese character) starts at `index`.
    @inline(__always)
    static func has(_ sequence: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        sequence.withUTF8Buffer { literal in
            guard index >= 0, index + literal.count <= bytes.count else { return false }
            for offset in 0..<literal.count where bytes[index + offset] != literal[offset] {
                return false
            }
            return true
        }
    }

    /// Index past an ASCII byte or a literal at `index`, if it is there.
    @inline(__always)
    static func skip(_ sequence: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        guard Self.has(sequence, in: bytes, at: index) else { return nil }
        return index + sequence.withUTF8Buffer { $0.count }
    }

    /// Index past a run of separators an answer may put between a label and a number:
    /// spaces, `:`, `是`, `为`, at most `limit` of them.
    static func skipLabelSeparators(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int, limit: Int = 3) -> Int {
        var position = index
        var skipped = 0
        while skipped < limit {
            if let next = Self.skip(" ", in: bytes, at: position)
                ?? Self.skip(":", in: bytes, at: position)
                ?? Self.skip("是", in: bytes, at: position)
                ?? Self.skip("为", in: bytes, at: position)
            {
                position = next
                skipped += 1
            } else {
                break
            }
        }
        return position
    }

    /// Index of the end of `bytes` if only spaces and sentence punctuation (`.,!?;~`) follow `index`, else nil.
    static func endAfterTrailingPunctuation(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int? {
        var position = index
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "!"), UInt8(ascii: "?"),
                UInt8(ascii: ";"), UInt8(ascii: "~"):
                position += 1
            default:
                return nil
            }
        }
        return position
    }

    /// Whether the UTF-8 of `pattern` occurs in `text`'s (an empty pattern occurs everywhere). A plain search:
    /// the texts are messages and templates, the patterns words; the standard library's generic
    /// `firstRange(of:)` costs as much as understanding the message.
    static func contains(_ pattern: String, in text: String) -> Bool {
        Self.withBytes(text) { bytes in
            Self.withBytes(pattern) { pattern in Self.firstIndex(of: pattern, in: bytes) != nil }
        }
    }

    /// Where `pattern` first occurs in `bytes`, or nil (0 for an empty pattern).
    static func firstIndex(of pattern: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = pattern.first else { return 0 }
        guard pattern.count <= bytes.count else { return nil }
        var start = 0
        while start <= bytes.count - pattern.count {
            if bytes[start] == first {
                var offset = 1
                while offset < pattern.count, bytes[start + offset] == pattern[offset] { offset += 1 }
                if offset == pattern.count { return start }
            }
            start += 1
        }
        return nil
    }

    /// Runs `body` over the UTF-8 bytes of `text` without copying when the string is native.
    @inline(__always)
    static func withBytes<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) {
            return result
        }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }
}
