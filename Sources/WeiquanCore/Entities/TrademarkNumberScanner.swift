/// Reads a trademark number from normalised UTF-8 bytes.
enum TrademarkNumberScanner {
    /// A number read at one position.
    struct Match {
        /// The number.
        var number: TrademarkNumber
        /// Index after the number (and after `号` when it was read).
        var end: Int
        /// The number was written inside `第…号`.
        var ordinal: Bool
    }

    /// Reads `[第][ ][g[ ]]digits[suffix][ ][号]` at `start`.
    ///
    /// - Parameters:
    ///   - minimumDigits: fewest digits accepted (1, or 6 for a bare `g` number in free text).
    ///   - requireOrdinalClose: when the number opens with `第`, `号` must close it.
    static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, at start: Int, minimumDigits: Int = 1, requireOrdinalClose: Bool
    ) -> Match? {
        var index = start
        var ordinal = false
        if let next = TextBytes.skip("第", in: bytes, at: index) {
            ordinal = true
            index = next
            if TextBytes.byte(bytes, index) == UInt8(ascii: " ") { index += 1 }
        }
        var prefix = ""
        if TextBytes.byte(bytes, index) == UInt8(ascii: "g") || TextBytes.byte(bytes, index) == UInt8(ascii: "G") {
            prefix = "G"
            index += 1
            if TextBytes.byte(bytes, index) == UInt8(ascii: " ") { index += 1 }
        }
        let digitStart = index
        while TextBytes.digit(bytes, index) { index += 1 }
        let digitCount = index - digitStart
        guard digitCount >= minimumDigits, digitCount <= 8 else { return nil }
        let digitEnd = index
        guard bytes[digitStart..<digitEnd].contains(where: { $0 != UInt8(ascii: "0") }) else { return nil }
        while index - digitEnd < 3 && TextBytes.letter(bytes, index) { index += 1 }
        let suffixCount = index - digitEnd
        guard suffixCount <= 2 else { return nil }
        var suffix = ""
        if suffixCount > 0 {
            suffix = String(decoding: UnsafeBufferPointer(rebasing: bytes[digitEnd..<index]), as: UTF8.self)
                .uppercased()
        }
        var end = index
        var probe = index
        if TextBytes.byte(bytes, probe) == UInt8(ascii: " ") { probe += 1 }
        if let next = TextBytes.skip("号", in: bytes, at: probe) {
            end = next
        } else if ordinal && requireOrdinalClose {
            return nil
        }
        let digits = String(decoding: UnsafeBufferPointer(rebasing: bytes[digitStart..<digitEnd]), as: UTF8.self)
        return Match(
            number: TrademarkNumber(uncheckedPrefix: prefix, digits: digits, suffix: suffix), end: end, ordinal: ordinal
        )
    }
}
