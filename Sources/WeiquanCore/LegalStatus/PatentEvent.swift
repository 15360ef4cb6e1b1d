/// One dated entry of a patent's legal-status history (事务), as an export lists it (legal-status.md §1).
///
/// A patent's status is derived from these (``PatentStatusDerivation``), never read from a "current status"
/// column. Dates are civil days written `yyyy-MM-dd`; they are checked when the event is made.
public struct PatentEvent: Sendable, Equatable, Hashable {
    /// 法律状态公告日: the day the event was announced, `yyyy-MM-dd`.
    public let announced: String
    /// 事务代码 (`CF01`, `GR01`, old exports `N`, `D` …), if the export has one.
    public let code: String?
    /// 法律状态: the event's title, as written (for example `未缴年费专利权终止`).
    public let title: String
    /// 法律状态信息: the free text beside the title, if any.
    public let info: String?
    /// 生效日 (for example a transfer's 登记生效日), `yyyy-MM-dd`, when it differs from the announcement.
    public let effective: String?

    /// The announcement as a day number, for ordering.
    let announcedDay: Int
    /// The effective date as a day number.
    let effectiveDay: Int?

    /// Checks the dates; an event needs a code or a title.
    public init(
        announced: String, code: String? = nil, title: String, info: String? = nil, effective: String? = nil
    ) throws(PatentEventError) {
        guard let announcedDay = CivilDay.parse(announced) else {
            throw .unreadableDate(field: .announced, text: announced)
        }
        var effectiveDay: Int?
        if let effective {
            guard let day = CivilDay.parse(effective) else { throw .unreadableDate(field: .effective, text: effective) }
            effectiveDay = day
        }
        let code = code.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        guard code != nil || !title.allSatisfy(\.isWhitespace) else { throw .missingTitleAndCode }
        self.announced = announced
        self.code = code
        self.title = title
        self.info = info
        self.effective = effective
        self.announcedDay = announcedDay
        self.effectiveDay = effectiveDay
    }
}
