/// Appends the few JSON pieces the store writes itself (strings and integers) to a byte buffer.
enum JSONOutput {
    /// Appends `text` as a JSON string: quotes, backslashes and control characters escaped, everything else
    /// as UTF-8.
    static func appendString(_ text: String, to buffer: inout [UInt8]) {
        JSONOutput.appendString(utf8: text.utf8, to: &buffer)
    }

    /// Appends UTF-8 text as a JSON string (as ``appendString(_:to:)``).
    static func appendString<Bytes: Sequence<UInt8>>(utf8: Bytes, to buffer: inout [UInt8]) {
        buffer.append(ASCII.quote)
        for byte in utf8 {
            switch byte {
            case ASCII.quote, ASCII.backslash:
                buffer.append(ASCII.backslash)
                buffer.append(byte)
            case ASCII.lineFeed:
                buffer.append(ASCII.backslash)
                buffer.append(ASCII.lowerN)
            case ASCII.carriageReturn:
                buffer.append(ASCII.backslash)
                buffer.append(ASCII.lowerR)
            case ASCII.tab:
                buffer.append(ASCII.backslash)
                buffer.append(ASCII.lowerT)
            case 0..<0x20:
                buffer.append(contentsOf: [ASCII.backslash, ASCII.lowerU, ASCII.zero, ASCII.zero])
                buffer.append(JSONOutput.hexDigit(byte >> 4))
                buffer.append(JSONOutput.hexDigit(byte & 0x0F))
            default:
                buffer.append(byte)
            }
        }
        buffer.append(ASCII.quote)
    }

    /// Appends an integer in decimal.
    static func appendInteger(_ value: Int, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: String(value).utf8)
    }

    /// The lowercase hex digit of `value` (0...15).
    static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? ASCII.zero + value : 0x61 + value - 10
    }

    /// `text` as a JSON string, for messages and file contents built outside the hot path.
    static func string(_ text: String) -> String {
        var buffer: [UInt8] = []
        JSONOutput.appendString(text, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
