/// Mainland China mobile numbers (ip-domain.md §6.4): `1[3-9]` and 9 more digits.
public enum MobileNumber {
    /// Reads a whole answer as a mobile number and returns its 11 digits.
    ///
    /// Strips a `+86`/`0086`/`86` prefix (optionally in parentheses), spaces and hyphens; accepts full-width
    /// digits and trailing sentence punctuation.
    public static func parse(_ text: String) -> String? {
        let normalized = TextNormalizer().normalize(text)
        return TextBytes.withBytes(normalized) { bytes in
            guard let match = Self.scan(bytes, at: 0),
                TextBytes.endAfterTrailingPunctuation(bytes, from: match.end) != nil
            else {
                return nil
            }
            return match.digits
        }
    }

    /// A mobile number read at one position of normalised bytes.
    struct Match {
        /// The 11 digits.
        var digits: String
        /// Index after the last digit.
        var end: Int
    }

    /// Reads `[(][+86|0086|86][)][ |-]1[3-9]d{9}` (single spaces or hyphens between digits) at `start`.
    /// The digits must not be followed by another digit.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Match? {
        var index = start
        let parenthesis = TextBytes.byte(bytes, index) == UInt8(ascii: "(")
        if parenthesis { index += 1 }
        var prefixEnd: Int?
        for prefix: StaticString in ["+86", "0086", "86"] {
            if let next = TextBytes.skip(prefix, in: bytes, at: index) {
                prefixEnd = next
                break
            }
        }
        if let afterPrefix = prefixEnd {
            var next = afterPrefix
            if parenthesis {
                guard TextBytes.byte(bytes, next) == UInt8(ascii: ")") else { return nil }
                next += 1
            }
            if let byte = TextBytes.byte(bytes, next), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") {
                next += 1
            }
            if let match = Self.scanDigits(bytes, at: next) {
                return match
            }
        }
        if parenthesis { return nil }
        return Self.scanDigits(bytes, at: start)
    }

    private static func scanDigits(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Match? {
        guard TextBytes.byte(bytes, start) == UInt8(ascii: "1"),
            let second = TextBytes.byte(bytes, start + 1), second >= UInt8(ascii: "3") && second <= UInt8(ascii: "9")
        else {
            return nil
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(11)
        var index = start
        while digits.count < 11 {
            guard let byte = TextBytes.byte(bytes, index) else { return nil }
            if TextBytes.isDigit(byte) {
                digits.append(byte)
                index += 1
            } else if (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-")) && !digits.isEmpty
                && TextBytes.digit(bytes, index + 1)
            {
                index += 1
            } else {
                return nil
            }
        }
        guard !TextBytes.digit(bytes, index) else { return nil }
        return Match(digits: String(decoding: digits, as: UTF8.self), end: index)
    }
}
