/// Finds street addresses and masks them below the district.
///
/// An address is found at a house number: a number and a unit (`8号`, `3栋`, `2单元`, `501室`, `三组`,
/// `A座`) right after a street-level word (`路`, `街`, `大道`, `巷`, `弄`, `胡同`, `村`, `小区`, `花园`,
/// `大厦`, `工业区` …). The span runs
/// - back over the name of the street, village or estate, through townships (`镇`, `乡`, `街道`), until a
///   county-level or higher unit (a word ending in `省`, `市`, `区`, `县`, `州`, `盟`, `旗`), a word such as
///   `在`, `住`, `是`, `到`, `寄`, anything that is not a Chinese character, or 12 characters;
/// - forward over the rest of the house number: more units, estate names between them, and a bare room
///   number at the end (`3栋502`, `8号3-2-501`).
///
/// So `广东省深圳市南山区科技园路8号3栋501` keeps `广东省深圳市南山区` and masks the rest: the province,
/// city and district stay because they are what a volunteer needs to name the right authority, and they
/// do not identify a person. A road mentioned without a number (`在中山路上看到`) is not an address.
enum AddressDetector {
    /// Words that end the name of a street, village or estate.
    private static let places = RedactionBytes.words([
        "路", "街", "大街", "大道", "道", "巷", "弄", "胡同", "村", "屯", "社区", "小区", "花园", "大厦", "广场", "公寓",
        "苑", "新村", "家园", "山庄", "公馆", "大楼", "工业区", "工业园", "科技园", "产业园", "园区", "市场", "商场", "商城",
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
        "铺", "档", "房", "期",
    ])
    /// What may not follow `号`: `1号线` is a metro line.
    private static let notAfterHao = RedactionBytes.words(["线", "码", "文"])
    /// Characters after a bare number that make it a count or an amount, not a room.
    private static let notAfterBareNumber: Set<Unicode.Scalar> = [
        "年", "月", "日", "元", "块", "个", "件", "次", "米", "平", "万", "岁", "台", "套", "份", "天", "人", "家",
    ]
    /// Characters that stop the walk back: the text before them is not part of the address.
    private static let stops: Set<Unicode.Scalar> = [
        "在", "住", "是", "于", "址", "到", "往", "寄", "至", "从", "的", "搬", "去", "我", "您", "你", "他", "她", "为",
    ]
    /// The last character of county-level and higher units, which the walk back keeps.
    private static let divisions: Set<Unicode.Scalar> = ["省", "市", "区", "县", "州", "盟", "旗"]
    /// Chinese numerals a house number may be written with.
    private static let numerals: Set<Unicode.Scalar> = [
        "零", "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千", "两",
    ]
    /// The most Chinese characters the walk back takes before the street word.
    private static let maximumName = 12

    static func detect(_ bytes: UnsafeBufferPointer<UInt8>, into found: inout [RedactionMatch.Candidate]) {
        var index = 0
        var claimedUpTo = 0
        while index < bytes.count {
            guard index >= claimedUpTo, Self.startsNumber(bytes, at: index),
                let placeStart = RedactionBytes.word(Self.places, in: bytes, endingAt: index),
                Self.isStreetWord(bytes, from: placeStart, to: index),
                let end = Self.houseNumberEnd(
                    bytes, from: index,
                    bareFirst: RedactionBytes.word(Self.buildings, in: bytes, endingAt: index) != nil)
            else {
                index += 1
                continue
            }
            let start = Self.nameStart(bytes, before: placeStart)
            found.append(.init(kind: .address, range: start..<end))
            claimedUpTo = end
            index = end
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
            let byte = UInt8(scalar.value)
            return TextBytes.isAlphanumeric(byte)
        }
        return Self.numerals.contains(scalar)
    }

    /// The end of the house number from `start` on: units, estate names between them, a bare room number.
    /// A bare number may come first after a building (`国贸大厦1205`).
    private static func houseNumberEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, bareFirst: Bool) -> Int? {
        var position = start
        var end: Int?
        for _ in 0..<12 {
            if let next = Self.numberWithUnit(bytes, at: position) {
                position = next
                end = next
                continue
            }
            if end != nil || bareFirst, let next = Self.bareNumber(bytes, at: position) {
                end = next
                break
            }
            if end != nil, let next = Self.estateName(bytes, at: position) {
                position = next
                end = next
                continue
            }
            break
        }
        return end
    }

    /// The end of a number token (`12`, `A`, `3-2`, `3#`, `十二`), or nil.
    private static func tokenEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (end: Int, letters: Bool)? {
        var position = start
        var count = 0
        var letters = 0
        var other = 0
        while count < 10, let (scalar, length) = RedactionBytes.scalar(bytes, at: position) {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                if TextBytes.isDigit(byte) {
                    other += 1
                } else if TextBytes.isLetter(byte) {
                    letters += 1
                } else if (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "#")) && count > 0 {
                    other += 1
                } else {
                    break
                }
            } else if Self.numerals.contains(scalar) {
                other += 1
            } else {
                break
            }
            position += length
            count += 1
        }
        guard count > 0, letters <= 2 else { return nil }
        return (position, other == 0)
    }

    /// A number token and a unit (`8号`, `A座`, `二单元`), or nil.
    private static func numberWithUnit(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        guard let token = Self.tokenEnd(bytes, at: start) else { return nil }
        var position = token.end
        if TextBytes.byte(bytes, position) == UInt8(ascii: " ") { position += 1 }
        if token.letters, TextBytes.has("区", in: bytes, at: position) { return position + 3 }
        guard let end = RedactionBytes.skip(Self.units, in: bytes, at: position) else { return nil }
        if TextBytes.has("号", in: bytes, at: position), RedactionBytes.skip(Self.notAfterHao, in: bytes, at: end) != nil
        {
            return nil
        }
        return end
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

    /// An estate or building name between parts of a house number (`阳光小区` in `8号阳光小区3栋`,
    /// `SOHO现代城` in `88号SOHO现代城5号楼`): up to 10 Chinese characters or letters followed by a number with
    /// a unit, or by a bare number after a building word; nil otherwise.
    private static func estateName(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var position = start
        for _ in 0..<10 {
            guard let (scalar, length) = RedactionBytes.scalar(bytes, at: position),
                (RedactionBytes.isHan(scalar) && !Self.stops.contains(scalar))
                    || (scalar.isASCII && TextBytes.isLetter(UInt8(scalar.value)))
            else {
                return nil
            }
            position += length
            if Self.startsNumber(bytes, at: position), Self.numberWithUnit(bytes, at: position) != nil {
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

    /// Where the name before the street word at `index` starts (see the type's comment).
    private static func nameStart(_ bytes: UnsafeBufferPointer<UInt8>, before index: Int) -> Int {
        var start = index
        for _ in 0..<Self.maximumName {
            guard let previous = RedactionBytes.scalarStart(before: start, in: bytes),
                let (scalar, _) = RedactionBytes.scalar(bytes, at: previous), RedactionBytes.isHan(scalar),
                !Self.stops.contains(scalar)
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
