import Foundation
import Testing

@testable import WeiquanStore

/// Differential tests: the store's encoder against Foundation's (`StoreCoding.encoder`), byte for byte.
@Suite struct StoreJSONEncoderTests {
    /// Expects both encoders to write the same bytes for `value` (the store's without falling back).
    func expectSame<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let foundation = try StoreCoding.encoder.encode(value)
        let ours = try StoreJSONEncoder.encode(value)
        #expect(
            ours == Array(foundation),
            "store: \(String(decoding: ours, as: UTF8.self))\nFoundation: \(String(decoding: foundation, as: UTF8.self))",
            sourceLocation: sourceLocation)
        #expect(try StoreCoding.encode(value) == foundation, sourceLocation: sourceLocation)
    }

    /// A deterministic generator (SplitMix64), so a failure repeats.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = self.state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    @Test func stringsWithEveryEscapeAndBeyondASCII() throws {
        let controls = String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init)))
        try self.expectSame(controls)
        try self.expectSame([controls, "", "/a/b/", "\\\"", "\u{7F}", "\u{2028}\u{2029}", "\u{FEFF}"])
        try self.expectSame(["维权援助：南宁某某科技有限公司", "😀👨‍👩‍👧‍👦🇨🇳", "e\u{301}", "\u{10FFFF}"])
        try self.expectSame(["line\none": "tab\there", "quote\"": "back\\slash", "\u{8}\u{C}": "\u{0}\u{1F}"])
    }

    struct Widths: Codable {
        var int8Min = Int8.min, int8Max = Int8.max, int16Min = Int16.min, int16Max = Int16.max
        var int32Min = Int32.min, int32Max = Int32.max, int64Min = Int64.min, int64Max = Int64.max
        var intMin = Int.min, intMax = Int.max, zero = 0, uint8 = UInt8.max, uint16 = UInt16.max
        var uint32 = UInt32.max, uint64 = UInt64.max, uint = UInt.max, yes = true, no = false
    }

    @Test func numbersOfEveryWidth() throws {
        try self.expectSame(Widths())
        try self.expectSame([Int64.min, -1, 0, 1, 9, 10, 99, 100, Int64.max])
        try self.expectSame([UInt64.max, 0, 10_000_000_000_000_000_000])
        try self.expectSame([Int8.min, Int8.max])
        try self.expectSame(Int64.min)
    }

    @Test func doublesAndFloatsAsFoundationWritesThem() throws {
        let doubles: [Double] = [
            0, -0.0, 1, -1, 0.1, 0.2 + 0.1, 1e21, 1e-7, 1e22, 1.234_567_890_123_456_8e17, 100, 1.5, -2.5e-300,
            .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, .pi, 1e15, 1e16, 1e17,
            0.000_001, 0.000_01, 4_294_967_296,
        ]
        try self.expectSame(doubles)
        let floats: [Float] = [
            0, -0.0, 1, 0.1, 1e21, 1e-7, 16_777_216, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
        ]
        try self.expectSame(floats)
        try self.expectSame(["double": 0.5])
        try self.expectSame(0.1)
    }

    @Test func randomisedStringsAndNumbersWithASeed() throws {
        var generator = Seeded(state: 15)
        let alphabet: [Unicode.Scalar] =
            (0..<0x80).compactMap(Unicode.Scalar.init) + ["é", "中", "文", "😀", "\u{301}", "\u{2028}", "ｂ", "\u{E000}"]
        for _ in 0..<200 {
            let length = Int.random(in: 0...24, using: &generator)
            let text = String(
                String.UnicodeScalarView((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "a" }))
            let key = String(
                String.UnicodeScalarView((0..<3).map { _ in alphabet.randomElement(using: &generator) ?? "a" }))
            let bits = generator.next()
            let double = Double(bitPattern: bits)
            try self.expectSame([text: [key: text]])
            try self.expectSame([key + "a": Int64(bitPattern: bits), key + "b": Int64(bits % 1000) - 500])
            if double.isFinite {
                try self.expectSame([double, Double(Int64(bitPattern: bits) % 1_000_000) / 1000])
            }
            let float = Float(bitPattern: UInt32(truncatingIfNeeded: bits))
            if float.isFinite { try self.expectSame([float]) }
        }
    }

    @Test func keysInFoundationsOrder() throws {
        let keys = [
            "a10", "a2", "B", "a", "_", "1", "10", "9", "-1", "Z", "z", "ä", "A", "aB", "ab", "a_b", "é", "e",
            "e\u{301}x", "f", "éa", "ｂ", "😀", "\u{E000}", "", " ", "~", "aa", "a a", "id", "ID", "Id",
        ]
        try self.expectSame(Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) }))
        try self.expectSame([10: "ten", 2: "two", -1: "minus one", 0: "zero", 100: "hundred", Int.min: "min"])
        try self.expectSame([UInt8(2): [Int16(3): true]])
    }

    indirect enum Step: Codable {
        case idle
        case asking(field: String, attempts: Int)
        case answered(String, Date?)
        case nested(Step?, [Step])
    }

    struct Form: Codable {
        var title: String?
        var count: Int??
        var flags: [Bool?]
        var step: Step
        var steps: [Step] = []
        var byNumber: [Int: [String]] = [:]
        var byName: [String: Form] = [:]
        var at: Date
        var empty: [String] = []
        var emptyMap: [String: Int] = [:]
    }

    @Test func nestedOptionalsEnumsAndMaps() throws {
        let at = Date(timeIntervalSince1970: 1_714_552_200.25)
        let inner = Form(title: nil, count: .some(nil), flags: [nil, true], step: .idle, at: at)
        let form = Form(
            title: "表", count: 3, flags: [], step: .asking(field: "name", attempts: 2),
            steps: [.answered("x", nil), .answered("y", at), .nested(nil, [.idle, .nested(.idle, [])])],
            byNumber: [1: ["a"], 10: [], 2: ["b", "c"]], byName: ["b": inner, "a10": inner, "a2": inner], at: at)
        try self.expectSame(form)
        try self.expectSame([form, inner])
        try self.expectSame([Int?.none, 1])
        try self.expectSame(Int?.none)
        try self.expectSame([[String: Int]]())
        try self.expectSame([String: [Int]]())
        try self.expectSame(at)
    }

    /// Writes through hand-made containers: super encoders, keys written twice, a keyed container asked for twice,
    /// a nested container filled after later keys, a value that encodes nothing.
    struct Handmade: Encodable {
        enum Key: String, CodingKey { case a, b, c, d }
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
        struct Forwarding: Encodable {
            var inner: [Int]
            func encode(to encoder: any Encoder) throws { try self.inner.encode(to: encoder) }
        }

        func encode(to encoder: any Encoder) throws {
            var first = encoder.container(keyedBy: Key.self)
            var nested = first.nestedContainer(keyedBy: Key.self, forKey: .a)
            try first.encode(1, forKey: .b)
            try nested.encode("late", forKey: .d)
            try nested.encodeNil(forKey: .c)
            try nested.encodeIfPresent(String?.none, forKey: .b)
            try first.encode(2, forKey: .b)
            var list = first.nestedUnkeyedContainer(forKey: .c)
            try list.encode(Nothing())
            let elementSuper = list.superEncoder()
            var elementValue = elementSuper.singleValueContainer()
            try elementValue.encode("from super")
            _ = list.superEncoder()
            var deeper = list.nestedContainer(keyedBy: Key.self)
            try deeper.encode(Forwarding(inner: [3, 4]), forKey: .a)
            var deepest = list.nestedUnkeyedContainer()
            try deepest.encode(Int8(-5))
            try deepest.encode(UInt16(6))
            var second = encoder.container(keyedBy: Key.self)
            try second.encode(Nothing(), forKey: .d)
            let superEncoder = second.superEncoder()
            var superContainer = superEncoder.container(keyedBy: Key.self)
            try superContainer.encode(true, forKey: .a)
            _ = second.superEncoder(forKey: .d)
        }
    }

    @Test func superEncodersDuplicateKeysAndLateNestedValues() throws {
        try self.expectSame(Handmade())
        try self.expectSame([Handmade(), Handmade()])
        try self.expectSame([Handmade.Nothing()])
        try self.expectSame(["x": Handmade.Nothing()])
    }

    // MARK: Dates

    /// Seconds since 1970 for a UTC calendar date.
    static func since1970(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Double {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        return calendar.date(from: components)?.timeIntervalSince1970 ?? .nan
    }

    @Test func datesMatchTheFormatter() throws {
        var seconds: [Double] = [
            0, -0.0005, 0.0005, -0.0015, 0.0015, -1, -0.999_5, 978_307_200, 978_307_199.999_5, 978_307_200.000_5,
            1_714_552_200.2499999999, 1_714_552_200.9995, -86_400.5, -1e10, 1e10,
            Self.since1970(2024, 2, 29, 23, 59), Self.since1970(2000, 2, 29), Self.since1970(1900, 2, 28),
            Self.since1970(2100, 3, 1), Self.since1970(1, 1, 1), Self.since1970(9999, 12, 31, 23, 59) + 59.9994,
            Self.since1970(9999, 12, 31, 23, 59) + 59.9996, Self.since1970(1582, 10, 15), Self.since1970(1582, 10, 4),
            Self.since1970(1583, 1, 1) - 0.0004, Self.since1970(1583, 1, 1) - 0.0006, Self.since1970(1600, 2, 29),
            Self.since1970(10_000, 1, 1), Self.since1970(-5, 1, 1), 1e16, -1e16, 1e300,
        ]
        var generator = Seeded(state: 2001)
        let first = Self.since1970(1, 1, 1)
        let last = Self.since1970(9999, 12, 31)
        for _ in 0..<2000 {
            seconds.append(Double.random(in: first...last, using: &generator).rounded() + 0.0005)
            seconds.append(Double.random(in: -3e9...5e9, using: &generator))
        }
        for value in seconds {
            let date = Date(timeIntervalSince1970: value)
            #expect(StoreCoding.text(of: date) == StoreCoding.formatterText(of: date), "\(value)")
        }
        try self.expectSame(seconds.prefix(40).map { Date(timeIntervalSince1970: $0) })
    }

    @Test func civilArithmeticKeepsToItsYears() {
        // Fixed points of the arithmetic itself, not through the formatter.
        #expect(StoreCoding.civilText(millisecondsSince2001: 0) == "2001-01-01T00:00:00.000Z")
        #expect(StoreCoding.civilText(millisecondsSince2001: -978_307_200_001) == "1969-12-31T23:59:59.999Z")
        #expect(StoreCoding.civilText(millisecondsSince2001: 99_759_600_250) == "2004-02-29T15:00:00.250Z")
        let before1583 = Int64((Self.since1970(1582, 12, 31, 23, 59) - 978_307_200) * 1000)
        #expect(StoreCoding.civilText(millisecondsSince2001: before1583) == nil)
        let year10000 = Int64((Self.since1970(10_000, 1, 1) - 978_307_200) * 1000)
        #expect(StoreCoding.civilText(millisecondsSince2001: year10000) == nil)
    }

    // MARK: Fallback and failures

    struct Unusual: Encodable {
        var blob = Data([0, 1, 2, 250])
        var link = URL(string: "https://example.org/a/b?c=d") ?? URL(fileURLWithPath: "/")
        var amount = Decimal(string: "12.345") ?? 0
    }

    @Test func unsupportedValuesFallBackToFoundation() throws {
        for value in [Unusual()] {
            #expect(throws: StoreJSONEncoder.Unsupported.self) { try StoreJSONEncoder.encode(value) }
            #expect(try StoreCoding.encode(value) == (try StoreCoding.encoder.encode(value)))
        }
        #expect(throws: StoreJSONEncoder.Unsupported.self) { try StoreJSONEncoder.encode(Handmade.Nothing()) }
        #expect(throws: StoreJSONEncoder.Unsupported.self) { try StoreJSONEncoder.encode(["x": Data()]) }
        #expect(try StoreCoding.encode(["x": Data([7])]) == (try StoreCoding.encoder.encode(["x": Data([7])])))
    }

    @Test func valuesFoundationCannotEncodeFailTheSameWay() throws {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(throws: EncodingError.self) { try StoreCoding.encoder.encode(["x": [value]]) }
            #expect(throws: EncodingError.self) { try StoreCoding.encode(["x": [value]]) }
            #expect(throws: EncodingError.self) { try StoreCoding.encode(value) }
        }
        #expect(throws: EncodingError.self) { try StoreCoding.encode([Float.nan]) }
        // A value that encodes nothing at the top level is Foundation's error too.
        #expect(throws: EncodingError.self) { try StoreCoding.encode(Handmade.Nothing()) }
    }

    struct Refused: Error, Equatable { var at: Int }

    /// Encodes a few members, then throws.
    struct Throwing: Encodable {
        enum Key: CodingKey { case a, b }
        var after: Int
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(1, forKey: .a)
            if self.after == 0 { throw Refused(at: 0) }
            try container.encode([Throwing(after: self.after - 1)], forKey: .b)
        }
    }

    @Test func anEncodableThatThrowsMidwayThrowsFromTheStoresEncoder() throws {
        #expect(throws: Refused(at: 0)) { try StoreJSONEncoder.encode(Throwing(after: 3)) }
        #expect(throws: Refused(at: 0)) { try StoreCoding.encode(["doc": Throwing(after: 2)]) }
        #expect(throws: Refused(at: 0)) { try StoreCoding.encoder.encode(["doc": Throwing(after: 2)]) }
        // The encoder is usable again afterwards: nothing of the failed document leaks into the next.
        try self.expectSame(["doc": 1])
    }

    /// Reports the coding path it is encoded at, as both encoders see it.
    struct PathProbe: Encodable {
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(encoder.codingPath.map(\.stringValue).joined(separator: "/"))
        }
    }

    @Test func codingPathsAsFoundationGivesThem() throws {
        try self.expectSame(["a": ["b": PathProbe()]])
        try self.expectSame(["a": [PathProbe(), PathProbe()]])
    }
}
