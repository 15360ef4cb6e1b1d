import Foundation
import WeiquanCore

/// The JSON encoder and decoder every typed document goes through, so that the files read the same
/// whoever wrote them: keys sorted, slashes unescaped, dates as ISO-8601 strings in UTC with
/// milliseconds (`2024-05-01T08:30:00.250Z`).
///
/// A date is written rounded to the nearest millisecond (a half away from zero), before 1970 as well as
/// after, so a date read back is the one written to within half a millisecond, and a date read from a file
/// is written again unchanged. The decoder also accepts dates without fractional seconds (a hand-edited
/// file) or with more than three digits of them.
public enum StoreCoding {
    /// Decodes the typed document stored as `key`; a failure is a `StoreError` `.coding` naming the document.
    public static func decode<D: StoredDocument>(_ type: D.Type, key: DocumentKey, from json: Data) throws -> D {
        do {
            return try StoreCoding.decoder.decode(type, from: json)
        } catch {
            throw StoreError(code: .coding, message: "cannot decode \(key) as \(D.self): \(error)")
        }
    }

    /// `document` as JSON on one line, byte for byte what ``encoder`` writes, but through the store's own
    /// encoder (``StoreJSONEncoder``), several times faster; a document holding something that encoder does not
    /// write exactly (`Data`, `URL`, `Decimal`, a number that is not finite) is encoded by ``encoder`` instead,
    /// so its bytes, or its error, are Foundation's.
    public static func encode<T: Encodable>(_ document: T) throws -> Data {
        do {
            return Data(try StoreJSONEncoder.encode(document))
        } catch is StoreJSONEncoder.Unsupported {
            return try StoreCoding.encoder.encode(document)
        }
    }

    /// The shared encoder (safe to use from any thread).
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(StoreCoding.text(of: date))
        }
        return encoder
    }()

    /// The shared decoder (safe to use from any thread).
    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? StoreCoding.fractionalDateStyle.parse(text) {
                return date
            }
            if let date = try? StoreCoding.wholeSecondDateStyle.parse(text) {
                return date
            }
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected an ISO-8601 date such as 2024-05-01T08:30:00.250Z, found \(text)"
            )
        }
        return decoder
    }()

    /// `date` as written: `2024-05-01T08:30:00.250Z`, rounded to the nearest millisecond.
    ///
    /// Foundation's formatter truncates the fraction (toward the past), so `…00.2499999` would come out as
    /// `.249` and a date just before 1970 read from a file would not be written back the same. The date is
    /// therefore split here into whole seconds, which the formatter writes exactly, and the millisecond.
    ///
    /// Dates from 1583 to 9999 (the Gregorian calendar throughout, four-digit years) are written with integer
    /// arithmetic, without the formatter; others through it.
    static func text(of date: Date) -> String {
        let milliseconds = (date.timeIntervalSinceReferenceDate * 1000).rounded(.toNearestOrAwayFromZero)
        // Whole milliseconds are exact in a Double up to 2^53 (about 285,000 years either side of 2001).
        if abs(milliseconds) <= 0x20_0000_0000_0000,
            let text = StoreCoding.civilText(millisecondsSince2001: Int64(milliseconds))
        {
            return text
        }
        return StoreCoding.formatterText(of: date)
    }

    /// ``text(of:)`` computed with Foundation's formatter only (for the years the civil arithmetic leaves out, and
    /// for the tests that compare the two).
    static func formatterText(of date: Date) -> String {
        let milliseconds = (date.timeIntervalSinceReferenceDate * 1000).rounded(.toNearestOrAwayFromZero)
        // Beyond 2^53 milliseconds, or for a date that is not a number, the formatter's own (clamped) text is all
        // there is.
        guard abs(milliseconds) <= 0x20_0000_0000_0000 else {
            return date.formatted(StoreCoding.fractionalDateStyle)
        }
        let seconds = (milliseconds / 1000).rounded(.down)
        let millisecond = Int(milliseconds - seconds * 1000)  // 0...999, also before 1970 and 2001
        // `2024-05-01T08:30:00Z`: the whole-second form always ends in the `Z` of UTC.
        let whole = Date(timeIntervalSinceReferenceDate: seconds).formatted(StoreCoding.wholeSecondDateStyle)
        let digits = String(millisecond)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// `2024-05-01T08:30:00.250Z`.
    static let fractionalDateStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    /// `2024-05-01T08:30:00Z`.
    static let wholeSecondDateStyle = Date.ISO8601FormatStyle()

    /// `2024-05-01T08:30:00.250Z` for a whole number of milliseconds since 2001 (UTC), computed with the civil
    /// calendar's day arithmetic (Howard Hinnant's `civil_from_days`); nil outside the years 1583...9999, where
    /// the formatter (with its Julian calendar before October 1582, and its own year widths) decides.
    static func civilText(millisecondsSince2001 milliseconds: Int64) -> String? {
        let unix = milliseconds + 978_307_200_000
        let (seconds, millisecond) = StoreCoding.floorDivision(unix, 1000)
        let (days, secondOfDay) = StoreCoding.floorDivision(seconds, 86400)
        let civil = CivilDay.date(Int(days))
        guard (1583...9999).contains(civil.year) else { return nil }
        let (year, month, day) = (Int64(civil.year), Int64(civil.month), Int64(civil.day))
        // Written straight into the string's storage: one allocation a date (the journal writes several a message).
        return String(unsafeUninitializedCapacity: 24) { bytes in
            func put(_ value: Int64, at offset: Int, digits: Int) {
                var rest = value
                for position in stride(from: offset + digits - 1, through: offset, by: -1) {
                    bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, at: 0, digits: 4)
            put(month, at: 5, digits: 2)
            put(day, at: 8, digits: 2)
            put(secondOfDay / 3600, at: 11, digits: 2)
            put(secondOfDay / 60 % 60, at: 14, digits: 2)
            put(secondOfDay % 60, at: 17, digits: 2)
            put(millisecond, at: 20, digits: 3)
            bytes[4] = UInt8(ascii: "-")
            bytes[7] = UInt8(ascii: "-")
            bytes[10] = UInt8(ascii: "T")
            bytes[13] = UInt8(ascii: ":")
            bytes[16] = UInt8(ascii: ":")
            bytes[19] = UInt8(ascii: ".")
            bytes[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// `value` divided by `divisor` (positive), rounded toward minus infinity, and the remainder (0..<divisor).
    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }
}
