import Foundation
import Testing

@testable import WeiquanStore

@Suite struct StoreCodingTests {
    struct Stamped: Codable, Equatable {
        var at: Date
    }

    /// The JSON text of a date as the store writes it.
    func written(_ date: Date) throws -> String {
        let json = String(decoding: try StoreCoding.encoder.encode(Stamped(at: date)), as: UTF8.self)
        return String(json.dropFirst(#"{"at":""#.count).dropLast(#""}"#.count))
    }

    /// The date the store reads from a text.
    func read(_ text: String) throws -> Date {
        try StoreCoding.decoder.decode(Stamped.self, from: Data(#"{"at":"\#(text)"}"#.utf8)).at
    }

    /// 2024-05-01T08:30:00Z, in seconds since 1970.
    static let may1 = 1_714_552_200.0

    /// Seconds since 1970, and the text they are written as.
    static let rounding: [(Double, String)] = [
        (Self.may1 + 0.250, "2024-05-01T08:30:00.250Z"),
        // Just below a millisecond boundary: truncating wrote .249 and .999.
        (Self.may1 + 0.2499999999, "2024-05-01T08:30:00.250Z"),
        (Self.may1 + 0.2496, "2024-05-01T08:30:00.250Z"),
        (Self.may1 + 0.2504, "2024-05-01T08:30:00.250Z"),
        (Self.may1 + 0.0009, "2024-05-01T08:30:00.001Z"),
        (Self.may1 + 0.0004, "2024-05-01T08:30:00.000Z"),
        // Rounding up can carry into the next second, minute, day and year.
        (Self.may1 + 0.9996, "2024-05-01T08:30:01.000Z"),
        (1_735_689_599.9997, "2025-01-01T00:00:00.000Z"),
        (1_735_689_599.9994, "2024-12-31T23:59:59.999Z"),
        // Before 1970 (negative times) and before 2001 (Foundation's reference date).
        (-0.0004, "1970-01-01T00:00:00.000Z"),
        (-0.0006, "1969-12-31T23:59:59.999Z"),
        (-0.001, "1969-12-31T23:59:59.999Z"),
        (-1.2496, "1969-12-31T23:59:58.750Z"),
        (-1.2504, "1969-12-31T23:59:58.750Z"),
        (-1.2506, "1969-12-31T23:59:58.749Z"),
        (-86_399.9996, "1969-12-31T00:00:00.000Z"),
        (-86_400.9996, "1969-12-30T23:59:59.000Z"),
        (978_307_199.9996, "2001-01-01T00:00:00.000Z"),
        (978_307_200.0004, "2001-01-01T00:00:00.000Z"),
        (978_307_199.9994, "2000-12-31T23:59:59.999Z"),
    ]

    @Test(arguments: StoreCodingTests.rounding)
    func datesAreRoundedToTheNearestMillisecond(seconds: Double, expected: String) throws {
        #expect(try self.written(Date(timeIntervalSince1970: seconds)) == expected)
    }

    /// What is on disk reads as before (the decoder did not change) and is written back the same.
    @Test(arguments: [
        "2024-05-01T08:30:00.250Z", "2024-05-01T08:30:00.001Z", "2024-05-01T08:30:00.999Z", "2026-11-21T01:00:00.000Z",
        "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.001Z", "1900-02-28T12:34:56.789Z",
        "2000-12-31T23:59:59.999Z", "2999-12-31T23:59:59.999Z", "0001-01-01T00:00:00.000Z",
    ])
    func whatWasWrittenReadsTheSameAndIsWrittenBackUnchanged(text: String) throws {
        let date = try self.read(text)
        #expect(try self.written(date) == text)
        #expect(date == (try StoreCoding.fractionalDateStyle.parse(text)))
    }

    @Test func handEditedDatesStillRead() throws {
        #expect(try self.read("2024-05-01T08:30:00Z") == Date(timeIntervalSince1970: Self.may1))
        #expect(try self.written(try self.read("2024-05-01T08:30:00Z")) == "2024-05-01T08:30:00.000Z")
        #expect(try self.written(try self.read("2024-05-01T08:30:00.2506Z")) == "2024-05-01T08:30:00.251Z")
        #expect(try self.written(try self.read("2024-05-01T08:30:00.25Z")) == "2024-05-01T08:30:00.250Z")
        #expect(throws: DecodingError.self) { try self.read("yesterday") }
    }

    /// Over many dates either side of 1970 and 2001: what is read back is within half a millisecond of what was
    /// written, and writing it again changes nothing.
    @Test func aRoundTripMovesADateByLessThanHalfAMillisecond() throws {
        // Steps of 0.1237 ms (not a divisor of a millisecond) over 0.4 s across each boundary.
        for base in [-0.2, 978_307_199.8, Self.may1 - 0.2] {
            for step in 0..<3_300 {
                let date = Date(timeIntervalSince1970: base + Double(step) * 0.000_123_7)
                let text = try self.written(date)
                let back = try self.read(text)
                #expect(abs(back.timeIntervalSince(date)) <= 0.000_500_001, "\(date.timeIntervalSince1970) \(text)")
                #expect(try self.written(back) == text)
            }
        }
    }

    @Test func aDateBeyondWhatMillisecondsCanCountIsWrittenAsTheFormatterDoes() throws {
        for seconds in [Double.infinity, -Double.infinity, Double.nan, 1e300] {
            let date = Date(timeIntervalSinceReferenceDate: seconds)
            #expect(try self.written(date) == date.formatted(StoreCoding.fractionalDateStyle))
        }
    }
}
