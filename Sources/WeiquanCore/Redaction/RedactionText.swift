/// A message prepared for the redaction detectors, with a map back to the original.
///
/// The detectors read ``bytes``: UTF-8 in which
/// - full-width forms are ASCII, ASCII letters are lower-case, ideographic and no-break spaces are spaces,
///   tabs are spaces (line breaks stay);
/// - `。` and `｡` are `.`, dashes and minus signs are `-`;
/// - traditional characters are simplified (the table ``TextNormalizer`` uses);
/// - zero-width and control characters are gone;
/// - Chinese digits (`零〇○一幺二…九`, `壹贰…玖`) are ASCII digits where they stand in a run of at least
///   ``chineseDigitRun`` digits (`一三八零零一三八零零零`, `138零零一三八零零零`), and only there, so that
///   `一个`, `第一` and `二〇二三年` stay words.
///
/// Every scalar maps to at most one scalar, so each byte of ``bytes`` knows the UTF-8 range of the scalar of
/// the original it came from (``originalRange(_:)``).
struct RedactionText {
    /// The fewest digits (ASCII and Chinese together) of a run in which Chinese digits are read as digits.
    static let chineseDigitRun = 5

    /// The normalised UTF-8.
    let bytes: [UInt8]
    /// For each byte of ``bytes``, the UTF-8 offset in the original where its scalar starts.
    private let starts: [Int]
    /// For each byte of ``bytes``, the UTF-8 offset in the original where its scalar ends.
    private let ends: [Int]

    init(_ text: String) {
        var scalars: [Unicode.Scalar] = []
        var starts: [Int] = []
        var ends: [Int] = []
        scalars.reserveCapacity(text.utf8.count)
        var offset = 0
        TraditionalSimplifiedTable.table.withUnsafeBufferPointer { table in
            for scalar in text.unicodeScalars {
                let length = UTF8.width(scalar)
                if let mapped = Self.map(scalar, table: table) {
                    scalars.append(mapped)
                    starts.append(offset)
                    ends.append(offset + length)
                }
                offset += length
            }
        }
        Self.readChineseDigits(&scalars)
        var bytes: [UInt8] = []
        var byteStarts: [Int] = []
        var byteEnds: [Int] = []
        bytes.reserveCapacity(scalars.count)
        byteStarts.reserveCapacity(scalars.count)
        byteEnds.reserveCapacity(scalars.count)
        for (index, scalar) in scalars.enumerated() {
            let before = bytes.count
            UTF8Writer.append(scalar.value, to: &bytes)
            for _ in before..<bytes.count {
                byteStarts.append(starts[index])
                byteEnds.append(ends[index])
            }
        }
        self.bytes = bytes
        self.starts = byteStarts
        self.ends = byteEnds
    }

    /// The UTF-8 range in the original text of the normalised bytes `range` (not empty).
    func originalRange(_ range: Range<Int>) -> Range<Int> {
        self.starts[range.lowerBound]..<self.ends[range.upperBound - 1]
    }

    /// The scalar a detector reads for `scalar`, or nil when it is dropped.
    private static func map(_ scalar: Unicode.Scalar, table: UnsafeBufferPointer<UInt32>) -> Unicode.Scalar? {
        let value = scalar.value
        switch value {
        case 0x41...0x5A:
            return Unicode.Scalar(UInt8(value) | 0x20)
        case 0x09:
            return " "
        case 0x0A, 0x0D:
            return scalar
        case 0x00...0x1F, 0x7F:
            return nil
        case 0x20...0x7E:
            return scalar
        case 0xFF01...0xFF5E:
            return Self.map(Unicode.Scalar(UInt8(value - 0xFEE0)), table: table)
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000:
            return " "
        case 0x80...0x9F, 0xAD, 0x200B...0x200D, 0x2060, 0xFEFF:
            return nil
        case 0x3002, 0xFF61:
            return "."
        case 0x2010...0x2015, 0x2212, 0xFE58, 0xFE63:
            return "-"
        case TraditionalSimplifiedTable.mainStart...TraditionalSimplifiedTable.mainEnd,
            TraditionalSimplifiedTable.compatibilityStart...TraditionalSimplifiedTable.compatibilityEnd:
            return Unicode.Scalar(TraditionalSimplifiedTable.simplify(value, table: table)) ?? scalar
        default:
            return scalar
        }
    }

    /// The digit a Chinese character stands for when a number is spelt out, or nil.
    static func chineseDigit(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar {
        case "零", "〇", "○": 0
        case "一", "幺", "壹": 1
        case "二", "贰", "貳": 2
        case "三", "叁": 3
        case "四", "肆": 4
        case "五", "伍": 5
        case "六", "陆", "陸": 6
        case "七", "柒": 7
        case "八", "捌": 8
        case "九", "玖": 9
        default: nil
        }
    }

    /// Rewrites Chinese digits as ASCII digits inside runs of at least ``chineseDigitRun`` digits; digits of a
    /// run may be separated by one space or hyphen.
    private static func readChineseDigits(_ scalars: inout [Unicode.Scalar]) {
        var index = 0
        while index < scalars.count {
            guard Self.isAnyDigit(scalars[index]) else {
                index += 1
                continue
            }
            let start = index
            var digits = 0
            var chinese = 0
            var end = index
            while index < scalars.count {
                if Self.isAnyDigit(scalars[index]) {
                    digits += 1
                    if Self.chineseDigit(scalars[index]) != nil { chinese += 1 }
                    index += 1
                    end = index
                } else if scalars[index] == " " || scalars[index] == "-", index + 1 < scalars.count,
                    Self.isAnyDigit(scalars[index + 1])
                {
                    index += 1
                } else {
                    break
                }
            }
            if chinese > 0 && digits >= Self.chineseDigitRun {
                for position in start..<end {
                    if let digit = Self.chineseDigit(scalars[position]) {
                        scalars[position] = Unicode.Scalar(UInt8(ascii: "0") + digit)
                    }
                }
            }
            index = max(index, end)
        }
    }

    private static func isAnyDigit(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value >= 0x30 && scalar.value <= 0x39) || Self.chineseDigit(scalar) != nil
    }
}
