/// Bank card numbers as ASCII digit bytes: 13–19 digits passing the Luhn check.
enum BankCardNumber {
    /// The lengths a card number has.
    static let lengths = 13...19

    /// Whether the digits pass the Luhn (mod 10) check.
    static func passesLuhn<Digits: BidirectionalCollection>(_ digits: Digits) -> Bool where Digits.Element == UInt8 {
        guard !digits.isEmpty else { return false }
        var sum = 0
        for (offset, byte) in digits.reversed().enumerated() {
            guard TextBytes.isDigit(byte) else { return false }
            var value = Int(byte &- 0x30)
            if offset % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    /// Whether the digits could be a card number: a possible length, no leading zero, and the Luhn check.
    static func isPlausible(_ digits: [UInt8]) -> Bool {
        Self.lengths.contains(digits.count) && digits.first != UInt8(ascii: "0") && Self.passesLuhn(digits)
    }
}
