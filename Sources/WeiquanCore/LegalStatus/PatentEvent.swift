/// One dated entry of a patent's legal-status history (事务), as an export lists it (legal-status.md §1).
///
/// A patent's status is derived from these (``PatentStatusDerivation``), never read from a "current status"
/// column.
public struct PatentEvent: Sendable, Hashable {
    /// 法律状态公告日: the day the event was announced.
    public let announced: CalendarDay
    /// 事务代码 (`CF01`, `GR01`, old exports `N`, `D` …), if the export has one.
    public let code: String?
    /// 法律状态: the event's title, as written (for example `未缴年费专利权终止`).
    public let title: String
    /// 法律状态信息: the free text beside the title, if any.
    public let info: String?
    /// 生效日 (for example a transfer's 登记生效日), when it differs from the announcement.
    public let effective: CalendarDay?

    /// An event needs a code or a title; a blank code counts as none.
    public init(
        announced: CalendarDay, code: String? = nil, title: String, info: String? = nil, effective: CalendarDay? = nil
    ) throws(PatentEventError) {
        let code = code.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        guard code != nil || !title.allSatisfy(\.isWhitespace) else { throw .missingTitleAndCode }
        self.announced = announced
        self.code = code
        self.title = title
        self.info = info
        self.effective = effective
    }

    /// An event with its dates as an export writes them, `yyyy-MM-dd`; an unreadable date is refused, never
    /// guessed.
    public init(
        announced: String, code: String? = nil, title: String, info: String? = nil, effective: String? = nil
    ) throws(PatentEventError) {
        guard let announcedDay = CalendarDay(announced) else {
            throw .unreadableDate(field: .announced, text: announced)
        }
        var effectiveDay: CalendarDay?
        if let effective {
            guard let day = CalendarDay(effective) else { throw .unreadableDate(field: .effective, text: effective) }
            effectiveDay = day
        }
        try self.init(announced: announcedDay, code: code, title: title, info: info, effective: effectiveDay)
    }
}
