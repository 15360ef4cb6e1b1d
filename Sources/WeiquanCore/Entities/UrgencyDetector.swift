import Foundation

/// Finds signs in a message that the applicant needs a person now: words such as 传票 or 海关扣押, or a
/// deadline within a few days (“3天内要答辩”, “明天开庭”, “11月25日前缴费”).
///
/// A deadline is a phrase that names a day, together with a deadline word (开庭, 截止, 到期 …) lying
/// entirely within the 12 characters after or the 12 characters before it. The phrases are:
/// - 今天/今日 (0 days), 明天/明日 (1), 后天 (2), 大后天 (3), counted when within `deadlineDays`;
/// - `N天内`, `N天之内`, `N天以内`, `N日内`, `N天后`, `N日后`, `N个工作日内` with N (ASCII digits or Chinese
///   numerals such as 三, 十五, 二十) at most `deadlineDays`;
/// - 本周, 这周, 下周 (with a following 一 … 日/天/末 kept in the phrase), always counted;
/// - a date `M月D日`, `M月D号`, `yyyy年M月D日`, `yyyy/M/D`, `yyyy-M-D` or `M/D` from today to `deadlineDays`
///   days ahead in the time zone. A date without a year is in the current year, or in the next one when
///   that is nearer and still to come (“1月2日” read on 30 December).
///
/// The text is expected in ``TextNormalizer`` form (ASCII digits and punctuation, simplified characters,
/// lower case); the terms are normalised when the detector is made. One pass over the unicode scalars,
/// no regular expressions; the surroundings are only searched where a phrase was found.
public struct UrgencyDetector: Sendable {
    /// An urgent word: the scalars it is matched by and the spelling it is reported with.
    private struct Term: Sendable {
        var scalars: [Unicode.Scalar]
        var written: String
    }

    /// A relative day word and how many days ahead it points.
    private struct DayWord: Sendable {
        var scalars: [Unicode.Scalar]
        var days: Int
    }

    private let terms: [Term]
    /// Indices into `terms` by first scalar, longest term first.
    private let termsByFirstScalar: [Unicode.Scalar: [Int]]
    private let deadlineWords: [[Unicode.Scalar]]
    private let deadlineDays: Int
    private let timeZone: TimeZone
    /// A bit for every scalar a term or a relative day word starts with, by its value's low 12 bits: a scalar
    /// whose bit is clear starts neither, and the scan moves on without looking either up. (Scalars sharing the
    /// bits pass to the lookups, which decide.)
    private let startFilter: [UInt64]

    /// How far, in characters, a deadline word may lie before or after a day phrase.
    static let reach = 12

    /// Makes a detector.
    /// - Parameters:
    ///   - terms: Words that are urgent on their own (传票, 起诉, 开庭 …); reported as written here.
    ///   - deadlineWords: Words that make a day phrase a deadline (开庭, 截止, 到期, 前 …).
    ///   - deadlineDays: A deadline at most this many days ahead is urgent.
    ///   - timeZone: The zone “today” and explicit dates are read in.
    public init(terms: [String], deadlineWords: [String], deadlineDays: Int, timeZone: TimeZone) {
        let normalizer = TextNormalizer()
        var seen: Set<[Unicode.Scalar]> = []
        var list: [Term] = []
        for written in terms {
            let scalars = Array(normalizer.normalize(written).unicodeScalars)
            if !scalars.isEmpty, seen.insert(scalars).inserted {
                list.append(Term(scalars: scalars, written: written))
            }
        }
        var byFirst: [Unicode.Scalar: [Int]] = [:]
        for (index, term) in list.enumerated() {
            byFirst[term.scalars[0], default: []].append(index)
        }
        for key in byFirst.keys {
            byFirst[key]?.sort { list[$0].scalars.count > list[$1].scalars.count }
        }
        self.terms = list
        self.termsByFirstScalar = byFirst
        self.deadlineWords = Set(deadlineWords.map { Array(normalizer.normalize($0).unicodeScalars) })
            .filter { !$0.isEmpty }
            .sorted { $0.count > $1.count }
        self.deadlineDays = deadlineDays
        self.timeZone = timeZone
        var filter = [UInt64](repeating: 0, count: Self.startFilterWords)
        for scalar in Array(byFirst.keys) + Array(Self.relativeFirstScalars) {
            let bit = Int(scalar.value) & (Self.startFilterWords * 64 - 1)
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        self.startFilter = filter
    }

    /// 64 words of 64 bits: 4,096 bits, 512 bytes.
    private static let startFilterWords = 64

    /// False when no term and no relative day word starts with `scalar`; true when one may.
    @inline(__always)
    private func mayStartWord(_ scalar: Unicode.Scalar) -> Bool {
        let bit = Int(scalar.value) & (Self.startFilterWords * 64 - 1)
        return self.startFilter[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    /// The urgent terms and deadline phrases in `text`, in order of appearance, each once.
    /// - Parameters:
    ///   - text: A message in normalised form.
    ///   - now: The current time, for relative days and dates.
    public func signals(in text: String, now: Date) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var scan = Scan(scalars: scalars, detector: self, now: now)
        var index = 0
        while index < scalars.count {
            index = scan.step(at: index)
        }
        return scan.found
    }

    // MARK: - The scan

    /// One pass over one message.
    private struct Scan {
        let scalars: [Unicode.Scalar]
        let detector: UrgencyDetector
        let now: Date
        var found: [String] = []
        /// Today's local day number, worked out at the first date.
        private var today: Int?

        init(scalars: [Unicode.Scalar], detector: UrgencyDetector, now: Date) {
            self.scalars = scalars
            self.detector = detector
            self.now = now
        }

        /// Looks for a signal starting at `index`; returns where to look next.
        mutating func step(at index: Int) -> Int {
            let scalar = self.scalars[index]
            if self.detector.mayStartWord(scalar) {
                if let candidates = self.detector.termsByFirstScalar[scalar] {
                    for candidate in candidates where self.matches(self.detector.terms[candidate].scalars, at: index) {
                        let term = self.detector.terms[candidate]
                        self.report(term.written)
                        return index + term.scalars.count
                    }
                }
                if UrgencyDetector.relativeFirstScalars.contains(scalar), let end = self.relativeDay(at: index) {
                    return end
                }
            }
            if let run = self.numberRun(at: index) {
                return self.numberPhrase(run) ?? run.end
            }
            return index + 1
        }

        private mutating func report(_ signal: String) {
            if !self.found.contains(signal) { self.found.append(signal) }
        }

        /// Reports the phrase `start..<end` when a deadline word lies near it.
        private mutating func reportDeadline(_ start: Int, _ end: Int) {
            guard self.hasDeadlineWord(around: start, end) else { return }
            var phrase = String.UnicodeScalarView()
            phrase.append(contentsOf: self.scalars[start..<end])
            self.report(String(phrase))
        }

        // MARK: Relative days

        /// 今天 … 大后天, 本周/这周/下周: the end of the phrase when one starts at `index`.
        private mutating func relativeDay(at index: Int) -> Int? {
            for word in UrgencyDetector.dayWords where self.matches(word.scalars, at: index) {
                let end = index + word.scalars.count
                if word.days <= self.detector.deadlineDays { self.reportDeadline(index, end) }
                return end
            }
            for word in UrgencyDetector.weekWords where self.matches(word, at: index) {
                var end = index + word.count
                if end < self.scalars.count, UrgencyDetector.weekdayScalars.contains(self.scalars[end]) { end += 1 }
                self.reportDeadline(index, end)
                return end
            }
            return nil
        }

        // MARK: Numbers

        /// A run of ASCII digits, or of Chinese numerals.
        struct Run {
            var start: Int
            var end: Int
            /// Nil when too long to be a day count or a date part.
            var value: Int?
            var isASCII: Bool
            var length: Int { self.end - self.start }
        }

        /// The number run starting at `index`, if `index` holds a digit or a Chinese numeral.
        private func numberRun(at index: Int) -> Run? {
            let scalars = self.scalars
            if UrgencyDetector.asciiDigit(scalars[index]) != nil {
                var end = index
                var value = 0
                while end < scalars.count, let digit = UrgencyDetector.asciiDigit(scalars[end]) {
                    if end - index < 9 { value = value * 10 + digit }
                    end += 1
                }
                return Run(start: index, end: end, value: end - index <= 9 ? value : nil, isASCII: true)
            }
            guard UrgencyDetector.chineseNumeral(scalars[index]) != nil else { return nil }
            var end = index
            var total = 0
            var current = 0
            while end < scalars.count, let numeral = UrgencyDetector.chineseNumeral(scalars[end]) {
                if end - index < 9 {
                    switch numeral {
                    case 10, 100:
                        total += (current == 0 ? 1 : current) * numeral
                        current = 0
                    default:
                        current = current * 10 + numeral
                    }
                }
                end += 1
            }
            return Run(start: index, end: end, value: end - index <= 9 ? total + current : nil, isASCII: false)
        }

        /// A day count or a date starting with `run`: the end of the phrase, or nil when there is none.
        private mutating func numberPhrase(_ run: Run) -> Int? {
            guard let value = run.value else { return nil }
            let next = run.end
            for suffix in UrgencyDetector.countSuffixes where self.matches(suffix, at: next) {
                let end = next + suffix.count
                if value <= self.detector.deadlineDays { self.reportDeadline(run.start, end) }
                return end
            }
            guard next < self.scalars.count else { return nil }
            let separator = self.scalars[next]
            if separator == "年", run.length == 4, let date = self.monthDay(at: next + 1) {
                self.reportDate(run.start, date.end, year: value, month: date.month, day: date.day)
                return date.end
            }
            if separator == "月", let day = self.numberRun(at: next + 1, ascii: nil),
                let dayEnd = self.dayMark(after: day)
            {
                self.reportDate(run.start, dayEnd, year: nil, month: value, day: day.value ?? 0)
                return dayEnd
            }
            guard run.isASCII, separator == "/" || separator == "-",
                let second = self.numberRun(at: next + 1, ascii: true), second.length <= 2
            else {
                return nil
            }
            let afterSecond = second.end
            let continues =
                afterSecond + 1 < self.scalars.count && self.scalars[afterSecond] == separator
                && UrgencyDetector.asciiDigit(self.scalars[afterSecond + 1]) != nil
            if run.length == 4 && continues {
                // yyyy/M/D, yyyy-M-D
                guard let third = self.numberRun(at: afterSecond + 1, ascii: true), third.length <= 2 else {
                    return nil
                }
                self.reportDate(run.start, third.end, year: value, month: second.value ?? 0, day: third.value ?? 0)
                return third.end
            }
            // M/D, not inside a longer chain of numbers and slashes (a path, 11/25/2026).
            let followsSlash = run.start >= 1 && self.scalars[run.start - 1] == "/"
            guard separator == "/", run.length <= 2, !continues, !followsSlash else { return nil }
            self.reportDate(run.start, afterSecond, year: nil, month: value, day: second.value ?? 0)
            return afterSecond
        }

        /// A number run of the wanted kind (nil: either) at `index`.
        private func numberRun(at index: Int, ascii: Bool?) -> Run? {
            guard index < self.scalars.count, let run = self.numberRun(at: index), run.value != nil else { return nil }
            if let ascii, run.isASCII != ascii { return nil }
            return run
        }

        /// After a year: `M月D日` or `M月D号`.
        private func monthDay(at index: Int) -> (month: Int, day: Int, end: Int)? {
            guard let month = self.numberRun(at: index, ascii: nil), month.end < self.scalars.count,
                self.scalars[month.end] == "月", let day = self.numberRun(at: month.end + 1, ascii: nil),
                let end = self.dayMark(after: day)
            else {
                return nil
            }
            return (month.value ?? 0, day.value ?? 0, end)
        }

        /// The end of `D日` or `D号`, when the day run is followed by one.
        private func dayMark(after day: Run) -> Int? {
            guard day.end < self.scalars.count, self.scalars[day.end] == "日" || self.scalars[day.end] == "号" else {
                return nil
            }
            return day.end + 1
        }

        // MARK: Dates

        /// Reports the date phrase when the date is from today to `deadlineDays` ahead and a deadline word is near.
        private mutating func reportDate(_ start: Int, _ end: Int, year: Int?, month: Int, day: Int) {
            let today: Int
            if let known = self.today {
                today = known
            } else {
                today = CivilDay.local(self.now, in: self.detector.timeZone).day
                self.today = today
            }
            let distance: Int?
            if let year {
                distance = CivilDay.validNumber(year: year, month: month, day: day).map { $0 - today }
            } else {
                let thisYear = CivilDay.date(today).year
                let current = CivilDay.validNumber(year: thisYear, month: month, day: day).map { $0 - today }
                let next = CivilDay.validNumber(year: thisYear + 1, month: month, day: day).map { $0 - today }
                if let next, next >= 0, current.map({ next < abs($0) }) ?? true {
                    distance = next
                } else {
                    distance = current
                }
            }
            guard let distance, distance >= 0, distance <= self.detector.deadlineDays else { return }
            self.reportDeadline(start, end)
        }

        // MARK: Looking around

        /// Whether `word` is at `index`.
        private func matches(_ word: [Unicode.Scalar], at index: Int) -> Bool {
            guard index >= 0, index + word.count <= self.scalars.count else { return false }
            for offset in 0..<word.count where self.scalars[index + offset] != word[offset] {
                return false
            }
            return true
        }

        /// Whether a deadline word lies within `reach` characters after `end` or before `start`.
        private func hasDeadlineWord(around start: Int, _ end: Int) -> Bool {
            let reach = UrgencyDetector.reach
            for word in self.detector.deadlineWords {
                let length = word.count
                var position = end
                while position + length <= min(end + reach, self.scalars.count) {
                    if self.matches(word, at: position) { return true }
                    position += 1
                }
                position = max(0, start - reach)
                while position + length <= start {
                    if self.matches(word, at: position) { return true }
                    position += 1
                }
            }
            return false
        }
    }

    // MARK: - Word lists

    private static func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

    /// Relative day words, longest first where one contains another.
    private static let dayWords: [DayWord] = [
        DayWord(scalars: scalars("大后天"), days: 3), DayWord(scalars: scalars("今天"), days: 0),
        DayWord(scalars: scalars("今日"), days: 0), DayWord(scalars: scalars("明天"), days: 1),
        DayWord(scalars: scalars("明日"), days: 1), DayWord(scalars: scalars("后天"), days: 2),
    ]
    private static let weekWords: [[Unicode.Scalar]] = ["本周", "这周", "下周"].map(scalars)
    /// What may follow 下周 and still belong to the phrase: 下周三, 下周日, 下周末.
    private static let weekdayScalars: Set<Unicode.Scalar> = Set("一二三四五六日天末".unicodeScalars)
    /// The first scalars of ``dayWords`` and ``weekWords``.
    private static let relativeFirstScalars: Set<Unicode.Scalar> = Set("大今明后本这下".unicodeScalars)
    /// What follows N in a day count, longest first.
    private static let countSuffixes: [[Unicode.Scalar]] = ["个工作日内", "天之内", "天以内", "天内", "日内", "天后", "日后"]
        .map(scalars)

    /// The value of an ASCII digit.
    @inline(__always)
    static func asciiDigit(_ scalar: Unicode.Scalar) -> Int? {
        scalar.value >= 0x30 && scalar.value <= 0x39 ? Int(scalar.value - 0x30) : nil
    }

    /// The value of a Chinese numeral: 0 … 9, or 10 for 十 and 100 for 百.
    static func chineseNumeral(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar {
        case "〇", "零": 0
        case "一": 1
        case "二", "两": 2
        case "三": 3
        case "四": 4
        case "五": 5
        case "六": 6
        case "七": 7
        case "八": 8
        case "九": 9
        case "十": 10
        case "百": 100
        default: nil
        }
    }
}
