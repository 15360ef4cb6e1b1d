/// Reads a whole answer as a trademark number (ip-domain.md §2).
public enum TrademarkNumberParser {
    /// Labels a user may write before the number, longest first.
    private static let labels: [StaticString] = [
        "商标注册号", "商标申请号", "注册证号", "商标号", "注册号", "申请号", "号码",
    ]

    /// Parses a whole answer such as "第12345678号", "12345678", "注册号：12345678", "G1234567", "g 1234567",
    /// "第 1328994 号", "16435657A". Nil when there are no digits, more than 8, or letters other than a
    /// `G` prefix and a suffix of at most two letters.
    public static func parse(_ text: String) -> TrademarkNumber? {
        let normalized = TextNormalizer().normalize(text)
        return TextBytes.withBytes(normalized) { bytes in
            var start = 0
            for label in Self.labels {
                if let next = TextBytes.skip(label, in: bytes, at: 0) {
                    start = TextBytes.skipLabelSeparators(bytes, from: next)
                    break
                }
            }
            guard let match = TrademarkNumberScanner.scan(bytes, at: start, requireOrdinalClose: false),
                TextBytes.endAfterTrailingPunctuation(bytes, from: match.end) != nil
            else {
                return nil
            }
            return match.number
        }
    }
}
