/// Unified social credit codes (统一社会信用代码, GB 32100-2015; ip-domain.md §6.3) as ASCII bytes.
enum CreditCode {
    /// The 31 characters a code is written with (no I, O, Z, S, V), in the order of their values.
    private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    /// Weights of the first 17 characters.
    private static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    /// A code's length.
    static let length = 18

    /// The value (0–30) of a character, upper- or lower-case, or nil when codes do not use it.
    static func value(of byte: UInt8) -> Int? {
        var upper = byte
        if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { upper = byte - 0x20 }
        return Self.alphabet.firstIndex(of: upper)
    }

    /// Whether 18 characters form a code with the right check character (`31 − Σ mod 31`, 31 → 0).
    static func isValid(_ characters: [UInt8]) -> Bool {
        guard characters.count == Self.length else { return false }
        var sum = 0
        for offset in 0..<17 {
            guard let value = Self.value(of: characters[offset]) else { return false }
            sum += value * Self.weights[offset]
        }
        guard let written = Self.value(of: characters[17]) else { return false }
        let check = (31 - sum % 31) % 31
        return written == check
    }
}
