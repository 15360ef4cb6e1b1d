/// The rules of ZC 0006-2003 (and the older 8-digit numbers) over ASCII digit bytes.
enum PatentNumberValidator {
    /// Check-digit weights; they wrap 9 → 2.
    private static let weights: [Int] = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]

    /// The check character (ASCII `0`–`9` or `X`) for the digits of a body.
    static func checkByte<Digits: Collection>(for digits: Digits) -> UInt8 where Digits.Element == UInt8 {
        var sum = 0
        for (offset, digit) in digits.enumerated() {
            sum += Int(digit &- 0x30) * Self.weights[offset % Self.weights.count]
        }
        let remainder = sum % 11
        return remainder == 10 ? UInt8(ascii: "X") : UInt8(ascii: "0") + UInt8(remainder)
    }

    /// Whether the year and type digits are possible (the check character is not looked at).
    static func hasPlausibleYearAndType(body: [UInt8], currentYear: Int) -> Bool {
        switch Self.validateYearAndType(body: body, currentYear: currentYear) {
        case .none: return true
        case .some: return false
        }
    }

    /// Whether an 8-digit body is from 1985–1988, when numbers had no check digit.
    static func isFromBeforeCheckDigits(body: [UInt8]) -> Bool {
        guard body.count == 8 else { return false }
        let year = TextBytes.decimalValue(body.prefix(2))
        return year >= 85 && year <= 88
    }

    /// Checks length, year, type and check character. `check` is ASCII `0`–`9` or upper-case `X`.
    /// `currentYear` nil skips the upper bound of the year.
    static func validate(body: [UInt8], check: UInt8?, currentYear: Int?)
        -> Result<PatentApplicationNumber, PatentNumberProblem>
    {
        guard body.count == 12 || body.count == 8, body.allSatisfy(TextBytes.isDigit) else {
            return .failure(.wrongLength)
        }
        if let problem = Self.validateYearAndType(body: body, currentYear: currentYear) {
            return .failure(problem)
        }
        let expected = Self.checkByte(for: body)
        let bodyText = String(decoding: body, as: UTF8.self)
        guard let written = check else {
            if Self.isFromBeforeCheckDigits(body: body) {
                return .success(PatentApplicationNumber(uncheckedBody: bodyText, checkCharacter: nil))
            }
            return .failure(.missingCheckCharacter(expected: Character(Unicode.Scalar(expected))))
        }
        guard written == expected else {
            return .failure(
                .wrongCheckCharacter(
                    written: Character(Unicode.Scalar(written)), expected: Character(Unicode.Scalar(expected))))
        }
        return .success(
            PatentApplicationNumber(uncheckedBody: bodyText, checkCharacter: Character(Unicode.Scalar(written))))
    }

    private static func validateYearAndType(body: [UInt8], currentYear: Int?) -> PatentNumberProblem? {
        let typeIndex: Int
        if body.count == 12 {
            let year = TextBytes.decimalValue(body.prefix(4))
            if year < 2003 || year > (currentYear ?? 9999) {
                return .implausibleYear(year)
            }
            typeIndex = 4
        } else {
            let year = TextBytes.decimalValue(body.prefix(2))
            if !(year >= 85 || year <= 3) {
                return .implausibleYear(year >= 85 ? 1900 + year : 2000 + year)
            }
            typeIndex = 2
        }
        if PatentApplicationNumber.Kind(typeDigit: body[typeIndex]) == nil {
            return .unknownType(Character(Unicode.Scalar(body[typeIndex])))
        }
        return nil
    }
}
