/// Reads a whole answer as a patent application number (ip-domain.md §1).
public enum PatentNumberParser {
    /// Labels a user may write before the number.
    private static let labels: [StaticString] = ["专利申请号", "专利号码", "专利号", "申请号", "号码"]

    /// Parses a whole answer such as "ZL 2013 1 0268509.X", "CN201310268509。x", "２０１３１０２６８５０９．Ｘ",
    /// "97101765.4", "201310268509X".
    ///
    /// Accepted: an optional `CN`/`ZL` prefix (any case, optional space after); an optional label in front
    /// (专利号, 申请号 …, then `:` or 是); single spaces between digits; `.`, `。`, `．` or nothing before the
    /// check character; full-width digits; lower-case `x`; trailing sentence punctuation. 12 digits without
    /// a check character give `.invalid(…, .missingCheckCharacter)`: ask the user to confirm, never accept
    /// silently. `currentYear` bounds the year of 12-digit numbers.
    public static func parse(_ text: String, currentYear: Int) -> PatentNumberParse {
        let normalized = TextNormalizer().normalize(text)
        return TextBytes.withBytes(normalized) { bytes in
            Self.parse(bytes: bytes, currentYear: currentYear)
        }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>, currentYear: Int) -> PatentNumberParse {
        var start = 0
        for label in Self.labels {
            if let next = TextBytes.skip(label, in: bytes, at: 0) {
                start = TextBytes.skipLabelSeparators(bytes, from: next)
                break
            }
        }
        guard let candidate = PatentNumberScanner.scan(bytes, at: start, lenient: true),
            TextBytes.endAfterTrailingPunctuation(bytes, from: candidate.end) != nil
        else {
            return .notAPatentNumber
        }
        let body = candidate.body
        guard body.count == 12 || body.count == 8 else {
            if candidate.hasPrefix || candidate.explicitCheck || body.count >= 5 {
                return .invalid(digits: PatentNumberScanner.writtenDigits(candidate), .wrongLength)
            }
            return .notAPatentNumber
        }
        switch PatentNumberValidator.validate(body: body, check: candidate.check, currentYear: currentYear) {
        case .success(let number):
            return .valid(number)
        case .failure(let problem):
            return .invalid(digits: PatentNumberScanner.writtenDigits(candidate), problem)
        }
    }
}
