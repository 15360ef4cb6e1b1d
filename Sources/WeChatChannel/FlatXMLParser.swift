#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The hand-written XML parser behind ``WeChatXML``: one forward pass over UTF-8 bytes.
///
/// It accepts the subset of XML that WeChat sends: an optional `<?xml …?>` declaration, one `<xml>` root, and
/// elements whose content is any mix of plain text, CDATA sections, character references and child elements.
/// Attributes are checked for syntax and ignored. It has no DTD support at all, so no entity can be declared,
/// expanded or fetched: `<!DOCTYPE`, `<!ENTITY`, every other `<!…>` except CDATA, and processing instructions
/// are rejected outright, as are undeclared entity references.
///
/// The result is a flat dictionary: every leaf element (one without child elements) under its own name, first
/// occurrence wins, value = its text with CDATA sections concatenated and references decoded. The depth and the
/// number of elements are bounded, so the work is linear in the body size with a small constant.
@usableFromInline
struct FlatXMLParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var elementCount = 0
    private var fields: [String: String] = [:]
    /// The text of the element being read; shared by all elements (a parent stops collecting at its first child).
    private var text: [UInt8] = []

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        self.fields.reserveCapacity(16)
        self.text.reserveCapacity(256)
    }

    /// Strips control characters (see ``ControlCharacters``), then parses.
    @usableFromInline
    static func parseSanitising(_ body: UnsafeBufferPointer<UInt8>) -> Result<[String: String], WeChatError> {
        guard body.count <= WeChatXML.maximumBodySize else {
            return .failure(
                WeChatError(
                    code: .bodyTooLarge,
                    message: "the body has \(body.count) bytes; the limit is \(WeChatXML.maximumBodySize)"
                )
            )
        }
        if ControlCharacters.occur(in: body) {
            let cleaned = body.filter { !ControlCharacters.isStripped($0) }
            return cleaned.withUnsafeBufferPointer { Self.parse($0) }
        }
        return Self.parse(body)
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<[String: String], WeChatError> {
        var parser = FlatXMLParser(bytes: bytes)
        do {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(error)
        }
    }

    // MARK: - Document

    private mutating func parseDocument() throws(WeChatError) -> [String: String] {
        if self.matches(Self.byteOrderMark) {
            self.position += 3
        }
        self.skipWhitespace()
        guard self.position < self.bytes.count else {
            throw WeChatError(code: .emptyBody, message: "the body is empty")
        }
        if self.matches("<?xml"), self.position + 5 < self.bytes.count,
            Self.isWhitespace(self.bytes[self.position + 5]) || self.bytes[self.position + 5] == ASCII.question
        {
            try self.skipXMLDeclaration()
            self.skipWhitespace()
        }
        guard self.position < self.bytes.count else {
            throw self.error(.malformed, "the body has no root element")
        }
        guard self.bytes[self.position] == ASCII.lessThan else {
            throw self.error(.malformed, "expected '<' at the start of the document")
        }
        if self.position + 1 < self.bytes.count {
            let next = self.bytes[self.position + 1]
            if next == ASCII.exclamation {
                try self.rejectDeclaration(allowCDATA: false)
            } else if next == ASCII.question {
                throw self.error(.processingInstructionForbidden, "processing instructions are not accepted")
            }
        }
        self.position += 1
        let name = try self.parseName()
        guard self.nameEquals(name, "xml") else {
            throw WeChatError(code: .unexpectedRoot, message: "the root element must be <xml>", offset: name.lowerBound)
        }
        try self.parseElement(name: name, depth: 0)
        self.skipWhitespace()
        guard self.position == self.bytes.count else {
            throw self.error(.trailingContent, "only whitespace may follow the root element")
        }
        return self.fields
    }

    /// Skips `<?xml … ?>` at the current position.
    private mutating func skipXMLDeclaration() throws(WeChatError) {
        let start = self.position
        var index = self.position + 5
        while index + 1 < self.bytes.count {
            if self.bytes[index] == ASCII.question && self.bytes[index + 1] == ASCII.greaterThan {
                self.position = index + 2
                return
            }
            if self.bytes[index] == ASCII.lessThan {
                break
            }
            index += 1
        }
        throw WeChatError(code: .malformed, message: "unterminated XML declaration", offset: start)
    }

    /// Throws the right error for `<!…>` markup at the current position; returns only for a CDATA section when
    /// `allowCDATA` is true (the caller reads it).
    private func rejectDeclaration(allowCDATA: Bool) throws(WeChatError) {
        if self.matches("<![CDATA[") {
            if allowCDATA {
                return
            }
            throw self.error(.malformed, "a CDATA section outside an element")
        }
        if self.matchesIgnoringCase("<!DOCTYPE") {
            throw self.error(.doctypeForbidden, "DOCTYPE declarations are not accepted")
        }
        if self.matchesIgnoringCase("<!ENTITY") {
            throw self.error(.entityDeclarationForbidden, "entity declarations are not accepted")
        }
        if self.matches("<!--") {
            throw self.error(.declarationForbidden, "comments are not accepted")
        }
        throw self.error(.declarationForbidden, "'<!' declarations are not accepted")
    }

    // MARK: - Elements

    /// Reads the rest of an element whose `<name` has just been consumed, through its closing tag.
    private mutating func parseElement(name: Range<Int>, depth: Int) throws(WeChatError) {
        self.elementCount += 1
        guard self.elementCount <= WeChatXML.maximumElementCount else {
            throw self.error(.tooManyElements, "more than \(WeChatXML.maximumElementCount) elements")
        }
        guard depth <= WeChatXML.maximumDepth else {
            throw self.error(.tooDeep, "elements nested more than \(WeChatXML.maximumDepth) levels below the root")
        }
        if try self.skipAttributes(of: name) {
            if depth > 0 {
                self.text.removeAll(keepingCapacity: true)
                self.recordLeaf(name: name)
            }
            return
        }
        self.text.removeAll(keepingCapacity: true)
        var hasChildren = false
        while true {
            guard self.position < self.bytes.count else {
                throw self.unclosed(name)
            }
            let byte = self.bytes[self.position]
            if byte == ASCII.lessThan {
                guard self.position + 1 < self.bytes.count else {
                    throw self.unclosed(name)
                }
                let next = self.bytes[self.position + 1]
                if next == ASCII.slash {
                    let tagStart = self.position
                    self.position += 2
                    let closing = try self.parseName()
                    self.skipWhitespace()
                    guard self.position < self.bytes.count else {
                        throw self.unclosed(name)
                    }
                    guard self.bytes[self.position] == ASCII.greaterThan else {
                        throw self.error(.malformed, "expected '>' to end a closing tag")
                    }
                    guard self.namesEqual(closing, name) else {
                        throw WeChatError(
                            code: .mismatchedTag,
                            message: "closing tag </\(self.loggableName(closing))> does not match "
                                + "<\(self.loggableName(name))>",
                            offset: tagStart
                        )
                    }
                    self.position += 1
                    if !hasChildren && depth > 0 {
                        self.recordLeaf(name: name)
                    }
                    return
                } else if next == ASCII.exclamation {
                    try self.rejectDeclaration(allowCDATA: true)
                    let start = self.position + 9
                    guard let end = self.find("]]>", from: start) else {
                        throw self.error(.unclosedCDATA, "a CDATA section is not closed")
                    }
                    if !hasChildren {
                        self.text.append(contentsOf: UnsafeBufferPointer(rebasing: self.bytes[start..<end]))
                    }
                    self.position = end + 3
                } else if next == ASCII.question {
                    throw self.error(.processingInstructionForbidden, "processing instructions are not accepted")
                } else {
                    self.position += 1
                    let child = try self.parseName()
                    hasChildren = true
                    try self.parseElement(name: child, depth: depth + 1)
                }
            } else if byte == ASCII.ampersand {
                try self.decodeReference(keep: !hasChildren)
            } else {
                let start = self.position
                var index = self.position + 1
                while index < self.bytes.count {
                    let current = self.bytes[index]
                    if current == ASCII.lessThan || current == ASCII.ampersand {
                        break
                    }
                    index += 1
                }
                self.position = index
                if !hasChildren {
                    self.text.append(contentsOf: UnsafeBufferPointer(rebasing: self.bytes[start..<index]))
                }
            }
        }
    }

    /// Skips the attributes of a start tag and its `>` or `/>`; returns true for an empty-element tag (`/>`).
    private mutating func skipAttributes(of name: Range<Int>) throws(WeChatError) -> Bool {
        while true {
            let hadWhitespace = self.skipWhitespace()
            guard self.position < self.bytes.count else {
                throw self.unclosed(name)
            }
            let byte = self.bytes[self.position]
            if byte == ASCII.greaterThan {
                self.position += 1
                return false
            }
            if byte == ASCII.slash {
                guard self.position + 1 < self.bytes.count, self.bytes[self.position + 1] == ASCII.greaterThan else {
                    throw self.error(.malformed, "expected '>' after '/' in a tag")
                }
                self.position += 2
                return true
            }
            guard hadWhitespace else {
                throw self.error(.malformed, "unexpected character in a start tag")
            }
            _ = try self.parseName()
            self.skipWhitespace()
            guard self.position < self.bytes.count, self.bytes[self.position] == ASCII.equals else {
                throw self.error(.malformed, "expected '=' after an attribute name")
            }
            self.position += 1
            self.skipWhitespace()
            guard self.position < self.bytes.count,
                self.bytes[self.position] == ASCII.doubleQuote || self.bytes[self.position] == ASCII.singleQuote
            else {
                throw self.error(.malformed, "expected a quoted attribute value")
            }
            let quote = self.bytes[self.position]
            self.position += 1
            while self.position < self.bytes.count && self.bytes[self.position] != quote {
                if self.bytes[self.position] == ASCII.lessThan {
                    throw self.error(.malformed, "'<' inside an attribute value")
                }
                self.position += 1
            }
            guard self.position < self.bytes.count else {
                throw self.unclosed(name)
            }
            self.position += 1
        }
    }

    /// Reads an XML name (ASCII letters, digits, `_` `:` `-` `.`, and any non-ASCII byte) at the current position.
    private mutating func parseName() throws(WeChatError) -> Range<Int> {
        let start = self.position
        guard self.position < self.bytes.count, Self.isNameStart(self.bytes[self.position]) else {
            throw self.error(.malformed, "expected an element name")
        }
        self.position += 1
        while self.position < self.bytes.count && Self.isNameCharacter(self.bytes[self.position]) {
            self.position += 1
        }
        return start..<self.position
    }

    private mutating func recordLeaf(name: Range<Int>) {
        let key = String(decoding: UnsafeBufferPointer(rebasing: self.bytes[name]), as: UTF8.self)
        if self.fields[key] == nil {
            self.fields[key] = String(decoding: self.text, as: UTF8.self)
        }
    }

    // MARK: - References

    /// Decodes `&…;` at the current position, appending the character to the text when `keep` is true.
    private mutating func decodeReference(keep: Bool) throws(WeChatError) {
        let start = self.position
        self.position += 1
        guard self.position < self.bytes.count else {
            throw WeChatError(code: .malformed, message: "'&' not followed by a reference", offset: start)
        }
        if self.bytes[self.position] == ASCII.hash {
            try self.decodeCharacterReference(start: start, keep: keep)
            return
        }
        let nameStart = self.position
        while self.position < self.bytes.count && self.position - nameStart < 64
            && Self.isNameCharacter(self.bytes[self.position])
        {
            self.position += 1
        }
        guard self.position > nameStart, self.position < self.bytes.count,
            self.bytes[self.position] == ASCII.semicolon
        else {
            throw WeChatError(code: .malformed, message: "'&' not followed by a reference", offset: start)
        }
        let entity = nameStart..<self.position
        self.position += 1
        let replacement: UInt8
        if self.nameEquals(entity, "lt") {
            replacement = ASCII.lessThan
        } else if self.nameEquals(entity, "gt") {
            replacement = ASCII.greaterThan
        } else if self.nameEquals(entity, "amp") {
            replacement = ASCII.ampersand
        } else if self.nameEquals(entity, "apos") {
            replacement = ASCII.singleQuote
        } else if self.nameEquals(entity, "quot") {
            replacement = ASCII.doubleQuote
        } else {
            throw WeChatError(
                code: .unknownEntity,
                message: "undeclared entity reference; only &lt; &gt; &amp; &apos; &quot; are accepted",
                offset: start
            )
        }
        if keep {
            self.text.append(replacement)
        }
    }

    /// Decodes `&#…;` or `&#x…;`; the current position is at `#`.
    private mutating func decodeCharacterReference(start: Int, keep: Bool) throws(WeChatError) {
        self.position += 1
        var radix: UInt32 = 10
        if self.position < self.bytes.count && self.bytes[self.position] == ASCII.lowercaseX {
            radix = 16
            self.position += 1
        }
        var value: UInt32 = 0
        var digits = 0
        while self.position < self.bytes.count, let digit = Self.digitValue(self.bytes[self.position], radix: radix) {
            if value <= 0x10FFFF {
                value = value * radix + digit
            }
            digits += 1
            self.position += 1
        }
        guard digits > 0, self.position < self.bytes.count, self.bytes[self.position] == ASCII.semicolon else {
            throw WeChatError(code: .invalidCharacterReference, message: "malformed character reference", offset: start)
        }
        self.position += 1
        guard value != 0, value != 0xFFFE, value != 0xFFFF, let scalar = Unicode.Scalar(value) else {
            throw WeChatError(
                code: .invalidCharacterReference,
                message: "character reference to a character XML does not allow",
                offset: start
            )
        }
        guard keep, !ControlCharacters.isStripped(scalar: value) else {
            return
        }
        UTF8.encode(scalar) { self.text.append($0) }
    }

    // MARK: - Byte helpers

    private static let byteOrderMark: StaticString = "\u{FEFF}"

    /// Skips ASCII whitespace; returns whether there was any.
    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = self.position
        while self.position < self.bytes.count && Self.isWhitespace(self.bytes[self.position]) {
            self.position += 1
        }
        return self.position > start
    }

    /// Whether the bytes at the current position are `literal`.
    private func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard self.position + count <= self.bytes.count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<count where self.bytes[self.position + offset] != pointer[offset] {
            return false
        }
        return true
    }

    /// Whether the bytes at the current position are `literal`, ignoring ASCII case.
    private func matchesIgnoringCase(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard self.position + count <= self.bytes.count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<count
        where Self.lowercased(self.bytes[self.position + offset]) != Self.lowercased(pointer[offset]) {
            return false
        }
        return true
    }

    /// The index where `literal` next starts at or after `start`; its first byte is looked for with `memchr` (a
    /// safe-mode envelope's `Encrypt` section is some 600 bytes long).
    private func find(_ literal: StaticString, from start: Int) -> Int? {
        let count = literal.utf8CodeUnitCount
        let pointer = literal.utf8Start
        guard let base = self.bytes.baseAddress else { return nil }
        var index = start
        while index + count <= self.bytes.count {
            guard let hit = memchr(base + index, Int32(pointer[0]), self.bytes.count - count + 1 - index) else {
                return nil
            }
            index = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
            var offset = 1
            while offset < count && self.bytes[index + offset] == pointer[offset] {
                offset += 1
            }
            if offset == count {
                return index
            }
            index += 1
        }
        return nil
    }

    private func nameEquals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<range.count where self.bytes[range.lowerBound + offset] != pointer[offset] {
            return false
        }
        return true
    }

    private func namesEqual(_ lhs: Range<Int>, _ rhs: Range<Int>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for offset in 0..<lhs.count where self.bytes[lhs.lowerBound + offset] != self.bytes[rhs.lowerBound + offset] {
            return false
        }
        return true
    }

    /// An element name for an error message: at most 32 bytes, so a hostile body cannot flood the logs.
    private func loggableName(_ range: Range<Int>) -> String {
        let end = min(range.upperBound, range.lowerBound + 32)
        return String(decoding: UnsafeBufferPointer(rebasing: self.bytes[range.lowerBound..<end]), as: UTF8.self)
    }

    private func error(_ code: WeChatError.Code, _ message: String) -> WeChatError {
        WeChatError(code: code, message: message, offset: self.position)
    }

    private func unclosed(_ name: Range<Int>) -> WeChatError {
        WeChatError(
            code: .unclosedTag,
            message: "the body ends inside <\(self.loggableName(name))>",
            offset: self.position
        )
    }

    @inline(__always)
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    @inline(__always)
    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F || byte == 0x3A
            || byte >= 0x80
    }

    @inline(__always)
    private static func isNameCharacter(_ byte: UInt8) -> Bool {
        Self.isNameStart(byte) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2E
    }

    @inline(__always)
    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    private static func digitValue(_ byte: UInt8, radix: UInt32) -> UInt32? {
        switch byte {
        case 0x30...0x39: return UInt32(byte - 0x30)
        case 0x61...0x66 where radix == 16: return UInt32(byte - 0x61 + 10)
        case 0x41...0x46 where radix == 16: return UInt32(byte - 0x41 + 10)
        default: return nil
        }
    }
}

/// The ASCII bytes the parser looks for.
private enum ASCII {
    static let lessThan = UInt8(ascii: "<")
    static let greaterThan = UInt8(ascii: ">")
    static let slash = UInt8(ascii: "/")
    static let exclamation = UInt8(ascii: "!")
    static let question = UInt8(ascii: "?")
    static let ampersand = UInt8(ascii: "&")
    static let semicolon = UInt8(ascii: ";")
    static let hash = UInt8(ascii: "#")
    static let equals = UInt8(ascii: "=")
    static let doubleQuote = UInt8(ascii: "\"")
    static let singleQuote = UInt8(ascii: "'")
    static let lowercaseX = UInt8(ascii: "x")
}
