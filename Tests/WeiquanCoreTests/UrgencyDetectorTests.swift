import Foundation
import Testing
@testable import WeiquanCore
import WeiquanTestSupport

@Suite struct UrgencyDetectorTests {
    static let terms = [
        "传票", "起诉状", "被起诉", "起诉", "应诉通知", "开庭", "海关扣押", "海关查扣", "律师函", "警告函", "诉前禁令", "财产保全",
        "查封", "冻结",
    ]
    static let deadlineWords = ["开庭", "截止", "到期", "期限", "答辩", "举证", "上诉", "期满", "滞纳", "缴费", "之前", "以前", "前"]
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    /// A wall-clock time in Shanghai.
    static func shanghai(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.shanghai
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    /// Saturday 2026-11-21 10:00 in Shanghai.
    static let now = Self.shanghai(2026, 11, 21, 10, 0)

    let detector = UrgencyDetector(
        terms: Self.terms, deadlineWords: Self.deadlineWords, deadlineDays: 7, timeZone: Self.shanghai
    )

    /// The signals in `text` after normalisation, as the machine passes it.
    func signals(_ text: String, now: Date = Self.now, detector: UrgencyDetector? = nil) -> [String] {
        (detector ?? self.detector).signals(in: TextNormalizer().normalize(text), now: now)
    }

    // MARK: Terms

    @Test(arguments: Self.terms)
    func eachTermIsFound(term: String) {
        #expect(self.signals("您好，我收到了\(term)，怎么办？") == [term])
    }

    @Test func aScalarSharingATermStartsFilterBitsStartsNothing() throws {
        // 传 is U+4F20; U+5F20 (张) and U+3F20 share its low 12 bits, so they pass the scan's first look and must be
        // turned away by the term lookup itself. 今 starts a relative day word; U+5ECA (廊) shares its bits.
        let collisions = ["\u{5F20}票", "\u{3F20}票", "\u{5ECA}天截止"]
        for text in collisions {
            #expect(self.signals("您好，\(text)，怎么办？").isEmpty, "\(text)")
        }
        #expect(self.signals("您好，传票，今天截止") == ["传票", "今天"])
    }

    @Test func termsStartingWithAnyScalarAreFound() {
        // Seeded: terms of two or three CJK ideographs from the whole block, each found where it is written.
        var random = SeededGenerator(seed: 4_096)
        var terms: [String] = []
        for _ in 0..<300 {
            let length = 2 + random.next(below: 2)
            let scalars = (0..<length).map { _ in Unicode.Scalar(UInt32(0x4E00 + random.next(below: 0x5000)))! }
            terms.append(String(String.UnicodeScalarView(scalars)))
        }
        let detector = UrgencyDetector(terms: terms, deadlineWords: [], deadlineDays: 7, timeZone: Self.shanghai)
        for term in terms {
            let found = detector.signals(in: TextNormalizer().normalize("请问\(term)怎么办"), now: Self.now)
            #expect(found.contains(term), "\(term)")
        }
    }

    @Test func signalsComeInOrderOfAppearance() {
        #expect(self.signals("我收到了法院传票，下周三开庭") == ["传票", "下周三", "开庭"])
        #expect(self.signals("律师函说我侵权，还有海关扣押") == ["律师函", "海关扣押"])
    }

    @Test func aRepeatedSignalIsReportedOnce() {
        #expect(self.signals("传票传票，又是传票") == ["传票"])
        #expect(self.signals("明天开庭，明天开庭！") == ["明天", "开庭"])
    }

    @Test func theLongestTermWins() {
        #expect(self.signals("我被起诉了") == ["被起诉"])
        #expect(self.signals("我收到起诉状") == ["起诉状"])
    }

    @Test func termsAreMatchedInNormalisedFormAndReportedAsWritten() {
        let detector = UrgencyDetector(
            terms: ["傳票", "ＡＢＣ"], deadlineWords: [], deadlineDays: 7, timeZone: Self.shanghai)
        #expect(self.signals("收到傳票和abc", detector: detector) == ["傳票", "ＡＢＣ"])
    }

    @Test func noSignalIsEmpty() {
        #expect(self.signals("你好，我想咨询一下商标注册的流程") == [])
        #expect(self.signals("") == [])
        #expect(self.signals("1") == [])
        #expect(self.signals("下") == [])
    }

    // MARK: Relative days

    @Test func aDayCountWithinTheLimitIsUrgent() {
        #expect(self.signals("3天内要答辩") == ["3天内"])
        #expect(self.signals("３天之内必须答辩") == ["3天之内"])
        #expect(self.signals("要求7日内缴费") == ["7日内"])
        #expect(self.signals("5个工作日内举证") == ["5个工作日内"])
        #expect(self.signals("两天后到期") == ["两天后"])
        #expect(self.signals("0天以内截止") == ["0天以内"])
    }

    @Test func aDayCountBeyondTheLimitIsNot() {
        #expect(self.signals("30天内答辩") == [])
        #expect(self.signals("8天内答辩") == [])
        #expect(self.signals("130天内答辩") == [])
        #expect(self.signals("12345678901234567890天内答辩") == [])
    }

    @Test func chineseNumeralsAreCounted() {
        #expect(self.signals("三天内答辩") == ["三天内"])
        #expect(self.signals("十五天内答辩") == [])
        #expect(self.signals("二十天内答辩") == [])
        #expect(self.signals("七日内缴费") == ["七日内"])
        #expect(self.signals("一百天内答辩") == [])
    }

    @Test func dayWordsNeedADeadlineWord() {
        #expect(self.signals("明天开庭") == ["明天", "开庭"])
        #expect(self.signals("今天截止") == ["今天"])
        #expect(self.signals("大后天到期") == ["大后天"])
        #expect(self.signals("后天到期") == ["后天"])
        #expect(self.signals("明天天气怎么样") == [])
        #expect(self.signals("这周要交材料") == [])
        #expect(self.signals("这周五之前要交材料") == ["这周五"])
        #expect(self.signals("下周末截止") == ["下周末"])
    }

    @Test func dayWordsRespectTheLimit() {
        let detector = UrgencyDetector(
            terms: [], deadlineWords: Self.deadlineWords, deadlineDays: 2, timeZone: Self.shanghai
        )
        #expect(self.signals("大后天到期", detector: detector) == [])
        #expect(self.signals("后天到期", detector: detector) == ["后天"])
        #expect(self.signals("3天内到期", detector: detector) == [])
    }

    @Test func theDeadlineWordMustBeWithinTwelveCharacters() {
        let filler = { (count: Int) in String(repeating: "啊", count: count) }
        #expect(self.signals("明天" + filler(10) + "截止") == ["明天"])
        #expect(self.signals("明天" + filler(11) + "截止") == [])
        #expect(self.signals("截止" + filler(10) + "明天") == ["明天"])
        #expect(self.signals("截止" + filler(11) + "明天") == [])
    }

    // MARK: Dates

    @Test func aDateWithinTheLimitIsUrgent() {
        #expect(self.signals("11月25日前要缴费") == ["11月25日"])
        #expect(self.signals("11月21号截止") == ["11月21号"])
        #expect(self.signals("11月28日到期") == ["11月28日"])
        #expect(self.signals("十一月二十五日前缴费") == ["十一月二十五日"])
        #expect(self.signals("11/25前缴费") == ["11/25"])
        #expect(self.signals("2026-11-25截止") == ["2026-11-25"])
        #expect(self.signals("2026/11/25截止") == ["2026/11/25"])
    }

    @Test func aDateBeyondTheLimitOrPastIsNot() {
        #expect(self.signals("12月25日前要缴费") == [])
        #expect(self.signals("11月29日到期") == [])
        #expect(self.signals("11月20日前要缴费") == [])
        #expect(self.signals("2025-11-25截止") == [])
        #expect(self.signals("2月30日截止") == [])
        #expect(self.signals("13月1日截止") == [])
        #expect(self.signals("11月25日天气") == [])
    }

    @Test func aDateWithAYearIsTakenAsWritten() {
        #expect(self.signals("2026年11月23日开庭") == ["2026年11月23日", "开庭"])
        #expect(self.signals("2027年11月23日开庭") == ["开庭"])
        #expect(self.signals("2025年11月23日到期") == [])
    }

    @Test func aDateWithoutAYearMayBeNextYear() {
        let newYearsEve = Self.shanghai(2026, 12, 30, 10, 0)
        #expect(self.signals("1月2日到期", now: newYearsEve) == ["1月2日"])
        #expect(self.signals("1月2日到期") == [])
        #expect(self.signals("12月30日到期", now: newYearsEve) == ["12月30日"])
    }

    @Test func todayIsReadInTheTimeZone() {
        // 2026-11-17 18:00 UTC is already 11-18 in Shanghai.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let late = calendar.date(from: DateComponents(year: 2026, month: 11, day: 17, hour: 18))!
        // Shanghai: 11-18; 11-25 is 7 days ahead.
        #expect(self.signals("11月25日截止", now: late) == ["11月25日"])
        let utc = UrgencyDetector(
            terms: [], deadlineWords: Self.deadlineWords, deadlineDays: 7, timeZone: TimeZone(identifier: "UTC")!
        )
        // UTC: 11-17; 11-25 is 8 days ahead.
        #expect(self.signals("11月25日截止", now: late, detector: utc) == [])
    }

    @Test func numbersThatAreNotDatesAreIgnored() {
        #expect(self.signals("电话0771-1234567，截止") == [])
        #expect(self.signals("网址 a.cn/11/25 截止") == [])
        #expect(self.signals("11/25/2026 截止") == [])
        #expect(self.signals("专利号2026100012345.6到期") == [])
    }

    // MARK: Robustness

    @Test func randomTextDoesNotCrash() {
        let pieces = Array("0123456789/-.年月日号天内之以后个工作周本这下今明大一二两三四五六七八九十百零〇传票开庭截止前期限到 ,a")
        var generator = SeededGenerator(seed: 20_261_121)
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...80, using: &generator)
            var text = ""
            for _ in 0..<length {
                if Int.random(in: 0..<10, using: &generator) == 0 {
                    let value = UInt32.random(in: 0x20...0x9FFF, using: &generator)
                    text.unicodeScalars.append(Unicode.Scalar(value) ?? " ")
                } else {
                    text.append(pieces[Int.random(in: 0..<pieces.count, using: &generator)])
                }
            }
            let signals = self.detector.signals(in: text, now: Self.now)
            #expect(Set(signals).count == signals.count)
            let scalars = Array(text.unicodeScalars)
            for signal in signals {
                let wanted = Array(signal.unicodeScalars)
                let present = (0...max(0, scalars.count - wanted.count)).contains { start in
                    start + wanted.count <= scalars.count && Array(scalars[start..<(start + wanted.count)]) == wanted
                }
                #expect(present, "\(signal) in \(text)")
            }
        }
    }

    @Test func longTextIsScannedWhole() {
        let text = String(repeating: "我想咨询一下3月5日的事情和十二天前的2026/1/1,", count: 2_000) + "传票"
        #expect(self.detector.signals(in: text, now: Self.now) == ["传票"])
    }
}
