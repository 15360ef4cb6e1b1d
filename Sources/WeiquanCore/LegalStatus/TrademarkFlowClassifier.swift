/// Reads what a trademark flow row means (legal-status.md §2) from its business (业务), step (环节) and outcome
/// (结论), compared after ``PatentEventClassifier/normalizedWording(_:)`` (的, spaces, brackets and punctuation
/// removed; full-width and traditional forms folded), with the wordings of ``TrademarkFlowVocabulary``.
///
/// - A request (a renewal, cancellation, transfer, pledge, licence) counts once granted: a step or outcome saying so
///   (核准, 证明, 公告, 结束 …) on a step that is not a filing (申请收文, 受理, 补正, 等待…). Filed or refused, it
///   changes nothing. `结束` on 申请收文 only closes the filing step.
/// - A procedure against the mark (异议, 无效宣告, 撤销) is under way from its first row until an outcome decides
///   it: one that leaves the mark standing (维持, 不予撤销, 准予注册, withdrawn, or for part of the goods only), or
///   one that ends it (宣告无效, 撤销); an opposition upheld (不予注册) refuses the mark. A closing step (结案,
///   裁定文书发文) without an outcome decides nothing.
/// - A business that is not known, or a step of a known business that is not, stays unknown.
public struct TrademarkFlowClassifier: Sendable {
    private typealias Words = TrademarkFlowVocabulary

    /// Creates a classifier; the vocabulary is fixed.
    public init() {}

    /// What the row means.
    public func meaning(of row: TrademarkFlowRow) -> TrademarkFlowMeaning {
        self.meaning(business: row.business, step: row.step, outcome: row.outcome)
    }

    /// What a row with this business, step and outcome means.
    public func meaning(business: String, step: String, outcome: String? = nil) -> TrademarkFlowMeaning {
        let business = PatentEventClassifier.normalizedWording(business)
        let step = PatentEventClassifier.normalizedWording(step)
        let outcome = outcome.map(PatentEventClassifier.normalizedWording) ?? ""
        let row = Row(business: business, step: step, outcome: outcome)
        guard let kind = Self.business(of: row) else { return .unknown }
        switch kind {
        case .expiry: return .ended(.expired)
        case .pledge: return Self.registration(row, overlay: .pledged)
        case .licence: return Self.registration(row, overlay: .licensed)
        case .preservation:
            // A court's order takes effect when it is served: no grant to wait for.
            return row.mentions(Words.releaseWords) ? .release(.preserved) : .overlay(.preserved)
        case .renewal: return Self.request(row, granted: .renewed)
        case .review: return Self.review(row)
        case .opposition: return Self.opposition(row)
        case .invalidation: return Self.invalidation(row)
        case .revocation: return Self.revocation(row)
        case .cancellation:
            // Cancelled for part of the goods: the mark stands for the rest.
            if row.says([Words.partial]) { return .informational }
            return Self.request(row, granted: .ended(.surrendered))
        case .transfer: return Self.request(row, granted: .overlay(.transferred))
        case .informational: return .informational
        case .application: return Self.application(row)
        }
    }

    // MARK: - Businesses

    private static func business(of row: Row) -> TrademarkFlowVocabulary.Business? {
        // The office's cancellation of a mark not renewed, whichever column says so.
        if row.mentions([Words.expiry]) { return .expiry }
        for (words, kind) in Words.businesses where words.contains(where: row.business.contains) {
            return kind
        }
        // An export without the business column: the application's steps.
        return row.business.isEmpty ? .application : nil
    }

    /// A request that changes the mark once granted.
    private static func request(_ row: Row, granted: TrademarkFlowMeaning) -> TrademarkFlowMeaning {
        if row.says(Words.failureWords) || row.isFiling { return .informational }
        return row.isGranted ? granted : .unknown
    }

    /// A pledge or licence: registered, changed, or released.
    private static func registration(_ row: Row, overlay: LegalStatusOverlay) -> TrademarkFlowMeaning {
        if row.mentions(Words.releaseWords) { return Self.request(row, granted: .release(overlay)) }
        if row.mentions(Words.changeWords) { return .informational }
        return Self.request(row, granted: .overlay(overlay))
    }

    /// 驳回复审, 不予注册复审.
    private static func review(_ row: Row) -> TrademarkFlowMeaning {
        if row.outcome.contains(Words.partial) { return .preliminaryApproval }
        if row.outcomeSays(Words.reviewRefused) { return .refused(.final) }
        if row.outcomeSays(Words.reviewPreliminary) { return .preliminaryApproval }
        if row.outcomeSays(Words.reviewRegistered) { return .registered(isAnnouncement: false) }
        if row.isClosingWithoutOutcome { return .informational }
        return .reviewUnderWay
    }

    private static func opposition(_ row: Row) -> TrademarkFlowMeaning {
        if row.outcome.contains(Words.partial) { return .challengeClosed(.opposition) }
        if row.outcome.contains(Words.notRegistered) { return .refused(.notified) }
        if row.outcomeSays(Words.standingOutcomes) { return .challengeClosed(.opposition) }
        if row.isClosingWithoutOutcome { return .informational }
        return .challengeOpened(.opposition)
    }

    private static func invalidation(_ row: Row) -> TrademarkFlowMeaning {
        if row.outcome.contains(Words.partial) { return .challengeClosed(.invalidation) }
        if row.outcomeSays(Words.standingOutcomes) { return .challengeClosed(.invalidation) }
        if row.outcomeSays(Words.invalidated) || row.outcome == Words.invalidatedAlone
            || Words.invalidated.contains(where: row.step.contains)
        {
            return .ended(.invalidated)
        }
        if row.isClosingWithoutOutcome { return .informational }
        return .challengeOpened(.invalidation)
    }

    private static func revocation(_ row: Row) -> TrademarkFlowMeaning {
        if row.outcome.contains(Words.partial) { return .challengeClosed(.revocation) }
        if row.outcomeSays(Words.standingOutcomes) { return .challengeClosed(.revocation) }
        if row.outcome.contains(Words.revoked) || row.step.contains(Words.revocationAnnouncement) {
            return .ended(.revoked)
        }
        if row.isClosingWithoutOutcome { return .informational }
        return .challengeOpened(.revocation)
    }

    /// 商标注册申请: the application's own steps.
    private static func application(_ row: Row) -> TrademarkFlowMeaning {
        if row.business.contains(Words.withdrawal) { return .unknown }
        if row.step.contains(Words.reviewUnderWay) || row.outcome.contains(Words.reviewUnderWay) {
            return .reviewUnderWay
        }
        if row.step.contains(Words.waitingForReview) { return .informational }
        if row.step.contains(Words.refusal) {
            return row.step.hasPrefix(Words.waitingPrefix) ? .refused(.decided) : .refused(.notified)
        }
        if Words.preliminaryApproval.contains(where: row.step.contains) { return .preliminaryApproval }
        if row.step.contains(Words.registrationAnnouncement) { return .registered(isAnnouncement: true) }
        if Words.registration.contains(where: row.step.contains) { return .registered(isAnnouncement: false) }
        if Words.examination.contains(where: row.step.contains) { return .pending }
        return .unknown
    }

    // MARK: - Reading a row

    /// A row's normalised wordings.
    private struct Row {
        let business: String
        let step: String
        let outcome: String

        /// The step is a filing or a wait: nothing is decided yet.
        var isFiling: Bool {
            self.step.hasPrefix(Words.waitingPrefix) || Words.filingSteps.contains(where: self.step.contains)
        }

        /// The step or the outcome says the request was granted.
        var isGranted: Bool {
            Words.completionSteps.contains(where: self.step.contains)
                || Words.completionOutcomes.contains(where: self.outcome.contains)
        }

        /// A closing step (结案, 裁定文书发文); read after the outcomes that decide, so its outcome decided nothing.
        var isClosingWithoutOutcome: Bool {
            Words.closingSteps.contains(where: self.step.contains)
        }

        /// The step or the outcome contains one of `words`.
        func says(_ words: [String]) -> Bool {
            words.contains { self.step.contains($0) || self.outcome.contains($0) }
        }

        /// The outcome contains one of `words`.
        func outcomeSays(_ words: [String]) -> Bool {
            words.contains(where: self.outcome.contains)
        }

        /// The business, step or outcome contains one of `words`.
        func mentions(_ words: [String]) -> Bool {
            words.contains { self.business.contains($0) || self.step.contains($0) || self.outcome.contains($0) }
        }
    }
}
