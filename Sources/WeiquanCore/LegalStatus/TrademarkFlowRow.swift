/// One row of a trademark's flow (商标流程) as 中国商标网 and the exports list it (legal-status.md §2):
/// 业务 (the business), 环节 (the step), 结论 (the outcome) and the date.
///
/// A trademark's status is derived from these rows, never read from an aggregator's "current status" column
/// (its 商标无效 is ambiguous).
public struct TrademarkFlowRow: Sendable, Hashable {
    /// The row's date.
    public let date: CalendarDay
    /// 业务名称, for example `商标注册申请`, `商标续展`, `商标转让`.
    public let business: String
    /// 环节名称, for example `受理通知书发文`, `注册公告`, `核准证明打印发送`.
    public let step: String
    /// 结论, for example `结束`, `核准`; often empty.
    public let outcome: String?

    public init(date: CalendarDay, business: String, step: String, outcome: String? = nil) {
        self.date = date
        self.business = business
        self.step = step
        self.outcome = outcome.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
    }
}
