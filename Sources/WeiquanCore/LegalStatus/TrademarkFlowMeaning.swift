/// What one trademark flow row means for the status (legal-status.md §2), as ``TrademarkFlowClassifier`` reads it.
public enum TrademarkFlowMeaning: Sendable, Equatable {
    /// How far a refusal has gone.
    public enum Refusal: Sendable, Equatable {
        /// Decided, the notice still to be sent (等待驳回通知发文): appealable, the period not yet begun.
        case decided
        /// The notice was sent on the row's date (驳回通知发文; an opposition's 不予注册): 15 days to appeal.
        case notified
        /// Re-examination ended against the mark (复审 维持驳回, 不予注册, or withdrawn): no further review here.
        case final
    }

    /// 申请收文, 受理通知书发文, 等待实质审查 …: the application is being examined.
    case pending
    /// 初审公告: preliminarily approved, three months' opposition.
    case preliminaryApproval
    /// Refused.
    case refused(Refusal)
    /// 驳回复审中, or a re-examination business under way.
    case reviewUnderWay
    /// 注册公告 (`isAnnouncement`: its date is the registration date) or 注册证发文, 核准注册.
    case registered(isAnnouncement: Bool)
    /// A renewal completed (商标续展 核准, 续展注册证明发文 …).
    case renewed
    /// The mark ended.
    case ended(TrademarkStatus.EndReason)
    /// A procedure against the mark is under way.
    case challengeOpened(TrademarkStatus.Challenge)
    /// A procedure against the mark ended, the mark standing (维持, 不予撤销, 准予注册, partly, withdrawn).
    case challengeClosed(TrademarkStatus.Challenge)
    /// An overlay begins (a transfer, pledge, licence or preservation completed).
    case overlay(LegalStatusOverlay)
    /// An overlay ends (a pledge, licence or preservation cancelled or released).
    case release(LegalStatusOverlay)
    /// Changes nothing (a request filed or refused, a change of name or address, a replacement certificate …).
    case informational
    /// Neither the business nor the step is known: reported, never guessed.
    case unknown

    /// Whether the row was understood; an importer may refuse rows that were not.
    public var isKnown: Bool { self != .unknown }
}
