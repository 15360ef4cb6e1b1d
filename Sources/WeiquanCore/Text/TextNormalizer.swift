/// Brings user text into the one form the matcher and extractors read.
///
/// ``normalize(_:)`` does, in one pass over the unicode scalars:
/// - full-width forms (U+FF01–U+FF5E) → ASCII, ideographic space → space;
/// - Chinese punctuation → ASCII (`。．` → `.`, `，、` → `,`, `【】〔〕` → `[]`, `「」『』“”` → `"`, `‘’` → `'`,
///   `～〜` → `~`, dashes → `-`, `…` → `...`);
/// - traditional → simplified characters (a table generated from ICU's `Hant-Hans`, see
///   `scripts/generate-traditional-simplified.swift`), leaving characters that are also standard
///   simplified characters (著, 乾, 藉 …) alone;
/// - lower-case letters;
/// - control and zero-width characters removed; whitespace runs collapsed to one space; both ends trimmed.
///
/// The result is meant for matching only. Keep the user's original text for anything shown or stored
/// (names, addresses): the simplification also changes a few characters that are only used in names.
public struct TextNormalizer: Sendable {
    /// Creates a normaliser; it holds no state (the lookup table is shared and built once).
    public init() {}

    /// Full normalisation, idempotent: `normalize(normalize(x)) == normalize(x)`.
    public func normalize(_ text: String) -> String {
        var output = NormalizedTextBuffer(capacity: text.utf8.count)
        TraditionalSimplifiedTable.table.withUnsafeBufferPointer { table in
            for scalar in text.unicodeScalars {
                let value = scalar.value
                if value < 0x80 {
                    Self.appendASCII(UInt8(truncatingIfNeeded: value), to: &output)
                } else {
                    Self.appendNonASCII(scalar, table: table, to: &output)
                }
            }
        }
        return output.string
    }

    /// Only the traditional → simplified step (benchmarked separately). Everything else is left as it is.
    public func simplified(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        TraditionalSimplifiedTable.table.withUnsafeBufferPointer { table in
            for scalar in text.unicodeScalars {
                UTF8Writer.append(TraditionalSimplifiedTable.simplify(scalar.value, table: table), to: &bytes)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    private static func appendASCII(_ byte: UInt8, to output: inout NormalizedTextBuffer) {
        switch byte {
        case 0x41...0x5A:
            output.appendASCII(byte | 0x20)
        case 0x20, 0x09...0x0D:
            output.appendWhitespace()
        case 0x00...0x1F, 0x7F:
            break
        default:
            output.appendASCII(byte)
        }
    }

    private static func appendNonASCII(
        _ scalar: Unicode.Scalar, table: UnsafeBufferPointer<UInt32>, to output: inout NormalizedTextBuffer
    ) {
        let value = scalar.value
        switch value {
        case 0x3400...0x9FFF, 0xF900...0xFAFF:
            output.appendScalar(TraditionalSimplifiedTable.simplify(value, table: table))
        case 0xFF01...0xFF5E:
            Self.appendASCII(UInt8(truncatingIfNeeded: value - 0xFEE0), to: &output)
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            output.appendWhitespace()
        case 0x80...0x9F, 0xAD, 0x200B, 0x2060, 0xFEFF:
            break
        case 0x3002, 0xFF61:
            output.appendASCII(UInt8(ascii: "."))
        case 0x3001, 0xFF64:
            output.appendASCII(UInt8(ascii: ","))
        case 0x3010, 0x3014, 0x3016:
            output.appendASCII(UInt8(ascii: "["))
        case 0x3011, 0x3015, 0x3017:
            output.appendASCII(UInt8(ascii: "]"))
        case 0x300C...0x300F, 0x201C...0x201F, 0xFF62, 0xFF63:
            output.appendASCII(UInt8(ascii: "\""))
        case 0x2018...0x201B:
            output.appendASCII(UInt8(ascii: "'"))
        case 0x301C:
            output.appendASCII(UInt8(ascii: "~"))
        case 0x2010...0x2015, 0x2212, 0xFE58, 0xFE63:
            output.appendASCII(UInt8(ascii: "-"))
        case 0x2026:
            output.appendASCII(UInt8(ascii: "."))
            output.appendASCII(UInt8(ascii: "."))
            output.appendASCII(UInt8(ascii: "."))
        case 0x2E80...0x33FF, 0xAC00...0xD7FF, 0x1F000...:
            // CJK radicals, kana, Hangul, emoji: no case, no mapping.
            output.appendScalar(value)
        default:
            if scalar.properties.changesWhenLowercased {
                for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                    output.appendScalar(lower.value)
                }
            } else {
                output.appendScalar(value)
            }
        }
    }
}
