/// Standard base64 (RFC 4648 alphabet, `=` padding) for the safe-mode key and ciphertexts.
///
/// Decoding is strict about the shape (only alphabet characters, length a multiple of four, at most two `=` and
/// only at the end) but, like Python's `base64.b64decode` and Foundation's decoder, ignores the unused low bits of
/// the last character: a real EncodingAESKey's 43rd character usually has them set (protocol §4.2).
enum WeChatBase64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8
    )

    /// The 6-bit value of every byte, or 0xFF for a byte outside the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in Self.alphabet.enumerated() {
            table[Int(character)] = UInt8(index)
        }
        return table
    }()

    /// The base64 text of `bytes`, with `=` padding.
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= input.count {
            let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            output.append(Self.alphabet[Int(chunk >> 18 & 0x3F)])
            output.append(Self.alphabet[Int(chunk >> 12 & 0x3F)])
            output.append(Self.alphabet[Int(chunk >> 6 & 0x3F)])
            output.append(Self.alphabet[Int(chunk & 0x3F)])
            index += 3
        }
        let remaining = input.count - index
        if remaining > 0 {
            var chunk = UInt32(input[index]) << 16
            if remaining == 2 {
                chunk |= UInt32(input[index + 1]) << 8
            }
            output.append(Self.alphabet[Int(chunk >> 18 & 0x3F)])
            output.append(Self.alphabet[Int(chunk >> 12 & 0x3F)])
            output.append(remaining == 2 ? Self.alphabet[Int(chunk >> 6 & 0x3F)] : UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of base64 `text`, or nil when it is not padded standard base64.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        let input = Array(text)
        guard input.count % 4 == 0 else { return nil }
        var padding = 0
        if input.last == UInt8(ascii: "=") {
            padding = input.dropLast().last == UInt8(ascii: "=") ? 2 : 1
        }
        let significant = input.count - padding
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bits = 0
        for index in 0..<significant {
            let value = Self.values[Int(input[index])]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // A final quartet with padding carries 2 (`xx==`) or 3 (`xxx=`) characters; leftover bits are dropped.
        guard padding == 0 || significant % 4 == 4 - padding else { return nil }
        return output
    }
}
