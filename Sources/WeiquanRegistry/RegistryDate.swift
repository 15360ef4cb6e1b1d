import WeiquanCore

/// Reads the dates exports write: `2016-05-04`, `2016.05.04`, `2016/5/4`, `20160504`, `2016年5月4日`, and any of
/// these followed by a time (`2016-05-04 00:00:00`).
package enum RegistryDate {
    /// The day, or nil when the text is not a date that exists.
    package static func parse(_ text: String) -> CalendarDay? {
        var numbers: [Int] = []
        var current: Int?
        var digitsInCurrent = 0
        for byte in text.utf8 {
            if byte >= 0x30, byte <= 0x39 {
                current = (current ?? 0) * 10 + Int(byte - 0x30)
                digitsInCurrent += 1
                if digitsInCurrent > 8 { return nil }
                continue
            }
            if let value = current {
                numbers.append(value)
                if numbers.count == 1, digitsInCurrent == 8 { break }
                if numbers.count == 3 { break }
                current = nil
                digitsInCurrent = 0
            }
            // A time after the day ends the date.
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "T"), numbers.count == 3 { break }
        }
        if let value = current, numbers.count < 3 { numbers.append(value) }
        if numbers.count >= 1, numbers[0] > 9_999_999 || (numbers.count == 1 && numbers[0] > 999) {
            let packed = numbers[0]
            guard packed >= 10_000_000, packed <= 99_999_999 else { return nil }
            return CalendarDay(year: packed / 10_000, month: packed / 100 % 100, day: packed % 100)
        }
        guard numbers.count == 3, numbers[0] >= 1_000 else { return nil }
        return CalendarDay(year: numbers[0], month: numbers[1], day: numbers[2])
    }
}
