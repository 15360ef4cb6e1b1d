/// A kind of personal data the ``Redactor`` removes before a volunteer sees a question.
///
/// The raw value names the kind in the wording file: the label that replaces it is the template
/// ``replyKey`` (`redaction.label.mobile`, …) in `intents/replies.json`.
public enum RedactionKind: String, CaseIterable, Sendable {
    /// A mainland mobile number (`1[3-9]` and 9 more digits), with or without `+86`/`0086`; a Taiwan mobile
    /// (`09` and 8 digits); any other number written with a `+` country code.
    case mobile
    /// A landline: area code `0xx`/`0xxx` and 7–8 digits, with an extension if one follows; or 7–12 digits
    /// after a phone label (`电话：`).
    case landline
    /// A resident ID number (18 characters, or the old 15 digits), also one with a wrong check character.
    case residentID = "resident_id"
    /// An e-mail address.
    case email
    /// A bank card number: 13–19 digits passing the Luhn check, or 12–19 digits after a card label.
    case bankCard = "bank_card"
    /// A unified social credit code (GB 32100-2015) with a valid check character, or any 18 characters
    /// after a credit-code label.
    case creditCode = "credit_code"
    /// A QQ number after a QQ label.
    case qq
    /// A WeChat id: `wxid_…` anywhere, or an id after a WeChat label.
    case wechat
    /// A street address below the district: the road, village or estate and the house number.
    case address
    /// A name after a name label (`姓名：`, `联系人：`, `我叫`), or after `我是`/`本人` when it starts with a
    /// common surname; and the same name wherever else it appears.
    case name
    /// A value the applicant gave in a form (name, company, phone, the other party).
    case known

    /// The key of the label's template in the reply book: `redaction.label.<raw value>`.
    public var replyKey: String { "redaction.label.\(self.rawValue)" }

    /// The label used when the reply book has none for this kind.
    public var defaultLabel: String {
        switch self {
        case .mobile, .landline: "【电话】"
        case .residentID: "【身份证号】"
        case .email: "【邮箱】"
        case .bankCard: "【银行卡号】"
        case .creditCode: "【信用代码】"
        case .qq: "【QQ号】"
        case .wechat: "【微信号】"
        case .address: "【地址】"
        case .name: "【姓名】"
        case .known: "【个人信息】"
        }
    }
}
