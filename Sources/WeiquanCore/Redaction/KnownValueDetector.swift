/// Finds the values an applicant gave in a form (name, company, phone, the other party) wherever they appear.
///
/// Values and text are compared in the form ``RedactionText`` gives both: full-width and half-width, upper-
/// and lower-case, traditional and simplified characters are the same. A value with at least 5 digits and
/// nothing but digits, spaces, `+`, `-` and parentheses is compared by its digits, so `138 0013 8000` is found
/// as `13800138000` and the other way round. Values shorter than ``minimumLength`` characters are ignored.
struct KnownValueDetector {
    /// The fewest characters (after trimming) a value needs to be looked for.
    static let minimumLength = 2

    private let words: [[UInt8]]
    private let numbers: [[UInt8]]

    init(_ values: [String]) {
        var words: Set<[UInt8]> = []
        var numbers: Set<[UInt8]> = []
        for value in values {
            var bytes = RedactionText(value).bytes[...]
            while let first = bytes.first, first == UInt8(ascii: " ") || first == 0x0A || first == 0x0D {
                bytes = bytes.dropFirst()
            }
            while let last = bytes.last, last == UInt8(ascii: " ") || last == 0x0A || last == 0x0D {
                bytes = bytes.dropLast()
            }
            let characters = bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            guard characters >= Self.minimumLength else { continue }
            let digits = bytes.filter(TextBytes.isDigit)
            let numeric = bytes.allSatisfy { byte in
                TextBytes.isDigit(byte) || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")")
            }
            if numeric && digits.count >= 5 {
                numbers.insert(digits)
            } else {
                words.insert(Array(bytes))
            }
        }
        // Longest first, so a value that contains another is found whole.
        self.words = words.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
        self.numbers = numbers.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
    }

    var isEmpty: Bool { self.words.isEmpty && self.numbers.isEmpty }

    /// Appends every occurrence, as `kind` (``RedactionKind/known`` for form values).
    func detect(
        _ bytes: UnsafeBufferPointer<UInt8>, as kind: RedactionKind = .known,
        into found: inout [RedactionMatch.Candidate]
    ) {
        guard !self.isEmpty else { return }
        var index = 0
        while index < bytes.count {
            if let end = self.match(bytes, at: index) {
                found.append(.init(kind: kind, range: index..<end))
                index = end
            } else {
                index += 1
            }
        }
    }

    /// The end of the longest value that starts at `index`.
    private func match(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let byte = bytes[index]
        guard byte & 0xC0 != 0x80 else { return nil }
        if TextBytes.isDigit(byte) {
            for number in self.numbers {
                if let end = Self.matchDigits(number, in: bytes, at: index) { return end }
            }
        }
        for word in self.words where RedactionBytes.has(word, in: bytes, at: index) {
            return index + word.count
        }
        return nil
    }

    /// The end of `digits` written from `index` on with single spaces or hyphens between digits, or nil.
    private static func matchDigits(_ digits: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        var position = index
        for (offset, digit) in digits.enumerated() {
            if offset > 0, let byte = TextBytes.byte(bytes, position),
                byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-")
            {
                position += 1
            }
            guard TextBytes.byte(bytes, position) == digit else { return nil }
            position += 1
        }
        return position
    }
}
