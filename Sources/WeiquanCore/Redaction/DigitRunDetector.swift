/// Finds numbers written with digits: mobiles, landlines, resident ID numbers, bank cards, digit-only credit
/// codes, and QQ numbers and WeChat ids after their labels.
///
/// A run is digits in groups separated by a single space or hyphen (or a few spaces around one hyphen), with
/// an optional `+` or `(` in front, `)` after an area code, and an `x` after the last digit. Within a run the
/// detector tries the groups from the first on, the longest number first, and takes the first reading that
/// fits; then it goes on after it. So `2023-05-01 138-0013-8000` is a date and a mobile, and two numbers
/// written one after the other are two numbers.
///
/// Bank cards, which any 1 in 10 numbers passes, are taken across groups only when every group but the last
/// has 4–6 digits (`6222 0212 3456 7890 123`).
enum DigitRunDetector {
    /// Digits between separators, as a range of bytes.
    private struct Group {
        var range: Range<Int>
        var count: Int { self.range.count }
    }

    /// One run of digit groups.
    private struct Run {
        /// The first byte: `+`, `(` or the first digit.
        var start: Int
        var plus: Bool
        var groups: [Group] = []
        /// Whether a hyphen was among the separators after each group but the last.
        var hyphens: [Bool] = []
        /// The index after a trailing `x` (an ID's check character), if there is one.
        var xEnd: Int?
    }

    /// A reading of groups `first...last` (or one more for an extension).
    private struct Reading {
        var kind: RedactionKind
        var lastGroup: Int
    }

    /// The most digits a reading spans.
    private static let maximumDigits = 20

    static func detect(
        _ bytes: UnsafeBufferPointer<UInt8>, protected: ProtectedSpans, into found: inout [RedactionMatch.Candidate]
    ) {
        var index = 0
        while index < bytes.count {
            guard TextBytes.isDigit(bytes[index]), !TextBytes.digit(bytes, index - 1) else {
                index += 1
                continue
            }
            let run = Self.readRun(bytes, at: index)
            Self.read(run, bytes, protected: protected, into: &found)
            index = max(index + 1, run.xEnd ?? run.groups[run.groups.count - 1].range.upperBound)
        }
    }

    private static func readRun(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Run {
        var start = index
        var plus = false
        var parenthesis = false
        if TextBytes.byte(bytes, index - 1) == UInt8(ascii: "+") {
            plus = true
            start = index - 1
            if TextBytes.byte(bytes, index - 2) == UInt8(ascii: "(") {
                parenthesis = true
                start = index - 2
            }
        } else if TextBytes.byte(bytes, index - 1) == UInt8(ascii: "(") {
            parenthesis = true
            start = index - 1
        }
        var run = Run(start: start, plus: plus)
        var position = index
        while true {
            let groupStart = position
            while TextBytes.digit(bytes, position) { position += 1 }
            run.groups.append(Group(range: groupStart..<position))
            var next = position
            var hyphen = false
            if parenthesis, TextBytes.byte(bytes, next) == UInt8(ascii: ")") {
                parenthesis = false
                next += 1
                if let byte = TextBytes.byte(bytes, next), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") {
                    next += 1
                }
            } else {
                var spaces = 0
                while let byte = TextBytes.byte(bytes, next), next - position < 3 {
                    if byte == UInt8(ascii: " ") {
                        spaces += 1
                    } else if byte == UInt8(ascii: "-") && !hyphen {
                        hyphen = true
                    } else {
                        break
                    }
                    next += 1
                }
                if spaces > 1 && !hyphen { next = position }
            }
            guard next > position, TextBytes.digit(bytes, next) else { break }
            run.hyphens.append(hyphen)
            position = next
        }
        if TextBytes.byte(bytes, position) == UInt8(ascii: "x"), !TextBytes.alphanumeric(bytes, position + 1) {
            run.xEnd = position + 1
        }
        return run
    }

    private static func read(
        _ run: Run, _ bytes: UnsafeBufferPointer<UInt8>, protected: ProtectedSpans,
        into found: inout [RedactionMatch.Candidate]
    ) {
        var first = 0
        while first < run.groups.count {
            var digits: [UInt8] = []
            var prefixes: [(last: Int, digits: [UInt8])] = []
            for last in first..<run.groups.count {
                digits.append(contentsOf: bytes[run.groups[last].range])
                guard digits.count <= Self.maximumDigits else { break }
                prefixes.append((last, digits))
            }
            var reading: Reading?
            for (last, digits) in prefixes.reversed() {
                let range = Self.range(run, first: first, last: last)
                guard !protected.overlaps(range) else { continue }
                if let found = Self.classify(run, first: first, last: last, digits: digits, bytes) {
                    reading = found
                    break
                }
            }
            guard let reading else {
                first += 1
                continue
            }
            var range = Self.range(run, first: first, last: reading.lastGroup)
            if reading.kind == .landline, reading.lastGroup == run.groups.count - 1 {
                range = range.lowerBound..<Self.extensionEnd(bytes, from: range.upperBound)
            }
            found.append(.init(kind: reading.kind, range: range))
            first = reading.lastGroup + 1
        }
    }

    /// The bytes of groups `first...last`, with the `+`/`(` before the first group of the run and the `x`
    /// after its last.
    private static func range(_ run: Run, first: Int, last: Int) -> Range<Int> {
        let start = first == 0 ? run.start : run.groups[first].range.lowerBound
        var end = run.groups[last].range.upperBound
        if last == run.groups.count - 1, let xEnd = run.xEnd { end = xEnd }
        return start..<end
    }

    private static func classify(
        _ run: Run, first: Int, last: Int, digits: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>
    ) -> Reading? {
        let hasX = last == run.groups.count - 1 && run.xEnd != nil
        let count = digits.count
        let reading = { (kind: RedactionKind) in Reading(kind: kind, lastGroup: last) }
        if first == 0 && run.plus {
            if digits.starts(with: [0x38, 0x36]), let kind = Self.domesticKind(digits.dropFirst(2)) {
                return reading(kind)
            }
            return (8...15).contains(count) && !hasX ? reading(.mobile) : nil
        }
        let firstGroup = run.groups[first].count
        if digits.starts(with: Array("0086".utf8)), first == last || firstGroup == 4,
            let kind = Self.domesticKind(digits.dropFirst(4))
        {
            return reading(kind)
        }
        if count == 13, digits.starts(with: [0x38, 0x36]), first == last || firstGroup == 2,
            Self.isMobile(digits.dropFirst(2))
        {
            return reading(.mobile)
        }
        if !hasX && Self.isMobile(digits[...]) { return reading(.mobile) }
        // A Taiwan mobile: 09 and 8 more digits (mainland area codes 09xx have 7–8 digits after them).
        if !hasX && count == 10 && digits.starts(with: [0x30, 0x39]) { return reading(.mobile) }
        if !hasX, let lastGroup = Self.landline(run, first: first, last: last, digits: digits) {
            return Reading(kind: .landline, lastGroup: lastGroup)
        }
        let characters = hasX ? digits + [UInt8(ascii: "X")] : digits
        let verdict = ResidentIDNumber.verdict(characters)
        if verdict == .valid { return reading(.residentID) }
        if !hasX, BankCardNumber.isPlausible(digits),
            (first..<last).allSatisfy({ (4...6).contains(run.groups[$0].count) })
        {
            return reading(.bankCard)
        }
        if !hasX, first == last, CreditCode.isValid(digits) { return reading(.creditCode) }
        if verdict == .wrongCheck { return reading(.residentID) }
        if count == 10, digits.starts(with: Array("400".utf8)) || digits.starts(with: Array("800".utf8)) {
            // A company's service number (400/800), whatever the label says.
            return nil
        }
        let label = ContextLabel.before(Self.range(run, first: first, last: last).lowerBound, in: bytes)
        return Self.labelled(label, count: characters.count, hasX: hasX, leadingZero: digits.first == UInt8(ascii: "0"))
            .map(reading)
    }

    /// What a number the detector would not take alone is, given the label in front of it.
    private static func labelled(_ label: ContextLabel?, count: Int, hasX: Bool, leadingZero: Bool) -> RedactionKind? {
        switch label {
        case .phone where (7...12).contains(count) && !hasX:
            leadingZero || count <= 8 ? RedactionKind.landline : RedactionKind.mobile
        case .residentID where (15...18).contains(count): .residentID
        case .bankCard where (12...19).contains(count) && !hasX: .bankCard
        case .creditCode where (15...18).contains(count): .creditCode
        case .qq where (5...11).contains(count) && !hasX: .qq
        case .wechat where (5...20).contains(count): .wechat
        default: nil
        }
    }

    /// `1[3-9]` and 9 more digits.
    private static func isMobile(_ digits: ArraySlice<UInt8>) -> Bool {
        guard digits.count == 11, let first = digits.first, first == UInt8(ascii: "1") else { return false }
        let second = digits[digits.startIndex + 1]
        return second >= UInt8(ascii: "3") && second <= UInt8(ascii: "9")
    }

    /// The kind of what follows a `+86`/`0086` prefix: a mobile, or a landline without the area code's 0.
    private static func domesticKind(_ digits: ArraySlice<UInt8>) -> RedactionKind? {
        if Self.isMobile(digits) { return .mobile }
        if (9...11).contains(digits.count), digits.first != UInt8(ascii: "0") { return .landline }
        return nil
    }

    /// The last group of a landline starting at group `first`: area code `0` + 2–3 digits (`010` and `02x`
    /// have 2), 7–8 digits that do not start with 0 or 1, and a hyphenated extension of 1–5 digits if one
    /// follows.
    private static func landline(_ run: Run, first: Int, last: Int, digits: [UInt8]) -> Int? {
        guard digits.count >= 10, digits[0] == UInt8(ascii: "0"), digits[1] != UInt8(ascii: "0") else { return nil }
        let firstGroup = run.groups[first].count
        let area: Int
        if first < last && (3...4).contains(firstGroup) {
            area = firstGroup
        } else {
            area = digits[1] == UInt8(ascii: "1") || digits[1] == UInt8(ascii: "2") ? 3 : 4
        }
        guard (7...8).contains(digits.count - area), digits[area] >= UInt8(ascii: "2") else { return nil }
        let next = last + 1
        if next < run.groups.count, run.hyphens[last], (1...5).contains(run.groups[next].count) {
            return next
        }
        return last
    }

    /// Words that introduce an extension.
    private static let extensionWords = RedactionBytes.words(["转", "分机", "ext", "ext.", "x"])

    /// The end of an extension (`转801`, `分机 801`, `ext.801`) that follows a landline at `index`.
    private static func extensionEnd(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var position = index
        if TextBytes.byte(bytes, position) == UInt8(ascii: " ") { position += 1 }
        guard let afterWord = RedactionBytes.skip(Self.extensionWords, in: bytes, at: position) else { return index }
        position = afterWord
        if TextBytes.byte(bytes, position) == UInt8(ascii: " ") { position += 1 }
        let digitsStart = position
        while TextBytes.digit(bytes, position), position - digitsStart < 6 { position += 1 }
        guard (1...5).contains(position - digitsStart), !TextBytes.digit(bytes, position) else { return index }
        return position
    }
}
