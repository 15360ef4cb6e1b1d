/// Reads the parts of something written like a patent number from normalised UTF-8 bytes.
///
/// Shared by ``PatentNumberParser`` (a whole answer, lenient about spaces) and ``EntityExtractor``
/// (free text, strict: spaces only where ZC 0006-2003 allows them).
enum PatentNumberScanner {
    /// What was read at one position.
    struct Candidate {
        /// `CN` or `ZL` was written in front.
        var hasPrefix: Bool
        /// Number of digits read, the check digit included when it was not separated.
        var digitCount: Int
        /// Check character given after a dot or as `x` (ASCII, upper-case `X`), if any.
        var explicitCheck: Bool
        /// The check character, if any: explicit, or the last of 9 or 13 running digits.
        var check: UInt8?
        /// The digits before the check character.
        var body: [UInt8]
        /// Index after everything read.
        var end: Int
    }

    /// Reads a candidate starting at `start` (at a `cn`/`zl` prefix or a digit), or nil.
    ///
    /// In strict mode a single space is allowed only after the year, after the type digit and between groups of
    /// four digits, the check
    /// character must follow the dot (or the digits, for `x`) directly, and a letter right after the
    /// digits rejects the candidate. Lenient mode allows single spaces anywhere between digits and around
    /// the dot.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, lenient: Bool) -> Candidate? {
        var index = start
        var hasPrefix = false
        if TextBytes.has("cn", in: bytes, at: index) || TextBytes.has("zl", in: bytes, at: index) {
            hasPrefix = true
            index += 2
            if TextBytes.byte(bytes, index) == UInt8(ascii: " ") && TextBytes.digit(bytes, index + 1) {
                index += 1
            }
        }
        guard TextBytes.digit(bytes, index) else { return nil }
        let digitStart = index
        var count = 0
        var spaceMask: UInt64 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if TextBytes.isDigit(byte) {
                count += 1
                index += 1
                continue
            }
            if byte == UInt8(ascii: " "), TextBytes.digit(bytes, index + 1), count < 64,
                lenient || (count >= 2 && count <= 5) || count == 8
            {
                spaceMask |= 1 << UInt64(count)
                index += 1
                continue
            }
            break
        }
        let digitEnd = index

        var check: UInt8?
        var explicitCheck = false
        var end = digitEnd
        var probe = digitEnd
        if lenient && TextBytes.byte(bytes, probe) == UInt8(ascii: " ")
            && (TextBytes.byte(bytes, probe + 1) == UInt8(ascii: ".")
                || TextBytes.byte(bytes, probe + 1) == UInt8(ascii: "x"))
        {
            probe += 1
        }
        if TextBytes.byte(bytes, probe) == UInt8(ascii: ".") {
            var checkIndex = probe + 1
            if lenient && TextBytes.byte(bytes, checkIndex) == UInt8(ascii: " ") {
                checkIndex += 1
            }
            if let byte = TextBytes.byte(bytes, checkIndex), TextBytes.isDigit(byte) || byte == UInt8(ascii: "x"),
                !TextBytes.alphanumeric(bytes, checkIndex + 1)
            {
                check = byte == UInt8(ascii: "x") ? UInt8(ascii: "X") : byte
                explicitCheck = true
                end = checkIndex + 1
            }
        } else if TextBytes.byte(bytes, probe) == UInt8(ascii: "x"), !TextBytes.alphanumeric(bytes, probe + 1) {
            check = UInt8(ascii: "X")
            explicitCheck = true
            end = probe + 1
        }
        if !explicitCheck && TextBytes.letter(bytes, digitEnd) {
            return nil
        }

        let bodyCount: Int
        if !explicitCheck && (count == 13 || count == 9) {
            bodyCount = count - 1
        } else {
            bodyCount = count
        }
        if !lenient {
            let allowed: UInt64
            // ZC 0006-2003's spaces after the year and the type digit, and groups of four as people type them
            // from a certificate (`2013 1026 8509.X`, `0213 9508.X`).
            switch bodyCount {
            case 12: allowed = (1 << 4) | (1 << 5) | (1 << 8)
            case 8: allowed = (1 << 2) | (1 << 3) | (1 << 4)
            default: allowed = 0
            }
            if spaceMask & ~allowed != 0 {
                return nil
            }
        }
        var body: [UInt8] = []
        body.reserveCapacity(count)
        for position in digitStart..<digitEnd where TextBytes.isDigit(bytes[position]) {
            body.append(bytes[position])
        }
        if bodyCount < count, let last = body.popLast() {
            check = last
        }
        return Candidate(
            hasPrefix: hasPrefix, digitCount: count,
            explicitCheck: explicitCheck, check: check, body: body, end: end)
    }

    /// The digits as the user wrote them: body, then `.` and the check character when there is one.
    static func writtenDigits(_ candidate: Candidate) -> String {
        var text = String(decoding: candidate.body, as: UTF8.self)
        if let check = candidate.check {
            text += "." + String(Character(Unicode.Scalar(check)))
        }
        return text
    }
}
