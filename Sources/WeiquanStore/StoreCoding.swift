import Foundation

/// The JSON encoder and decoder every typed document goes through, so that the files read the same
/// whoever wrote them: keys sorted, slashes unescaped, dates as ISO-8601 strings in UTC with
/// milliseconds (`2024-05-01T08:30:00.250Z`).
///
/// Dates keep millisecond precision across a round trip. The decoder also accepts dates without
/// fractional seconds (a hand-edited file).
public enum StoreCoding {
    /// The shared encoder (safe to use from any thread).
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(StoreCoding.fractionalDateStyle))
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

    /// `2024-05-01T08:30:00.250Z`.
    static let fractionalDateStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    /// `2024-05-01T08:30:00Z`.
    static let wholeSecondDateStyle = Date.ISO8601FormatStyle()
}
