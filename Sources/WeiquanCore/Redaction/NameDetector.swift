/// Finds names after a name label: `姓名：张三`, `联系人：李四`, `我叫王小明`, and after `我是`/`本人` when they
/// start with a common surname and stand alone (`我是王建国，`, `本人李明，`, `我是张三的代理人`).
///
/// The name is the Chinese characters after the label (and `：`, `是`, a space), up to 4 of them when no more
/// follow, else 3, and never past a word that starts the next field (`电话`, `手机`, `身份证` …). Labels that
/// are also ordinary words (`联系人`, `申请人`, `法定代表人` …) count only with a colon after them, so
/// `申请人主体资格` stays. A surname with a title (`张先生`, `王女士`) is not a name here.
enum NameDetector {
    /// Labels that introduce a name on their own.
    private static let strongLabels = RedactionBytes.words([
        "姓名", "名字", "名字叫", "我叫", "本人姓名", "真实姓名", "户名", "开户名", "持卡人",
    ])
    /// Labels that introduce a name only with a colon.
    private static let weakLabels = RedactionBytes.words([
        "联系人", "联络人", "申请人", "收件人", "收货人", "法定代表人", "法人代表", "法人", "负责人", "当事人", "投诉人",
        "举报人", "委托人", "代理人", "经办人", "收款人", "开户人", "账户名",
    ])
    /// Words that start the next field, where a name stops.
    private static let stops = RedactionBytes.words([
        "电话", "手机", "身份", "地址", "微信", "邮箱", "联系", "性别", "年龄", "先生", "女士", "小姐", "同志", "证件",
        "住址", "单位", "公司", "号码", "不详", "未知", "是否", "我们", "想", "要", "在", "的", "和", "与", "及",
    ])
    /// The dots between the parts of a transcribed name.
    private static let dots: Set<Unicode.Scalar> = ["·", "•", "・"]
    /// Words after a strong label that mean no name follows (`名字叫什么`).
    private static let notNames = RedactionBytes.words(["什么", "不知道", "未知", "不详", "保密"])

    /// Common surnames: after `我是`, 2–3 characters starting with one of them and standing alone
    /// (`我是王建国，`) are a name. Surnames that also start common words (`高`, `商`, `万`, `文` …) are left out.
    private static let surnames: Set<Unicode.Scalar> = Set(
        ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾萧肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范廖"
            + "石贾韦夏付方邹熊孟秦邱侯江尹薛闫段雷龙黎史陶贺顾毛郝龚邵邢严覃牛莫洪施孔汤庞樊殷钱倪葛温易武乔赖欧")
            .unicodeScalars)
    /// Compound surnames, which make a 4-character name possible after `我是`.
    private static let compoundSurnames = RedactionBytes.words(["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "慕容"])
    /// Words after which a name with a common surname may stand alone.
    private static let introductions = RedactionBytes.words(["我是", "本人"])
    /// Titles after a surname (`刘女士`): a surname with a title is not masked.
    private static let titles = RedactionBytes.words(["先生", "女士", "小姐", "老师", "经理", "总", "师傅", "律师", "同学"])

    static func detect(_ bytes: UnsafeBufferPointer<UInt8>, into found: inout [RedactionMatch.Candidate]) {
        var index = 0
        while index < bytes.count {
            defer { index += 1 }
            guard bytes[index] >= 0xE0 else { continue }
            var valueStart: Int?
            if let end = RedactionBytes.skip(Self.strongLabels, in: bytes, at: index) {
                valueStart = RedactionBytes.skipLabelSeparators(bytes, from: end)
            } else if let end = RedactionBytes.skip(Self.weakLabels, in: bytes, at: index) {
                var position = end
                if TextBytes.byte(bytes, position) == UInt8(ascii: " ") { position += 1 }
                if TextBytes.byte(bytes, position) == UInt8(ascii: ":") {
                    valueStart = RedactionBytes.skipLabelSeparators(bytes, from: position)
                }
            }
            if valueStart == nil, let start = RedactionBytes.skip(Self.introductions, in: bytes, at: index),
                let end = Self.introducedNameEnd(bytes, from: start)
            {
                found.append(.init(kind: .name, range: start..<end))
                index = end - 1
                continue
            }
            guard let start = valueStart, RedactionBytes.skip(Self.notNames, in: bytes, at: start) == nil,
                let end = Self.nameEnd(bytes, from: start)
            else {
                continue
            }
            found.append(.init(kind: .name, range: start..<end))
            index = end - 1
        }
    }

    /// The end of a name after `我是`: 2–3 Chinese characters (4 with a compound surname) starting with a
    /// common surname, followed by no further Chinese character; or nil.
    private static func introducedNameEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let (first, _) = RedactionBytes.scalar(bytes, at: start),
            Self.surnames.contains(first)
                || RedactionBytes.skip(Self.compoundSurnames, in: bytes, at: start) != nil
        else {
            return nil
        }
        guard !Self.hasTitle(bytes, at: start) else { return nil }
        var position = start
        var count = 0
        while let (scalar, length) = RedactionBytes.scalar(bytes, at: position), RedactionBytes.isHan(scalar) {
            // `我是张三的代理人`: a name may be followed by 的.
            if count >= 2, scalar == "的" { break }
            position += length
            count += 1
            if count > 4 { return nil }
        }
        let compound = RedactionBytes.skip(Self.compoundSurnames, in: bytes, at: start) != nil
        guard count >= 2, count <= (compound ? 4 : 3) else { return nil }
        return position
    }

    /// Whether a title follows the first character at `start` (`刘女士`, `王总`).
    private static func hasTitle(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard let (_, length) = RedactionBytes.scalar(bytes, at: start) else { return false }
        return RedactionBytes.skip(Self.titles, in: bytes, at: start + length) != nil
    }

    /// The end of a name starting at `start`: 2–4 Chinese characters (3 when more follow), or a name written
    /// with `·` (`阿卜杜拉·买买提`) whole; nil when there is none.
    private static func nameEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard !Self.hasTitle(bytes, at: start) else { return nil }
        var ends: [Int] = []
        var isDot: [Bool] = []
        var position = start
        while ends.count < 12 {
            if ends.count >= 2, RedactionBytes.skip(Self.stops, in: bytes, at: position) != nil { break }
            guard let (scalar, length) = RedactionBytes.scalar(bytes, at: position) else { break }
            let dot = Self.dots.contains(scalar)
            guard RedactionBytes.isHan(scalar) || (dot && !ends.isEmpty) else { break }
            position += length
            ends.append(position)
            isDot.append(dot)
        }
        while isDot.last == true {
            ends.removeLast()
            isDot.removeLast()
        }
        let dotted = isDot.contains(true)
        switch ends.count {
        case 0, 1: return nil
        case 2, 3, 4: return ends[ends.count - 1]
        default: return dotted ? ends[ends.count - 1] : ends[2]
        }
    }
}
