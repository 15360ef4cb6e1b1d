/// Finds street addresses and masks them below the district.
///
/// An address is found at a house number: a number and a unit (`8号`, `3栋`, `2单元`, `501室`, `三组`,
/// `A座`, `B区`)
/// - after a street-level word (`路`, `街`, `大道`, `巷`, `弄`, `胡同`, `村`, `小区`, `花园`, `大厦`,
///   `工业区` …), directly or after a short name (`江头村南区58号`, `天府大道北段1700号`); or
/// - anywhere, when it has two parts or more and one of them is a building unit (`B区3栋`, `5号楼1201室`).
///
/// The span runs
/// - back over the name of the street, village or estate, through townships (`镇`, `乡`, `街道`), until a
///   county-level or higher unit (a word ending in `省`, `市`, `区`, `县`, `州`, `盟`, `旗`), a word such as
///   `在`, `住`, `是`, `到`, `寄`, a digit or punctuation, or 12 characters;
/// - forward over the rest of the house number: more units, estate names between them, and a bare room
///   number at the end (`3栋502`, `8号3-2-501`). Single spaces between the parts are allowed.
///
/// So `广东省深圳市南山区科技园路8号3栋501` keeps `广东省深圳市南山区` and masks the rest: the province,
/// city and district stay because they are what a volunteer needs to name the right authority, and they
/// do not identify a person. A road mentioned without a number (`在中山路上看到`) is not an address.
enum AddressDetector {
    /// Words that end the name of a street, village or estate.
    private static let places = RedactionBytes.words([
        "路", "街", "大街", "大道", "道", "巷", "弄", "胡同", "村", "屯", "社区", "小区", "花园", "大厦", "广场", "公寓",
        "苑", "新村", "家园", "山庄", "公馆", "大楼", "工业区", "工业园", "科技园", "产业园", "园区", "市场", "商场",
    ])
    /// Place words that name a building, after which a bare room number may follow.
    private static let buildings = RedactionBytes.words(["大厦", "公寓", "大楼", "小区", "花园", "广场"])
    /// Characters before `道` that make it no street (`知道`, `渠道`).
    private static let notStreetBeforeDao: Set<Unicode.Scalar> = [
        "知", "报", "频", "渠", "管", "味", "难", "赛", "跑", "车", "轨",
    ]
    /// Units of a house number, longest first.
    private static let units = RedactionBytes.words([
        "号院", "号楼", "号", "栋", "幢", "座", "单元", "楼", "层", "室", "户", "弄", "巷", "组", "队", "段", "排", "门",
        "铺", "档", "房", "期", "区",
    ])
    /// Units that only buildings have: a house number with one of them needs no street word before it.
    private static let buildingUnits = RedactionBytes.words(["号院", "号楼", "栋", "幢", "单元", "室"])
    /// What may not follow `号`: `1号线` is a metro line.
    private static let notAfterHao = RedactionBytes.words(["线", "码", "文"])
    /// Characters after a bare number that make it a count or an amount, not a room.
    private static let notAfterBareNumber: Set<Unicode.Scalar> = [
        "年", "月", "日", "元", "块", "个", "件", "次", "米", "平", "万", "岁", "台", "套", "份", "天", "人", "家",
    ]
    /// Characters that stop the walk back: the text before them is not part of the address.
    private static let stops: Set<Unicode.Scalar> = [
        "在", "住", "是", "于", "址", "到", "往", "寄", "至", "从", "的", "搬", "去", "我", "您", "你", "他", "她",
    ]
    /// The last character of county-level and higher units, which the walk back keeps.
    private static let divisions: Set<Unicode.Scalar> = ["省", "市", "区", "县", "州", "盟", "旗"]
    /// Chinese numerals a house number may be written with.
    private static let numerals: Set<Unicode.Scalar> = [
        "零", "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千", "两",
    ]
    /// The most characters the walk back takes before the street word.
    private static let maximumName = 12

    /// The parts of a house number read from some position.
    private struct HouseNumber {
        var end: Int
        /// Numbers with a unit, and a bare room number.
        var parts: Int
        /// Whether one of the units is a building unit.
        var building: Bool
    }

    static func detect(_ bytes: UnsafeBufferPointer<UInt8>, into found: inout [RedactionMatch.Candidate]) {
        var index = 0
        var claimedUpTo = 0
        while index < bytes.count {
            defer { index += 1 }
            guard index >= claimedUpTo, bytes[index] & 0xC0 != 0x80 else { continue }
            if let placeStart = RedactionBytes.word(Self.places, in: bytes, endingAt: index),
                Self.isStreetWord(bytes, from: placeStart, to: index),
                let number = Self.houseNumber(
                    bytes, from: index, nameFirst: true,
                    bareFirst: RedactionBytes.word(Self.buildings, in: bytes, endingAt: index) != nil)
            {
                found.append(.init(kind: .address, range: Self.nameStart(bytes, before: placeStart)..<number.end))
                claimedUpTo = number.end
                index = number.end - 1
            } else if Self.startsNumber(bytes, at: index), !Self.continuesNumber(bytes, before: index),
                let number = Self.houseNumber(bytes, from: index, nameFirst: false, bareFirst: false),
                number.parts >= 2, number.building
            {
                found.append(.init(kind: .address, range: Self.nameStart(bytes, before: index)..<number.end))
                claimedUpTo = number.end
                index = number.end - 1
            }
        }
    }

    /// Whether the place word between `start` and `end` is meant as one (`道` is not in `知道`).
    private static func isStreetWord(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        guard end - start == 3, TextBytes.has("道", in: bytes, at: start),
            let previous = RedactionBytes.scalarStart(before: start, in: bytes),
            let (scalar, _) = RedactionBytes.scalar(bytes, at: previous)
        else {
            return true
        }
        return !Self.notStreetBeforeDao.contains(scalar)
    }

    /// Whether a house number may start at `index`: a digit, a letter, `#` or a Chinese numeral.
    private static func startsNumber(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard let (scalar, _) = RedactionBytes.scalar(bytes, at: index) else { return false }
        if scalar.isASCII {
            return TextBytes.isAlphanumeric(UInt8(scalar.value))
        }
        return Self.numerals.contains(scalar)
    }

    /// Whether the character before `index` belongs to the same number token (so `index` starts none).
    private static func continuesNumber(_ bytes: UnsafeBufferPointer<UInt8>, before index: Int) -> Bool {
        guard let previous = RedactionBytes.scalarStart(before: index, in: bytes) else { return false }
        return Self.startsNumber(bytes, at: previous) || bytes[previous] == UInt8(ascii: "-")
            || bytes[previous] == UInt8(ascii: "#")
    }

    /// The house number from `start` on: units, estate names between them, a bare room number.
    ///
    /// - Parameters:
    ///   - nameFirst: A name may come before the first number (`南区` in `江头村南区58号`).
    ///   - bareFirst: A bare number may come first (after a building: `国贸大厦1205`).
    private static func houseNumber(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, nameFirst: Bool, bareFirst: Bool
    ) -> HouseNumber? {
        var position = start
        var result = HouseNumber(end: start, parts: 0, building: false)
        for _ in 0..<12 {
            var next = position
            if result.parts > 0 || nameFirst, TextBytes.byte(bytes, next) == UInt8(ascii: " ") { next += 1 }
            if let (end, building) = Self.numberWithUnit(bytes, at: next) {
                position = end
                result.end = end
                result.parts += 1
                result.building = result.building || building
                continue
            }
            if result.parts > 0 || bareFirst, let end = Self.bareNumber(bytes, at: next) {
                result.end = end
                result.parts += 1
                break
            }
            if result.parts > 0 || (nameFirst && position == start), let end = Self.estateName(bytes, at: next) {
                position = end
                continue
            }
            break
        }
        return result.parts > 0 ? result : nil
    }

    /// The end of a number token (`12`, `A`, `3-2`, `3#`, `十二`, `E1`), or nil.
    private static func tokenEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var position = start
        var count = 0
        var letters = 0
        while count < 10, let (scalar, length) = RedactionBytes.scalar(bytes, at: position) {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                if TextBytes.isLetter(byte) {
                    letters += 1
                } else if !TextBytes.isDigit(byte)
                    && !((byte == UInt8(ascii: "-") || byte == UInt8(ascii: "#")) && count > 0)
                {
                    break
                }
            } else if !Self.numerals.contains(scalar) {
                break
            }
            position += length
            count += 1
        }
        guard count > 0, letters <= 2 else { return nil }
        return position
    }

    /// A number token and a unit (`8号`, `A座`, `二单元`, `B区`): its end, and whether the unit is a
    /// building unit; or nil.
    private static func numberWithUnit(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (Int, Bool)? {
        guard Self.startsNumber(bytes, at: start), let tokenEnd = Self.tokenEnd(bytes, at: start) else { return nil }
        var position = tokenEnd
        if TextBytes.byte(bytes, position) == UInt8(ascii: " ") { position += 1 }
        guard let end = RedactionBytes.skip(Self.units, in: bytes, at: position) else { return nil }
        if TextBytes.has("号", in: bytes, at: position),
            RedactionBytes.skip(Self.notAfterHao, in: bytes, at: end) != nil
        {
            return nil
        }
        return (end, RedactionBytes.skip(Self.buildingUnits, in: bytes, at: position) != nil)
    }

    /// A room number with no unit at the end of an address (`502` in `3栋502`), or nil.
    private static func bareNumber(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var position = start
        var digits = 0
        while let byte = TextBytes.byte(bytes, position), position - start < 12,
            TextBytes.isDigit(byte) || TextBytes.isLetter(byte) || (byte == UInt8(ascii: "-") && position > start)
        {
            if TextBytes.isDigit(byte) { digits += 1 }
            position += 1
        }
        guard digits > 0, digits <= 8, !TextBytes.alphanumeric(bytes, position) else { return nil }
        if let (scalar, _) = RedactionBytes.scalar(bytes, at: position), Self.notAfterBareNumber.contains(scalar) {
            return nil
        }
        return position
    }

    /// An estate, building or section name before a house number (`阳光小区` in `8号阳光小区3栋`,
    /// `SOHO现代城` in `88号SOHO现代城5号楼`, `北段` in `天府大道北段1700号`): up to 10 Chinese characters or
    /// letters followed by a number with a unit, or by a bare number after a building word; or nil.
    private static func estateName(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var position = start
        for _ in 0..<10 {
            guard let (scalar, length) = RedactionBytes.scalar(bytes, at: position),
                (RedactionBytes.isHan(scalar) && !Self.stops.contains(scalar) && !Self.numerals.contains(scalar))
                    || (scalar.isASCII && TextBytes.isLetter(UInt8(scalar.value)))
            else {
                return nil
            }
            position += length
            if Self.numberWithUnit(bytes, at: position) != nil {
                return position
            }
            if TextBytes.byte(bytes, position) == UInt8(ascii: " "), Self.numberWithUnit(bytes, at: position + 1) != nil
            {
                return position
            }
            if RedactionBytes.word(Self.buildings, in: bytes, endingAt: position) != nil,
                Self.bareNumber(bytes, at: position) != nil
            {
                return position
            }
        }
        return nil
    }

    /// Where the name before the street word (or house number) at `index` starts: back over Chinese
    /// characters and letters (see the type's comment).
    private static func nameStart(_ bytes: UnsafeBufferPointer<UInt8>, before index: Int) -> Int {
        var start = index
        for _ in 0..<Self.maximumName {
            guard let previous = RedactionBytes.scalarStart(before: start, in: bytes),
                let (scalar, _) = RedactionBytes.scalar(bytes, at: previous),
                (RedactionBytes.isHan(scalar) && !Self.stops.contains(scalar))
                    || (scalar.isASCII && TextBytes.isLetter(UInt8(scalar.value)))
            else {
                break
            }
            if Self.divisions.contains(scalar), let before = RedactionBytes.scalarStart(before: previous, in: bytes),
                let (named, _) = RedactionBytes.scalar(bytes, at: before), RedactionBytes.isHan(named),
                !Self.stops.contains(named)
            {
                break
            }
            start = previous
        }
        return start
    }
}
