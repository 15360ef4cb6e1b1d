/// What is registered on a right beside its status (legal-status.md §2): it changes who may act, not whether the
/// right stands.
public enum LegalStatusOverlay: String, Codable, Sendable, CaseIterable {
    /// 转让/转移: the holder changed.
    case transferred
    /// 质押: the right is pledged as security.
    case pledged
    /// 许可: a licence is recorded.
    case licensed
    /// 保全: the right is preserved (frozen) by a court.
    case preserved

    /// The overlay a patent's derived status names.
    public init(_ overlay: PatentStatus.Overlay) {
        switch overlay {
        case .transferred: self = .transferred
        case .pledged: self = .pledged
        case .licensed: self = .licensed
        case .preserved: self = .preserved
        }
    }
}
