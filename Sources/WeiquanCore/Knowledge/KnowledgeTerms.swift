/// A term of the knowledge index: one Chinese character, two adjacent ones, or a word of letters and digits.
enum KnowledgeTerm: Hashable, Sendable {
    case character(UInt32)
    case bigram(UInt32, UInt32)
    case word(String)

    /// Whether the term says something on its own: a pair of characters or a word, not a single character. Only
    /// these count towards ``KnowledgeMatch/confidence``; single characters help the ranking.
    var isSpecific: Bool {
        if case .character = self { return false }
        return true
    }
}

/// Cuts text that ``TextNormalizer`` has normalised into the terms the knowledge index counts.
///
/// - A run of Chinese characters gives each character (a unigram) and each pair of neighbours (a bigram): Chinese
///   is written without spaces, and bigrams carry most of the meaning (`专利`, `侵权`, `下架`) while unigrams catch
///   the rest (`被`, a word split differently).
/// - A run of letters and digits is one word (`amazon`, `337`, `tro`); single letters and digits are dropped.
/// - Everything else (spaces, punctuation) separates runs.
/// - Stop characters (``stopCharacters``: particles, pronouns, question words — 的 了 吗 我 你 怎 么 什 …) give no
///   unigram, and no bigram is made with one, so that `怎么办` or `我想问一下` match nothing by themselves.
enum KnowledgeTerms {
    /// Characters that say nothing about what a question is about. Kept short on purpose: a character that is also
    /// part of a content word (会 in 展会, 请 in 申请, 可 in 许可, 和 in 和解, 下 in 下架, 在 in 在先) is not here.
    static let stopCharacters: Set<UInt32> = Set(
        "的了吗呢吧啊呀么嘛哦哈我你您他她它们这那哪是与及或就都也还很问怎什如何啥些该想一".unicodeScalars.map(\.value))

    /// The terms of `normalized`, in order, with repeats.
    static func terms(of normalized: String) -> [KnowledgeTerm] {
        var terms: [KnowledgeTerm] = []
        terms.reserveCapacity(normalized.utf8.count)
        var previous: UInt32?
        var word = String.UnicodeScalarView()
        func endWord() {
            if word.count >= 2 { terms.append(.word(String(word))) }
            word.removeAll(keepingCapacity: true)
        }
        for scalar in normalized.unicodeScalars {
            let value = scalar.value
            if Self.isHan(value) {
                endWord()
                let stop = Self.stopCharacters.contains(value)
                if !stop {
                    if let previous { terms.append(.bigram(previous, value)) }
                    terms.append(.character(value))
                }
                previous = stop ? nil : value
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                previous = nil
                word.append(scalar)
            } else {
                previous = nil
                endWord()
            }
        }
        endWord()
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
}
