/// The wordings of 中国商标网's flow rows (legal-status.md §2), normalised as patent wordings are
/// (``PatentEventClassifier/normalizedWording(_:)``): the official wording, never user text.
///
/// A row is read in two steps: its business (业务) names a ``Business``, tried in order so that the specific comes
/// before the general (`注册商标注销期满未续展` is an expiry before `续展` is a renewal or `注销` a cancellation;
/// `质权登记注销` a pledge's release before a cancellation); then its step (环节) and outcome (结论) say how far that
/// business has gone.
enum TrademarkFlowVocabulary {
    /// What a business is about.
    enum Business: Sendable {
        case expiry, pledge, licence, preservation, renewal, review, opposition, invalidation, revocation
        case cancellation, transfer, informational, application
    }

    /// Businesses by the words their names contain, in the order they are tried.
    static let businesses: [(words: [String], business: Business)] = [
        ([expiry], .expiry),
        (["质权", "质押"], .pledge),
        (["许可"], .licence),
        (["冻结", "保全"], .preservation),
        (["续展"], .renewal),
        (["驳回复审", "不予注册复审"], .review),
        (["异议"], .opposition),
        (["无效宣告", "宣告无效", "争议"], .invalidation),
        (["撤销"], .revocation),
        (["注销"], .cancellation),
        (["转让", "移转"], .transfer),
        (["变更", "更正", "补发", "出具"], .informational),
        (["注册申请"], .application),
    ]

    /// The office's cancellation of a mark not renewed, in any column.
    static let expiry = "期满未续展"

    /// A business that withdraws an application (撤回商标注册申请): not read, listed as unknown.
    static let withdrawal = "撤回"

    // MARK: - How far a request has gone

    /// Steps of a request filed and not yet decided.
    static let filingSteps = ["申请收文", "受理", "补正", "收文"]
    /// Steps that wait for something (等待受理, 等待审查): not decided.
    static let waitingPrefix = "等待"
    /// Words of a step or outcome saying a request failed or was withdrawn.
    static let failureWords = ["不予", "驳回", "撤回", "不受理", "视为放弃"]
    /// Words of a step saying a request was granted (核准通知打印发送, 续展注册证明发文, 注销公告).
    static let completionSteps = ["核准", "证明", "公告", "完成", "登记", "备案"]
    /// Outcomes saying a request was granted.
    static let completionOutcomes = ["核准", "结束", "完成", "准予", "登记", "备案"]
    /// Words saying a pledge, licence or preservation is released.
    static let releaseWords = ["注销", "解除", "终止"]
    /// Words saying a pledge or licence was changed or extended: it stays as it was.
    static let changeWords = ["变更", "延期", "更正"]
    /// Steps ending a procedure (结案, 裁定文书发文): without an outcome they say nothing of the result.
    static let closingSteps = ["结案", "归档", "裁定", "决定", "文书"]
    /// A decision for part of the goods: the mark stands for the rest.
    static let partial = "部分"

    // MARK: - Decisions

    /// Outcomes of a procedure against the mark that left it standing, checked before the decisive words
    /// (`不予撤销` before `撤销`).
    static let standingOutcomes = ["维持", "驳回", "不予", "撤回", "准予注册", "予以注册"]
    /// An invalidation's decisive outcome or announcement.
    static let invalidated = ["宣告无效", "无效宣告公告"]
    /// An invalidation's outcome written alone.
    static let invalidatedAlone = "无效"
    /// A revocation's decisive outcome (`撤销`) and announcement step.
    static let revoked = "撤销"
    static let revocationAnnouncement = "撤销公告"
    /// An opposition upheld against the mark.
    static let notRegistered = "不予注册"
    /// Re-examination outcomes: against the mark, then for it.
    static let reviewRefused = ["不予", "驳回", "维持", "撤回"]
    static let reviewPreliminary = ["初步审定", "初审"]
    static let reviewRegistered = ["准予注册", "核准注册", "予以注册"]

    // MARK: - The application's steps

    static let reviewUnderWay = "驳回复审中"
    static let waitingForReview = "等待驳回复审"
    static let refusal = "驳回"
    static let preliminaryApproval = ["初审公告", "初步审定公告"]
    static let registrationAnnouncement = "注册公告"
    static let registration = ["注册证", "核准注册"]
    static let examination = ["申请收文", "受理", "补正", "审查", "等待"]
}
