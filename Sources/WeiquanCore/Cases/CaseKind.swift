/// What a case was filed as.
public enum CaseKind: String, Codable, Sendable, CaseIterable {
    /// 维权援助申请
    case aidRequest = "aid_request"
    /// 举报投诉
    case complaint
}
