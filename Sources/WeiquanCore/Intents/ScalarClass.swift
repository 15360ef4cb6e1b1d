/// Character classes the matcher needs, with fast paths for ASCII and the CJK block.
enum ScalarClass {
    /// True for letters: ASCII letters, CJK ideographs and other alphabetic scalars (not digits).
    @inline(__always)
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A)
        }
        if value >= 0x4E00 && value <= 0x9FFF { return true }
        return scalar.properties.isAlphabetic
    }

    /// 1 for an ASCII letter, 2 for an ASCII digit, 0 for anything else.
    @inline(__always)
    static func ascii(_ value: UInt32) -> Int {
        if (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A) { return 1 }
        if value >= 0x30 && value <= 0x39 { return 2 }
        return 0
    }

    /// The distinct bigrams of adjacent letters, as `first << 32 | second`, sorted.
    static func bigrams(of scalars: [Unicode.Scalar]) -> [UInt64] {
        guard scalars.count >= 2 else { return [] }
        var result: [UInt64] = []
        result.reserveCapacity(scalars.count)
        var previous: UInt32?
        for scalar in scalars {
            if Self.isLetter(scalar) {
                if let previous {
                    result.append(UInt64(previous) << 32 | UInt64(scalar.value))
                }
                previous = scalar.value
            } else {
                previous = nil
            }
        }
        guard result.count > 1 else { return result }
        result.sort()
        var unique = 1
        for index in 1..<result.count where result[index] != result[unique - 1] {
            result[unique] = result[index]
            unique += 1
        }
        result.removeLast(result.count - unique)
        return result
    }

    /// Length for the default keyword weight: one per non-ASCII character, and one per started
    /// three letters or digits of an ASCII word (`logo` counts 2, `hi` counts 1); spaces do not count.
    static func effectiveLength(_ text: String) -> Int {
        var length = 0
        var asciiRun = 0
        for scalar in text.unicodeScalars {
            if Self.ascii(scalar.value) != 0 {
                asciiRun += 1
                continue
            }
            length += (asciiRun + 2) / 3
            asciiRun = 0
            if scalar.properties.isWhitespace { continue }
            length += 1
        }
        return length + (asciiRun + 2) / 3
    }
}
