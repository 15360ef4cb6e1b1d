/// Resident ID numbers (公民身份号码, GB 11643-1999; ip-domain.md §6.2) as ASCII bytes.
enum ResidentIDNumber {
    /// What the characters of an ID-shaped number say.
    enum Verdict: Equatable {
        /// 18 characters with a possible region and birth date and the right check character, or an old
        /// 15-digit number with a possible region and birth date (it has no check character).
        case valid
        /// The shape of an ID (region, birth date) with a wrong check character: most likely a typo.
        case wrongCheck
        /// Not an ID number.
        case invalid
    }

    /// Weights of ISO 7064 MOD 11-2 for the first 17 digits (`2^(17-i) mod 11`).
    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// The check character for each remainder.
    private static let checkCharacters: [UInt8] = Array("10X98765432".utf8)
    /// The first two digits of the address code: provinces, and 71/81/82/83 for residence permits.
    private static let provinces: Set<Int> = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
        61, 62, 63, 64, 65, 71, 81, 82, 83,
    ]

    /// The check character (`0`–`9` or `X`) of the first 17 digits.
    static func checkCharacter<Digits: Collection>(for digits: Digits) -> UInt8 where Digits.Element == UInt8 {
        var sum = 0
        for (offset, digit) in digits.prefix(17).enumerated() {
            sum += Int(digit &- 0x30) * Self.weights[offset]
        }
        return Self.checkCharacters[sum % 11]
    }

    /// Judges 18 characters (17 digits and a digit or `X`/`x`) or 15 digits.
    ///
    /// The birth year of an 18-character number must be 1800–2099 (GB 11643's own example was born in 1880;
    /// the core reads no clock, so a date in the future is not refused); a 15-digit number's two-digit year is
    /// 19xx.
    static func verdict(_ characters: [UInt8]) -> Verdict {
        switch characters.count {
        case 18:
            guard characters.prefix(17).allSatisfy(TextBytes.isDigit), Self.hasPossibleRegion(characters) else {
                return .invalid
            }
            let year = TextBytes.decimalValue(characters[6..<10])
            let month = TextBytes.decimalValue(characters[10..<12])
            let day = TextBytes.decimalValue(characters[12..<14])
            guard (1800...2099).contains(year), Self.isDate(year: year, month: month, day: day) else {
                return .invalid
            }
            var last = characters[17]
            if last == UInt8(ascii: "x") { last = UInt8(ascii: "X") }
            guard TextBytes.isDigit(last) || last == UInt8(ascii: "X") else { return .invalid }
            return last == Self.checkCharacter(for: characters) ? .valid : .wrongCheck
        case 15:
            guard characters.allSatisfy(TextBytes.isDigit), Self.hasPossibleRegion(characters) else {
                return .invalid
            }
            let year = 1900 + TextBytes.decimalValue(characters[6..<8])
            let month = TextBytes.decimalValue(characters[8..<10])
            let day = TextBytes.decimalValue(characters[10..<12])
            return Self.isDate(year: year, month: month, day: day) ? .valid : .invalid
        default:
            return .invalid
        }
    }

    private static func hasPossibleRegion(_ characters: [UInt8]) -> Bool {
        Self.provinces.contains(TextBytes.decimalValue(characters.prefix(2)))
    }

    /// Whether the day exists in the Gregorian calendar.
    static func isDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }
}
