/// Cuts text that ``TextNormalizer`` has normalised into the terms the knowledge index counts, each as one 64-bit key.
///
/// - A run of Chinese characters gives each character (a unigram) and each pair of neighbours (a bigram): Chinese
///   is written without spaces, and bigrams carry most of the meaning (`专利`, `侵权`, `下架`) while unigrams catch
///   the rest (`被`, a word split differently).
/// - A run of letters and digits is one word (`amazon`, `337`, `tro`); single letters and digits are dropped.
/// - Everything else (spaces, punctuation) separates runs.
/// - Stop characters (``stopCharacters``: particles, pronouns, question words — 的 了 吗 我 你 怎 么 什 …) give no
///   unigram, and no bigram is made with one, so that `怎么办` or `我想问一下` say next to nothing.
///
/// Keys: a character is its scalar value (below 2²¹); a bigram is `1 << 62 | first << 21 | second`; a word is
/// `2 << 62` and the low 62 bits of the FNV-1a hash of its UTF-8 bytes (two words of one hash would only be counted as
/// one term). Keys at or above `1 << 62` are the specific terms (``isSpecific(_:)``).
enum KnowledgeTerms {
    /// Characters that say nothing about what a question is about. Kept short on purpose: a character that is also
    /// part of a content word (会 in 展会, 请 in 申请, 可 in 许可, 和 in 和解, 下 in 下架, 在 in 在先) is not here.
    static let stopCharacters: Set<UInt32> = Set(
        "的了吗呢吧啊呀么嘛哦哈我你您他她它们这那哪是与及或就都也还很问怎什如何啥些该想一".unicodeScalars.map(\.value))

    private static let bigramTag: UInt64 = 1 << 62
    private static let wordTag: UInt64 = 2 << 62

    /// Whether the term says something on its own: a pair of characters or a word, not a single character. Only these
    /// count towards ``KnowledgeMatch/confidence``; single characters help the ranking.
    @inline(__always)
    static func isSpecific(_ key: UInt64) -> Bool { key >= Self.bigramTag }

    /// The terms of `normalized`, in order, with repeats, appended to `terms`.
    static func append(_ normalized: String, to terms: inout [UInt64]) {
        var previous: UInt32?
        var word: UInt64 = 0xcbf2_9ce4_8422_2325
        var wordLength = 0
        func endWord() {
            if wordLength >= 2 { terms.append(Self.wordTag | (word & (Self.bigramTag - 1))) }
            word = 0xcbf2_9ce4_8422_2325
            wordLength = 0
        }
        for scalar in normalized.unicodeScalars {
            let value = scalar.value
            if Self.isHan(value) {
                endWord()
                if Self.stopCharacters.contains(value) {
                    previous = nil
                    continue
                }
                if let previous { terms.append(Self.bigramTag | UInt64(previous) << 21 | UInt64(value)) }
                terms.append(UInt64(value))
                previous = value
            } else if value < 0x80 ? Self.isASCIIAlphanumeric(value) : Self.isOtherAlphanumeric(scalar) {
                previous = nil
                if value < 0x80 {
                    word = (word ^ UInt64(value)) &* 0x100_0000_01b3
                } else {
                    UTF8.encode(scalar) { byte in word = (word ^ UInt64(byte)) &* 0x100_0000_01b3 }
                }
                wordLength += 1
            } else {
                previous = nil
                endWord()
            }
        }
        endWord()
    }

    /// The terms of `normalized`, in order, with repeats.
    static func terms(of normalized: String) -> [UInt64] {
        var terms: [UInt64] = []
        terms.reserveCapacity(normalized.utf8.count)
        Self.append(normalized, to: &terms)
        return terms
    }

    /// Han characters: the unified ideographs, extension A and the compatibility block, and the supplementary
    /// planes' extensions.
    @inline(__always)
    static func isHan(_ value: UInt32) -> Bool {
        switch value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF: true
        default: false
        }
    }

    @inline(__always)
    private static func isASCIIAlphanumeric(_ value: UInt32) -> Bool {
        switch value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: false
        }
    }

    private static func isOtherAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
