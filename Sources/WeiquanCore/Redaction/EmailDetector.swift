/// Finds e-mail addresses: `local@domain.tld`, with full-width `＠` and `。` read as `@` and `.`, one space
/// allowed on each side of the `@` (`abc @ qq.com`), and the ways people hide the `@` from robots:
/// `abc(at)qq.com`, `abc[at]qq.com`, `abc#qq.com`.
enum EmailDetector {
    /// What stands for `@`, besides `@` itself.
    private static let disguisedAt = RedactionBytes.words(["(at)", "[at]", "{at}", "#"])

    static func detect(_ bytes: UnsafeBufferPointer<UInt8>, into found: inout [RedactionMatch.Candidate]) {
        var index = 0
        var claimedUpTo = 0
        while index < bytes.count {
            defer { index += 1 }
            var localEnd = index
            var domainStart: Int
            if bytes[index] == UInt8(ascii: "@") {
                if TextBytes.byte(bytes, localEnd - 1) == UInt8(ascii: " ") { localEnd -= 1 }
                domainStart = index + 1
                if TextBytes.byte(bytes, domainStart) == UInt8(ascii: " ") { domainStart += 1 }
            } else if bytes[index] == UInt8(ascii: "(") || bytes[index] == UInt8(ascii: "[")
                || bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "#"),
                let end = RedactionBytes.skip(Self.disguisedAt, in: bytes, at: index)
            {
                domainStart = end
            } else {
                continue
            }
            var localStart = localEnd
            while localStart > claimedUpTo, let byte = TextBytes.byte(bytes, localStart - 1), Self.isLocal(byte) {
                localStart -= 1
            }
            while localStart < localEnd, !TextBytes.isAlphanumeric(bytes[localStart]) { localStart += 1 }
            guard localStart < localEnd, let domainEnd = Self.domainEnd(bytes, from: domainStart) else { continue }
            found.append(.init(kind: .email, range: localStart..<domainEnd))
            claimedUpTo = domainEnd
            index = domainEnd - 1
        }
    }

    /// A character of the part before `@`.
    private static func isLocal(_ byte: UInt8) -> Bool {
        TextBytes.isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "%")
    }

    /// The end of a domain of at least two labels whose last has 2 or more letters, or nil.
    private static func domainEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var position = start
        var lastLabelStart = start
        var labels = 0
        var end: Int?
        while true {
            let labelStart = position
            while let byte = TextBytes.byte(bytes, position),
                TextBytes.isAlphanumeric(byte) || (byte == UInt8(ascii: "-") && position > labelStart)
            {
                position += 1
            }
            guard position > labelStart else { break }
            labels += 1
            lastLabelStart = labelStart
            if labels >= 2, position - lastLabelStart >= 2,
                bytes[lastLabelStart..<position].allSatisfy(TextBytes.isLetter)
            {
                end = position
            }
            guard TextBytes.byte(bytes, position) == UInt8(ascii: "."), TextBytes.alphanumeric(bytes, position + 1)
            else { break }
            position += 1
        }
        return end
    }
}
