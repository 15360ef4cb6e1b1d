extension String {
    /// The text without leading and trailing ASCII whitespace (space, tab, line feed, carriage return).
    var trimmingASCIIWhitespace: String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { !Self.isASCIIWhitespace($0) }),
            let last = utf8.lastIndex(where: { !Self.isASCIIWhitespace($0) })
        else {
            return ""
        }
        if first == utf8.startIndex && utf8.index(after: last) == utf8.endIndex {
            return self
        }
        return String(decoding: utf8[first...last], as: UTF8.self)
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
