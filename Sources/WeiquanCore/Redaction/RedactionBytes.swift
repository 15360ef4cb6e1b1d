/// Byte-level helpers the redaction detectors share, over the bytes of a ``RedactionText``.
enum RedactionBytes {
    /// A short word as normalised UTF-8 (simplified, lower-case), for matching by bytes.
    typealias Word = [UInt8]

    /// The words as UTF-8 byte arrays, longest first (so the longest of overlapping labels wins).
    static func words(_ list: [String]) -> [Word] {
        list.map { Array($0.utf8) }.sorted { $0.count > $1.count }
    }

    /// The scalar that starts at `index` and its length in bytes, or nil past the end or inside a scalar.
    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        guard index >= 0, index < bytes.count else { return nil }
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0x00..<0x80: return (Unicode.Scalar(lead), 1)
        case 0xC0..<0xE0: (length, value) = (2, UInt32(lead & 0x1F))
        case 0xE0..<0xF0: (length, value) = (3, UInt32(lead & 0x0F))
        case 0xF0..<0xF8: (length, value) = (4, UInt32(lead & 0x07))
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// The start of the scalar that ends just before `index`, or nil at the start.
    static func scalarStart(before index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var position = index - 1
        while position >= 0, bytes[position] & 0xC0 == 0x80 {
            position -= 1
        }
        return position >= 0 ? position : nil
    }

    /// Whether a scalar is a CJK ideograph (the blocks people write Chinese in).
    static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: true
        default: false
        }
    }

    /// Whether the scalar at `index` is a CJK ideograph.
    static func han(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard let (scalar, _) = Self.scalar(bytes, at: index) else { return false }
        return Self.isHan(scalar)
    }

    /// Whether `word` starts at `index`.
    static func has(_ word: Word, in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index >= 0, index + word.count <= bytes.count else { return false }
        for offset in 0..<word.count where bytes[index + offset] != word[offset] {
            return false
        }
        return true
    }

    /// The first of `words` (longest first) that starts at `index`: the index after it.
    static func skip(_ words: [Word], in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        for word in words where Self.has(word, in: bytes, at: index) {
            return index + word.count
        }
        return nil
    }

    /// The first of `words` (longest first) that ends just before `index`: the index where it starts.
    ///
    /// A word that starts with an ASCII letter does not count when a letter comes right before it (`qq`
    /// is not found in `aqq`).
    static func word(_ words: [Word], in bytes: UnsafeBufferPointer<UInt8>, endingAt index: Int) -> Int? {
        for word in words where Self.has(word, in: bytes, at: index - word.count) {
            let start = index - word.count
            if let first = word.first, TextBytes.isLetter(first), TextBytes.letter(bytes, start - 1) {
                continue
            }
            return start
        }
        return nil
    }

    /// Separators people put between a label and its value: spaces, `:`, `=`, `是`, `为`.
    private static let labelSeparators = Self.words([" ", ":", "=", "是", "为"])

    /// Index past at most `limit` label separators from `index` on.
    static func skipLabelSeparators(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int, limit: Int = 3) -> Int {
        var position = index
        for _ in 0..<limit {
            guard let next = Self.skip(Self.labelSeparators, in: bytes, at: position) else { break }
            position = next
        }
        return position
    }

    /// Index of the start of the label separators (at most `limit`) that end just before `index`.
    static func skipLabelSeparators(_ bytes: UnsafeBufferPointer<UInt8>, backFrom index: Int, limit: Int = 3) -> Int {
        var position = index
        for _ in 0..<limit {
            guard let start = Self.word(Self.labelSeparators, in: bytes, endingAt: position) else { break }
            position = start
        }
        return position
    }
}
