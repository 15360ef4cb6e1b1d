extension TraditionalSimplifiedTable {
    /// First scalar of the main CJK block the table covers (Extension A, then the URO).
    static let mainStart: UInt32 = 0x3400
    /// Last scalar of the main CJK block the table covers.
    static let mainEnd: UInt32 = 0x9FFF
    /// First CJK compatibility ideograph the table covers.
    static let compatibilityStart: UInt32 = 0xF900
    /// Last CJK compatibility ideograph the table covers.
    static let compatibilityEnd: UInt32 = 0xFAFF

    /// Flat lookup table: the simplified scalar value, or 0 when the character is left unchanged.
    ///
    /// Index `value - mainStart` for U+3400–U+9FFF, then `mainCount + value - compatibilityStart` for
    /// U+F900–U+FAFF. Built once, at first use, from ``pairs``.
    static let table: [UInt32] = Self.buildTable()

    /// Number of entries for the U+3400–U+9FFF block.
    static let mainCount = Int(mainEnd - mainStart + 1)

    /// Index of `value` in ``table``, or nil when the table does not cover it.
    @inline(__always)
    static func index(of value: UInt32) -> Int? {
        if value >= mainStart && value <= mainEnd {
            return Int(value - mainStart)
        }
        if value >= compatibilityStart && value <= compatibilityEnd {
            return mainCount + Int(value - compatibilityStart)
        }
        return nil
    }

    /// The simplified form of `value`, or `value` itself, reading the given table storage.
    @inline(__always)
    static func simplify(_ value: UInt32, table: UnsafeBufferPointer<UInt32>) -> UInt32 {
        guard let index = Self.index(of: value) else { return value }
        let mapped = table[index]
        return mapped == 0 ? value : mapped
    }

    private static func buildTable() -> [UInt32] {
        let size = Self.mainCount + Int(compatibilityEnd - compatibilityStart + 1)
        var result = [UInt32](repeating: 0, count: size)
        var source: UInt32?
        for scalar in Self.pairs.unicodeScalars where scalar != "\n" {
            if let from = source {
                if let index = Self.index(of: from) {
                    result[index] = scalar.value
                }
                source = nil
            } else {
                source = scalar.value
            }
        }
        return result
    }
}
