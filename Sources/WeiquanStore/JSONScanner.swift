/// Why some bytes are not the JSON expected, and where (a byte offset into them).
struct JSONSyntaxError: Error, Sendable, Equatable {
    /// The byte offset where the problem was found.
    var offset: Int
    /// What was wrong, in a few words.
    var reason: String
}

/// A strict JSON (RFC 8259) scanner over UTF-8 bytes: it validates values without building them, and reads
/// the few strings and integers the store's own files need.
///
/// The same scanner checks a document when it is written and when it is read back from a journal or
/// snapshot, so whatever a write accepts, recovery accepts too. It rejects invalid UTF-8, control
/// characters in strings, leading zeros, a byte-order mark, and nesting deeper than `maximumDepth`.
struct JSONScanner {
    /// The deepest nesting of objects and arrays accepted.
    static let maximumDepth = 512

    /// The bytes; valid only inside the closure that lent them.
    let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    var index: Int
    /// Whether white space skipped so far contained a line feed or carriage return.
    var sawLineBreak = false

    init(_ bytes: UnsafeRawBufferPointer, index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { self.index >= self.bytes.count }

    /// The next byte, or nil at the end.
    func peek() -> UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    /// An error at the current offset.
    func failure(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: self.index, reason: reason)
    }

    /// Skips spaces, tabs, line feeds and carriage returns.
    mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case ASCII.space, ASCII.tab:
                self.index += 1
            case ASCII.lineFeed, ASCII.carriageReturn:
                self.sawLineBreak = true
                self.index += 1
            default:
                return
            }
        }
    }

    /// Reads `byte` or throws.
    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        guard self.peek() == byte else {
            throw self.failure(self.isAtEnd ? "unexpected end, expected \(what)" : "expected \(what)")
        }
        self.index += 1
    }

    // MARK: Objects and arrays, member by member

    /// After `{`: reads the next member's key and its colon, or the closing `}` (then returns nil).
    mutating func nextMember(isFirst: inout Bool) throws(JSONSyntaxError) -> String? {
        self.skipWhitespace()
        if self.peek() == ASCII.closeBrace {
            // `{}` and `{"a":1}` end here; a `}` right after a comma fails in `readString`.
            self.index += 1
            return nil
        }
        if isFirst {
            isFirst = false
        } else {
            try self.expect(ASCII.comma, "',' or '}'")
            self.skipWhitespace()
        }
        let key = try self.readString()
        self.skipWhitespace()
        try self.expect(ASCII.colon, "':'")
        self.skipWhitespace()
        return key
    }

    /// After `[`: whether another element follows (having read its comma), or false after the closing `]`.
    mutating func nextElement(isFirst: inout Bool) throws(JSONSyntaxError) -> Bool {
        self.skipWhitespace()
        if self.peek() == ASCII.closeBracket {
            self.index += 1
            return false
        }
        if isFirst {
            isFirst = false
        } else {
            try self.expect(ASCII.comma, "',' or ']'")
            self.skipWhitespace()
        }
        return true
    }

    // MARK: Validating any value

    /// Validates one value (after optional white space) and moves past it.
    mutating func skipValue(depth: Int) throws(JSONSyntaxError) {
        self.skipWhitespace()
        guard let byte = self.peek() else {
            throw self.failure("unexpected end, expected a value")
        }
        switch byte {
        case ASCII.openBrace:
            guard depth < JSONScanner.maximumDepth else {
                throw self.failure("nested deeper than \(JSONScanner.maximumDepth) levels")
            }
            self.index += 1
            self.skipWhitespace()
            if self.peek() == ASCII.closeBrace {
                self.index += 1
                return
            }
            while true {
                self.skipWhitespace()
                guard self.peek() == ASCII.quote else {
                    throw self.failure(self.isAtEnd ? "unexpected end inside an object" : "expected a string key")
                }
                try self.skipString()
                self.skipWhitespace()
                try self.expect(ASCII.colon, "':'")
                try self.skipValue(depth: depth + 1)
                self.skipWhitespace()
                switch self.peek() {
                case ASCII.comma:
                    self.index += 1
                case ASCII.closeBrace:
                    self.index += 1
                    return
                case nil:
                    throw self.failure("unexpected end inside an object")
                default:
                    throw self.failure("expected ',' or '}'")
                }
            }
        case ASCII.openBracket:
            guard depth < JSONScanner.maximumDepth else {
                throw self.failure("nested deeper than \(JSONScanner.maximumDepth) levels")
            }
            self.index += 1
            self.skipWhitespace()
            if self.peek() == ASCII.closeBracket {
                self.index += 1
                return
            }
            while true {
                try self.skipValue(depth: depth + 1)
                self.skipWhitespace()
                switch self.peek() {
                case ASCII.comma:
                    self.index += 1
                case ASCII.closeBracket:
                    self.index += 1
                    return
                case nil:
                    throw self.failure("unexpected end inside an array")
                default:
                    throw self.failure("expected ',' or ']'")
                }
            }
        case ASCII.quote:
            try self.skipString()
        case ASCII.lowerT:
            try self.skipLiteral("true")
        case ASCII.lowerF:
            try self.skipLiteral("false")
        case ASCII.lowerN:
            try self.skipLiteral("null")
        case ASCII.minus, ASCII.zero...ASCII.nine:
            try self.skipNumber()
        default:
            throw self.failure("unexpected byte 0x\(String(byte, radix: 16)), expected a value")
        }
    }

    /// Reads `true`, `false` or `null`.
    private mutating func skipLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard self.index + count <= self.bytes.count else {
            throw self.failure("unexpected end, expected \(literal)")
        }
        let expected = literal.utf8Start
        for offset in 0..<count where self.bytes[self.index + offset] != expected[offset] {
            throw self.failure("expected \(literal)")
        }
        self.index += count
    }

    /// Reads a number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func skipNumber() throws(JSONSyntaxError) {
        if self.peek() == ASCII.minus {
            self.index += 1
        }
        guard let first = self.peek(), ASCII.isDigit(first) else {
            throw self.failure("expected a digit")
        }
        self.index += 1
        if first != ASCII.zero {
            self.skipDigits()
        }
        if self.peek() == ASCII.period {
            self.index += 1
            guard let digit = self.peek(), ASCII.isDigit(digit) else {
                throw self.failure("expected a digit after '.'")
            }
            self.skipDigits()
        }
        if let exponent = self.peek(), exponent == ASCII.lowerE || exponent == ASCII.upperE {
            self.index += 1
            if let sign = self.peek(), sign == ASCII.plus || sign == ASCII.minus {
                self.index += 1
            }
            guard let digit = self.peek(), ASCII.isDigit(digit) else {
                throw self.failure("expected a digit in the exponent")
            }
            self.skipDigits()
        }
        if let next = self.peek(), ASCII.isDigit(next) {
            throw self.failure("a number with a leading zero")
        }
    }

    private mutating func skipDigits() {
        while let byte = self.peek(), ASCII.isDigit(byte) {
            self.index += 1
        }
    }

    /// Validates a string (the scanner at its opening quote) and moves past it.
    mutating func skipString() throws(JSONSyntaxError) {
        try self.expect(ASCII.quote, "'\"'")
        let count = self.bytes.count
        while self.index < count {
            let byte = self.bytes[self.index]
            if byte == ASCII.quote {
                self.index += 1
                return
            } else if byte == ASCII.backslash {
                try self.skipEscape()
            } else if byte < 0x20 {
                throw self.failure("control character 0x\(String(byte, radix: 16)) in a string")
            } else if byte < 0x80 {
                self.index += 1
            } else {
                try self.skipMultibyteCharacter()
            }
        }
        throw self.failure("unterminated string")
    }

    /// Validates one escape sequence (the scanner at its backslash) and moves past it.
    private mutating func skipEscape() throws(JSONSyntaxError) {
        guard self.index + 1 < self.bytes.count else {
            throw self.failure("unterminated escape")
        }
        switch self.bytes[self.index + 1] {
        case ASCII.quote, ASCII.backslash, ASCII.slash, ASCII.lowerB, ASCII.lowerF, ASCII.lowerN, ASCII.lowerR,
            ASCII.lowerT:
            self.index += 2
        case ASCII.lowerU:
            self.index += 2
            _ = try self.readHexQuad()
        default:
            throw self.failure("invalid escape")
        }
    }

    /// Reads the four hex digits of a `\u` escape.
    private mutating func readHexQuad() throws(JSONSyntaxError) -> UInt32 {
        guard self.index + 4 <= self.bytes.count else {
            throw self.failure("unterminated \\u escape")
        }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = ASCII.hexValue(self.bytes[self.index]) else {
                throw self.failure("invalid hex digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            self.index += 1
        }
        return value
    }

    /// Validates one UTF-8 sequence of two to four bytes (no overlong forms, no surrogates, nothing above
    /// U+10FFFF) and moves past it.
    private mutating func skipMultibyteCharacter() throws(JSONSyntaxError) {
        let lead = self.bytes[self.index]
        let continuationCount: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF:
            continuationCount = 1
        case 0xE0:
            continuationCount = 2
            secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF:
            continuationCount = 2
        case 0xED:
            continuationCount = 2
            secondHigh = 0x9F
        case 0xF0:
            continuationCount = 3
            secondLow = 0x90
        case 0xF1...0xF3:
            continuationCount = 3
        case 0xF4:
            continuationCount = 3
            secondHigh = 0x8F
        default:
            throw self.failure("invalid UTF-8")
        }
        guard self.index + continuationCount < self.bytes.count else {
            throw self.failure("truncated UTF-8 sequence")
        }
        let second = self.bytes[self.index + 1]
        guard second >= secondLow && second <= secondHigh else {
            throw self.failure("invalid UTF-8")
        }
        if continuationCount > 1 {
            for offset in 2...continuationCount {
                let byte = self.bytes[self.index + offset]
                guard byte >= 0x80 && byte <= 0xBF else {
                    throw self.failure("invalid UTF-8")
                }
            }
        }
        self.index += continuationCount + 1
    }

    // MARK: Reading strings and integers

    /// Reads a string (the scanner at its opening quote), decoding its escapes.
    ///
    /// An unpaired surrogate escape becomes U+FFFD.
    mutating func readString() throws(JSONSyntaxError) -> String {
        guard self.peek() == ASCII.quote else {
            throw self.failure("expected a string")
        }
        let start = self.index + 1
        try self.skipString()
        let end = self.index - 1
        let raw = UnsafeRawBufferPointer(rebasing: self.bytes[start..<end])
        if !raw.contains(ASCII.backslash) {
            return String(decoding: raw, as: UTF8.self)
        }
        // The slow way, for strings with escapes; the bytes are known to be valid.
        var decoded: [UInt8] = []
        decoded.reserveCapacity(raw.count)
        var position = 0
        while position < raw.count {
            let byte = raw[position]
            guard byte == ASCII.backslash else {
                decoded.append(byte)
                position += 1
                continue
            }
            let kind = raw[position + 1]
            position += 2
            switch kind {
            case ASCII.lowerB: decoded.append(0x08)
            case ASCII.lowerF: decoded.append(0x0C)
            case ASCII.lowerN: decoded.append(ASCII.lineFeed)
            case ASCII.lowerR: decoded.append(ASCII.carriageReturn)
            case ASCII.lowerT: decoded.append(ASCII.tab)
            case ASCII.lowerU:
                var unit = Self.hexQuad(raw, at: position)
                position += 4
                if (0xD800...0xDBFF).contains(unit), position + 6 <= raw.count, raw[position] == ASCII.backslash,
                    raw[position + 1] == ASCII.lowerU
                {
                    let low = Self.hexQuad(raw, at: position + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        position += 6
                    }
                }
                let scalar = Unicode.Scalar(unit) ?? "\u{FFFD}"
                UTF8.encode(scalar) { decoded.append($0) }
            default: decoded.append(kind)  // \" \\ \/
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func hexQuad(_ raw: UnsafeRawBufferPointer, at position: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            value = value << 4 | UInt32(ASCII.hexValue(raw[position + offset]) ?? 0)
        }
        return value
    }

    /// Reads a non-negative integer without sign, fraction or exponent.
    mutating func readInteger() throws(JSONSyntaxError) -> Int {
        let start = self.index
        guard let first = self.peek(), ASCII.isDigit(first) else {
            throw self.failure("expected a non-negative integer")
        }
        var value = 0
        while let byte = self.peek(), ASCII.isDigit(byte) {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(byte - ASCII.zero))
            guard !overflow1 && !overflow2 else {
                throw JSONSyntaxError(offset: start, reason: "integer too large")
            }
            value = sum
            self.index += 1
        }
        if first == ASCII.zero && self.index - start > 1 {
            throw JSONSyntaxError(offset: start, reason: "an integer with a leading zero")
        }
        if let next = self.peek(), next == ASCII.period || next == ASCII.lowerE || next == ASCII.upperE {
            throw self.failure("expected an integer")
        }
        return value
    }

    /// Reads `true` or `false`.
    mutating func readBool() throws(JSONSyntaxError) -> Bool {
        switch self.peek() {
        case ASCII.lowerT:
            try self.skipLiteral("true")
            return true
        case ASCII.lowerF:
            try self.skipLiteral("false")
            return false
        default:
            throw self.failure("expected true or false")
        }
    }

    /// Validates one JSON object at the scanner (after optional white space) and returns its byte range.
    mutating func readObjectRange() throws(JSONSyntaxError) -> Range<Int> {
        self.skipWhitespace()
        guard self.peek() == ASCII.openBrace else {
            throw self.failure(self.isAtEnd ? "unexpected end, expected an object" : "expected an object")
        }
        let start = self.index
        try self.skipValue(depth: 0)
        return start..<self.index
    }
}

/// The bytes the JSON code compares against.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let period: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let colon: UInt8 = 0x3A
    static let upperE: UInt8 = 0x45
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let lowerB: UInt8 = 0x62
    static let lowerE: UInt8 = 0x65
    static let lowerF: UInt8 = 0x66
    static let lowerN: UInt8 = 0x6E
    static let lowerR: UInt8 = 0x72
    static let lowerT: UInt8 = 0x74
    static let lowerU: UInt8 = 0x75
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= ASCII.zero && byte <= ASCII.nine
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
