/// A word written in front of a value that says what the value is (`电话：`, `身份证号`, `QQ`, `微信`).
///
/// A label lets a detector take a value it would not take alone: a typo'd phone number after `手机：`, an
/// 8-digit number after `QQ：`, an id after `微信：`.
enum ContextLabel: CaseIterable {
    case phone
    case residentID
    case bankCard
    case creditCode
    case qq
    case wechat

    /// The label's words, normalised (simplified, lower-case).
    private var list: [String] {
        switch self {
        case .phone:
            ["电话", "手机", "手机号", "手机号码", "电话号码", "联系电话", "联系方式", "座机", "座机号", "固话", "固定电话", "tel", "phone", "mobile"]
        case .residentID:
            ["身份证", "身份证号", "身份证号码", "证件号", "证件号码", "身份号码", "身份证件号"]
        case .bankCard:
            ["卡号", "银行卡", "银行卡号", "账号", "帐号", "账户", "帐户", "银行账号", "银行账户", "收款账号"]
        case .creditCode:
            ["信用代码", "纳税人识别号", "税号"]
        case .qq:
            ["qq", "qq号", "qq号码", "qq群", "扣扣", "企鹅号"]
        case .wechat:
            [
                "微信", "微信号", "微信id", "威信", "薇信", "v信", "vx", "vx号", "wx", "wx号", "wechat", "wechat id", "weixin",
                "加v", "+v", "v号",
            ]
        }
    }

    /// Every label word with its label, longest first.
    private static let table: [(word: RedactionBytes.Word, label: ContextLabel)] = Self.allCases
        .flatMap { label in label.list.map { (word: Array($0.utf8), label: label) } }
        .sorted { $0.word.count > $1.word.count }

    /// The words of this label, longest first.
    var words: [RedactionBytes.Word] { RedactionBytes.words(self.list) }

    /// The label written just before `index` (label separators such as `：` and `是` in between), or nil.
    static func before(_ index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> ContextLabel? {
        let end = RedactionBytes.skipLabelSeparators(bytes, backFrom: index)
        for entry in Self.table where RedactionBytes.word([entry.word], in: bytes, endingAt: end) != nil {
            return entry.label
        }
        return nil
    }
}
