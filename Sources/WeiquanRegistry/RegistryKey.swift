import WeiquanCore

/// A right's number packed into 64 bits: what the compact registry sorts and searches.
///
/// Patents: the 8 or 12 digits of the body, a bit for 8-digit numbers and one for numbers without a check
/// character. Trademarks: the digits, their count, the `G` prefix and up to two suffix letters.
package enum RegistryKey {
    private static let shortBody: UInt64 = 1 << 44
    private static let noCheck: UInt64 = 1 << 45

    /// The key of a patent application number.
    package static func patent(_ number: PatentApplicationNumber) -> UInt64 {
        var key = UInt64(number.body) ?? 0
        if number.body.utf8.count == 8 { key |= Self.shortBody }
        if number.checkCharacter == nil { key |= Self.noCheck }
        return key
    }

    /// The patent application number of a key.
    package static func patentNumber(_ key: UInt64) -> PatentApplicationNumber? {
        let length = key & Self.shortBody != 0 ? 8 : 12
        let digits = String(key & (Self.shortBody - 1))
        let body = String(repeating: "0", count: max(0, length - digits.count)) + digits
        let check = key & Self.noCheck != 0 ? nil : PatentApplicationNumber.checkCharacter(forBody: body)
        return PatentApplicationNumber(body: body, checkCharacter: check)
    }

    /// The key of a trademark number.
    package static func trademark(_ number: TrademarkNumber) -> UInt64 {
        var key = UInt64(number.digits) ?? 0
        key |= UInt64(number.digits.utf8.count) << 27
        if number.prefix == "G" { key |= 1 << 31 }
        for (offset, letter) in number.suffix.utf8.prefix(2).enumerated() {
            key |= UInt64(letter - UInt8(ascii: "A") + 1) << (32 + 5 * UInt64(offset))
        }
        return key
    }

    /// The trademark number of a key.
    package static func trademarkNumber(_ key: UInt64) -> TrademarkNumber? {
        let count = Int((key >> 27) & 0xF)
        let digits = String(key & ((1 << 27) - 1))
        let padded = String(repeating: "0", count: max(0, count - digits.count)) + digits
        var suffix = ""
        for offset in 0..<2 {
            let letter = (key >> (32 + 5 * UInt64(offset))) & 0x1F
            if letter != 0 { suffix.append(Character(Unicode.Scalar(UInt8(letter) + UInt8(ascii: "A") - 1))) }
        }
        return TrademarkNumber(prefix: key & (1 << 31) != 0 ? "G" : "", digits: padded, suffix: suffix)
    }
}
