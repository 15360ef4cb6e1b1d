/// Finds WeChat ids and credit codes written with letters: the identifiers that are not plain digit runs.
///
/// - `wxid_…` anywhere;
/// - an id after a WeChat label (`微信：abc_123`, `vx: zhangsan88`): a letter, then letters, digits, `_` and
///   `-`, at least 6 characters, or 3 with a digit, `_` or `-` in them (`微信 app` stays);
/// - 18 characters from the credit-code alphabet, not all digits and not an ID number, with the right check
///   character, or any 15–20 letters and digits after a credit-code label (`统一社会信用代码：…`).
enum HandleDetector {
    private static let wxid = Array("wxid_".utf8)

    static func detect(
        _ bytes: UnsafeBufferPointer<UInt8>, protected: ProtectedSpans, into found: inout [RedactionMatch.Candidate]
    ) {
        var index = 0
        while index < bytes.count {
            guard TextBytes.isAlphanumeric(bytes[index]), !TextBytes.alphanumeric(bytes, index - 1) else {
                index += 1
                continue
            }
            var end = index
            while let byte = TextBytes.byte(bytes, end), Self.isHandle(byte) { end += 1 }
            while end > index, !TextBytes.isAlphanumeric(bytes[end - 1]) { end -= 1 }
            defer { index = max(index + 1, end) }
            let range = index..<end
            if RedactionBytes.has(Self.wxid, in: bytes, at: index) && range.count > Self.wxid.count {
                found.append(.init(kind: .wechat, range: range))
                continue
            }
            let word = Array(bytes[range])
            let label = ContextLabel.before(index, in: bytes)
            if label == .wechat, TextBytes.isLetter(word[0]), Self.looksLikeID(word) {
                found.append(.init(kind: .wechat, range: range))
            } else if !protected.overlaps(range), Self.isCreditCode(word, labelled: label == .creditCode) {
                found.append(.init(kind: .creditCode, range: range))
            }
        }
    }

    /// A character of an id: ASCII letter, digit, `_` or `-`.
    private static func isHandle(_ byte: UInt8) -> Bool {
        TextBytes.isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    private static func looksLikeID(_ word: [UInt8]) -> Bool {
        guard word.count <= 40 else { return false }
        if word.count >= 6 { return true }
        return word.count >= 3 && word.contains { !TextBytes.isLetter($0) }
    }

    private static func isCreditCode(_ word: [UInt8], labelled: Bool) -> Bool {
        guard word.allSatisfy(TextBytes.isAlphanumeric) else { return false }
        if labelled && (15...20).contains(word.count) { return true }
        // Digit-only codes and IDs (ending in x) are the digit-run detector's.
        guard word.count == CreditCode.length, word.contains(where: TextBytes.isLetter),
            ResidentIDNumber.verdict(word) == .invalid
        else {
            return false
        }
        return CreditCode.isValid(word)
    }
}
