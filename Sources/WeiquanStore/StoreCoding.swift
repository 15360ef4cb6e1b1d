import Foundation

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
    static func text(of date: Date) -> String {
        let milliseconds = (date.timeIntervalSinceReferenceDate * 1000).rounded(.toNearestOrAwayFromZero)
        // Whole milliseconds are exact in a Double up to 2^53 (about 285,000 years either side of 2001).
        // Beyond, or for a date that is not a number, the formatter's own (clamped) text is all there is.
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
}
