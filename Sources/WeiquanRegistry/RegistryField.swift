/// A column of a registry export the importer understands, with the names the common exports give it
/// (legal-status.md §1: CNIPA bulk, incoPat-, PatSnap-style, 中国商标网 flow rows).
///
/// Column names are compared after ``normalizedName(_:)``; a column matching no alias is reported as unknown and
/// not read — never guessed.
public enum RegistryField: String, Sendable, CaseIterable, Codable {
    /// A patent's application number (any written form).
    case applicationNumber = "application_number"
    /// A trademark's registration (= application) number.
    case registrationNumber = "registration_number"
    /// A patent event's announcement day.
    case announced
    /// A patent event's code (`CF01`, old exports `N`).
    case eventCode = "event_code"
    /// A patent event's title (法律状态).
    case eventTitle = "event_title"
    /// The free text beside a patent event.
    case eventInfo = "event_info"
    /// A patent event's effective day (登记生效日).
    case effective
    /// A patent's filing day.
    case filingDate = "filing_date"
    /// A trademark's registration day.
    case registrationDate = "registration_date"
    /// The invention's or the mark's name.
    case title
    /// The holder (专利权人, 注册人).
    case holder
    /// A trademark flow row's business (业务).
    case business
    /// A trademark flow row's step (环节).
    case step
    /// A trademark flow row's outcome (结论).
    case outcome
    /// A trademark flow row's day.
    case flowDate = "flow_date"
    /// The day the row's data was taken from the official source.
    case asOf = "as_of"
    /// Known, not read: a "current status" label (derived from the events instead, since such labels lag), or
    /// facts the number or the events already give.
    case ignored

    /// The column names that mean this field, normalized.
    static let aliases: [String: RegistryField] = {
        let table: [RegistryField: [String]] = [
            .applicationNumber: ["申请号", "专利申请号", "申请号码", "专利号", "application_number", "app_no"],
            .registrationNumber: ["注册号", "商标注册号", "商标申请号", "申请注册号", "registration_number", "reg_no"],
            .announced: ["法律状态公告日", "公告日", "事务公告日", "法律状态日", "announced", "announcement_date"],
            .eventCode: ["事务代码", "法律状态代码", "代码", "event_code", "code"],
            .eventTitle: ["法律状态", "法律事件", "事务", "法律状态名称", "event", "event_title", "legal_status"],
            .eventInfo: ["法律状态信息", "事务信息", "详细信息", "event_info", "info"],
            .effective: ["生效日", "登记生效日", "生效日期", "effective", "effective_date"],
            .filingDate: ["申请日", "专利申请日", "filing_date", "application_date"],
            .registrationDate: ["注册日期", "注册日", "注册公告日期", "专用权期限开始日期", "registration_date"],
            .title: ["标题", "名称", "发明名称", "专利名称", "商标名称", "商标", "title", "name"],
            .holder: [
                "当前申请专利权人", "申请专利权人", "专利权人", "申请人", "注册人", "申请人名称", "权利人", "holder",
                "applicant",
            ],
            .business: ["业务", "业务名称", "business"],
            .step: ["环节", "环节名称", "step"],
            .outcome: ["结论", "outcome", "result"],
            .flowDate: ["日期", "流程日期", "业务日期", "flow_date", "date"],
            .asOf: ["数据日期", "数据截止日", "as_of", "data_date"],
            .ignored: [
                "当前法律状态", "简单法律状态", "法律状态类型", "授权公告号", "授权公告日", "公开公告号", "公开号",
                "公开日", "专利类型", "失效日", "转让", "许可", "质押", "转让许可质押", "类别", "国际分类", "序号",
                "商标状态", "kind", "status", "current_status",
            ],
        ]
        var aliases: [String: RegistryField] = [:]
        for (field, names) in table {
            for name in names { aliases[RegistryField.normalizedName(name)] = field }
        }
        return aliases
    }()

    /// The field a column name means, or nil when the importer does not know it.
    public static func field(named name: String) -> RegistryField? {
        Self.aliases[Self.normalizedName(name)]
    }

    /// A column name without spaces, brackets, slashes and the byte-order mark, in lower case:
    /// `当前申请(专利权)人` and `当前申请（专利权）人` read alike.
    public static func normalizedName(_ name: String) -> String {
        let dropped: Set<Character> = [
            " ", "\u{3000}", "\u{FEFF}", "(", ")", "（", "）", "[", "]", "【", "】", "/", "、", "_", "-", "\t",
        ]
        // Aliases are written with underscores; both sides are compared without them.
        return String(name.filter { !dropped.contains($0) }).lowercased()
    }
}
