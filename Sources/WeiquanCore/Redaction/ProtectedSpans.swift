/// The parts of a message that are IP numbers and case ids, which the number detectors leave alone: they are
/// what the volunteer needs to answer.
///
/// Protected are:
/// - patent application and patent numbers: with `ZL`/`CN` in front, or with the check character after a dot
///   (`201310268509.X`, `97101765.4`), or 13 bare digits whose last is the right check digit;
/// - case ids (`WQ202611210001`, `WQ-20261121-0001`);
/// - trademark numbers in `第…号`, or after `商标`, `注册号` or `申请号`;
/// - order, waybill and invoice numbers after their labels (`订单号：`, `快递单号`), which are evidence of a
///   purchase, and would otherwise pass for a bank card one time in ten;
/// - web addresses (`https://…`): the link to an infringing listing.
///
/// Dates, amounts and article numbers need no protection: no detector takes them alone.
struct ProtectedSpans {
    /// For each byte index, how many protected bytes come before it (one more entry than bytes).
    private let before: [Int32]

    /// Words after which a number is a trademark (or application) number.
    private static let trademarkLabels = RedactionBytes.words([
        "商标", "商标号", "商标号码", "注册号", "申请号", "商标注册号", "商标申请号",
    ])

    /// Words after which a number identifies an order, a parcel or an invoice.
    private static let referenceLabels = RedactionBytes.words([
        "订单号", "订单编号", "单号", "运单号", "快递单号", "物流单号", "发票号", "发票号码", "交易号", "流水号",
    ])
    /// How web addresses start.
    private static let schemes = RedactionBytes.words(["http://", "https://", "www."])

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var marked = [Bool](repeating: false, count: bytes.count)
        func mark(_ range: Range<Int>) {
            for index in range where index < marked.count { marked[index] = true }
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte & 0xC0 == 0x80 {
                index += 1
                continue
            }
            if !TextBytes.alphanumeric(bytes, index - 1) {
                if let end = Self.patentNumberEnd(bytes, at: index) {
                    mark(index..<end)
                } else if let match = CaseID.scan(bytes, at: index), !TextBytes.letter(bytes, match.end) {
                    mark(index..<match.end)
                }
            }
            if TextBytes.has("第", in: bytes, at: index),
                let match = TrademarkNumberScanner.scan(bytes, at: index, requireOrdinalClose: true)
            {
                mark(index..<match.end)
            }
            if let labelEnd = RedactionBytes.skip(Self.trademarkLabels, in: bytes, at: index) {
                let start = TextBytes.skipLabelSeparators(bytes, from: labelEnd)
                if TextBytes.digit(bytes, start) || TextBytes.letter(bytes, start),
                    let match = TrademarkNumberScanner.scan(bytes, at: start, requireOrdinalClose: false),
                    !TextBytes.digit(bytes, match.end)
                {
                    mark(start..<match.end)
                }
            }
            if let labelEnd = RedactionBytes.skip(Self.referenceLabels, in: bytes, at: index) {
                let start = TextBytes.skipLabelSeparators(bytes, from: labelEnd)
                var end = start
                while TextBytes.alphanumeric(bytes, end) || TextBytes.byte(bytes, end) == UInt8(ascii: "-") {
                    end += 1
                }
                if bytes[start..<end].contains(where: TextBytes.isDigit) { mark(start..<end) }
            }
            if !TextBytes.alphanumeric(bytes, index - 1), RedactionBytes.skip(Self.schemes, in: bytes, at: index) != nil
            {
                var end = index
                while let byte = TextBytes.byte(bytes, end), byte > 0x20, byte < 0x7F { end += 1 }
                mark(index..<end)
                index = end
                continue
            }
            index += 1
        }
        var counts: [Int32] = [0]
        counts.reserveCapacity(bytes.count + 1)
        var total: Int32 = 0
        for flag in marked {
            if flag { total += 1 }
            counts.append(total)
        }
        self.before = counts
    }

    /// Whether any byte of `range` is protected.
    func overlaps(_ range: Range<Int>) -> Bool {
        let lower = min(max(range.lowerBound, 0), self.before.count - 1)
        let upper = min(max(range.upperBound, 0), self.before.count - 1)
        return self.before[upper] > self.before[lower]
    }

    /// The end of a patent number that starts at `index`, if one does.
    private static func patentNumberEnd(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        guard
            TextBytes.digit(bytes, index) || TextBytes.has("cn", in: bytes, at: index)
                || TextBytes.has("zl", in: bytes, at: index),
            let candidate = PatentNumberScanner.scan(bytes, at: index, lenient: false)
        else {
            return nil
        }
        let body = candidate.body
        guard body.count == 12 || body.count == 8 else { return nil }
        if candidate.explicitCheck || candidate.hasPrefix {
            return candidate.end
        }
        if candidate.digitCount == 13,
            case .success = PatentNumberValidator.validate(
                body: body, check: candidate.check, currentYear: nil)
        {
            return candidate.end
        }
        return nil
    }
}
