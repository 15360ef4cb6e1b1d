import Testing
import WeiquanCore

/// The event vocabulary of legal-status.md §2: every current and old code, the wordings with their traps (the
/// most specific first), normalisation, registrations decided by the free text, and unknown wording kept unknown.
@Suite struct PatentEventClassifierTests {
    typealias Effect = PatentEventMeaning.Effect

    static let classifier = PatentEventClassifier()

    static func meaning(code: String? = nil, _ title: String, info: String? = nil) -> PatentEventMeaning {
        Self.classifier.meaning(code: code, title: title, info: info)
    }

    // MARK: - Codes

    static let currentCodes: [(String, Effect)] = [
        ("PB01", .status(.pending)), ("SE01", .status(.pending)), ("C06", .status(.pending)),
        ("C10", .status(.pending)), ("GR01", .status(.inForce)), ("C14", .status(.inForce)),
        ("CF01", .status(.lapsedFees)), ("RR01", .restoration), ("CX01", .status(.expired)),
        ("IW01", .status(.invalidated)), ("AV01", .status(.surrendered)), ("C25", .status(.surrendered)),
        ("C02", .status(.withdrawn)), ("TR01", .overlay(.transferred)), ("C41", .overlay(.transferred)),
        ("PE01", .overlay(.pledged)), ("PC01", .release(.pledged)), ("EE01", .overlay(.licensed)),
        ("EC01", .release(.licensed)), ("PP01", .overlay(.preserved)), ("PD01", .release(.preserved)),
        ("CB03", .informational), ("CP01", .informational), ("CP02", .informational), ("CP03", .informational),
        ("DD01", .informational),
    ]

    @Test(arguments: currentCodes)
    func currentCodesDecideWhateverTheTitle(code: String, effect: Effect) {
        // The title is one the vocabulary does not know: only the code can have decided.
        let meaning = Self.meaning(code: code, "某事务")
        #expect(meaning.effect == effect)
        #expect(meaning.basis == .code(code))
    }

    static let oldLetterCodes: [(String, Effect)] = [
        ("A", .status(.pending)), ("B", .status(.pending)), ("D", .status(.inForce)), ("E", .status(.rejected)),
        ("F", .status(.withdrawn)), ("G", .status(.withdrawn)), ("J", .status(.invalidated)),
        ("K", .status(.inForce)), ("M", .status(.surrendered)), ("N", .status(.lapsedFees)),
        ("O", .status(.expired)), ("P", .restoration), ("W", .status(.surrendered)),
    ]

    @Test(arguments: oldLetterCodes)
    func oldSingleLetterCodes(code: String, effect: Effect) {
        #expect(Self.meaning(code: code, "某事务").effect == effect)
        #expect(Self.meaning(code: code.lowercased(), "某事务").effect == effect)
    }

    @Test func oldCodesCarryTheirNotes() {
        #expect(Self.meaning(code: "G", "某事务").notes == [.deemedWithdrawal])
        #expect(Self.meaning(code: "K", "某事务").notes == [.partialInvalidation])
        #expect(Self.meaning(code: "F", "某事务").notes.isEmpty)
    }

    @Test func codesAreReadInAnyWidthAndCase() {
        #expect(PatentEventClassifier.normalizedCode(" ｃｆ０１ ") == "CF01")
        #expect(Self.meaning(code: "ｃｆ０１", "某事务").effect == .status(.lapsedFees))
        #expect(Self.meaning(code: "gr 01", "某事务").effect == .status(.inForce))
    }

    @Test func anUnknownCodeFallsBackToTheWording() {
        let meaning = Self.meaning(code: "ZZ99", "专利权的主动放弃")
        #expect(meaning.effect == .status(.surrendered))
        #expect(meaning.basis == .wording("主动放弃"))
        #expect(Self.meaning(code: "ZZ99", "某事务").effect == .unknown)
    }

    @Test func theWordingAddsItsNotesToTheCodesEffect() {
        #expect(Self.meaning(code: "C02", "发明专利申请公布后的视为撤回").notes == [.deemedWithdrawal])
        // A different effect in the wording does not override the code (except for the traps).
        let meaning = Self.meaning(code: "GR01", "驳回")
        #expect(meaning.effect == .status(.inForce))
        #expect(meaning.notes.isEmpty)
    }

    // MARK: - Wording

    static let wordings: [(String, Effect, Set<PatentEventMeaning.Note>)] = [
        ("公开", .status(.pending), []),
        ("发明专利申请公布", .status(.pending), []),
        ("实质审查的生效", .status(.pending), []),
        ("实质审查请求的生效", .status(.pending), []),
        ("等待颁证公告", .status(.pending), [.grantImminent]),
        ("等年登印费", .status(.pending), [.grantImminent]),
        ("授权", .status(.inForce), []),
        ("专利权授予", .status(.inForce), []),
        ("专利权维持", .status(.inForce), []),
        ("等年费滞纳金", .status(.inForce), [.feeGraceRunning]),
        ("未缴年费专利权终止", .status(.lapsedFees), []),
        ("专利权有效期届满", .status(.expired), []),
        ("届满终止", .status(.expired), []),
        ("专利权全部无效", .status(.invalidated), []),
        ("宣告专利权全部无效", .status(.invalidated), []),
        ("专利权的撤销", .status(.invalidated), []),
        ("专利权的主动放弃", .status(.surrendered), []),
        ("避免重复授权放弃专利权", .status(.surrendered), []),
        ("视为撤回", .status(.withdrawn), [.deemedWithdrawal]),
        ("发明专利申请公布后的视为撤回", .status(.withdrawn), [.deemedWithdrawal]),
        ("逾期视撤", .status(.withdrawn), [.deemedWithdrawal]),
        ("撤回专利申请", .status(.withdrawn), []),
        ("视为放弃取得专利权的权利", .status(.withdrawn), []),
        ("驳回", .status(.rejected), []),
        ("发明专利申请公布后的驳回", .status(.rejected), []),
        ("权利的恢复", .restoration, []),
        ("专利权的恢复", .restoration, []),
        ("专利权的转移", .overlay(.transferred), []),
        ("专利申请权的转移", .overlay(.transferred), []),
        ("专利申请权、专利权的转移", .overlay(.transferred), []),
        ("专利权质押合同登记的生效", .overlay(.pledged), []),
        ("专利权质押合同登记的注销", .release(.pledged), []),
        ("专利实施许可合同备案的生效", .overlay(.licensed), []),
        ("专利实施许可合同备案的注销", .release(.licensed), []),
        ("专利权的保全", .overlay(.preserved), []),
        ("专利权保全的解除", .release(.preserved), []),
        ("著录事项变更", .informational, []),
        ("专利权人的姓名或者名称、地址的变更", .informational, []),
        ("更正", .informational, []),
        ("公告送达", .informational, []),
        ("专利权期限补偿", .informational, [.termCompensation]),
    ]

    @Test(arguments: wordings)
    func wordingsWithoutACode(title: String, effect: Effect, notes: Set<PatentEventMeaning.Note>) {
        let meaning = Self.meaning(title)
        #expect(meaning.effect == effect)
        #expect(meaning.notes == notes)
        #expect(meaning.isKnown)
    }

    // MARK: - Traps

    @Test(arguments: ["驳回理由通知", "驳回理由通知书", "审查意见通知书", "第一次审查意见通知书"])
    func noticesArePendingNotRejections(title: String) {
        #expect(Self.meaning(title).effect == .status(.pending))
        // Even beside a code that says otherwise.
        #expect(Self.meaning(code: "E", title).effect == .status(.pending))
    }

    @Test func aPartialInvalidationIsInForceEvenBesideTheInvalidationCode() {
        for meaning in [Self.meaning("部分无效"), Self.meaning("宣告专利权部分无效"), Self.meaning(code: "IW01", "专利权部分无效")] {
            #expect(meaning.effect == .status(.inForce))
            #expect(meaning.notes == [.partialInvalidation])
        }
        #expect(Self.meaning(code: "IW01", "专利权全部无效").effect == .status(.invalidated))
    }

    @Test func theSpecificWordingWinsOverTheGeneralWordsItContains() {
        // 公布 (pending) in a rejection and a deemed withdrawal.
        #expect(Self.meaning("发明专利申请公布后的驳回").basis == .wording("发明专利申请公布后驳回"))
        // 授权 (in force) in a surrender.
        #expect(Self.meaning("避免重复授权放弃专利权").effect == .status(.surrendered))
        // 取得专利权 is never registered: not in force, not surrendered.
        #expect(Self.meaning("视为放弃取得专利权的权利").effect == .status(.withdrawn))
    }

    @Test func aWordingEndingInRestorationPendingIsRestorable() {
        let lapse = Self.meaning("未缴年费专利权终止，等恢复")
        #expect(lapse.effect == .status(.lapsedFees))
        #expect(lapse.notes == [.restorable])
        // 恢复 inside 等恢复 is not a restoration.
        let withdrawal = Self.meaning("发明专利申请公布后的视为撤回,等恢复")
        #expect(withdrawal.effect == .status(.withdrawn))
        #expect(withdrawal.notes == [.deemedWithdrawal, .restorable])
        #expect(Self.meaning(code: "CF01", "未缴年费专利权终止等恢复").notes == [.restorable])
        #expect(Self.meaning("等恢复").effect == .restorable)
        #expect(Self.meaning("专利权的恢复").notes.isEmpty)
    }

    // MARK: - Normalisation

    @Test(arguments: [
        ("实质审查（请求）的生效", "实质审查请求生效"),
        ("实质审查(请求)的生效", "实质审查请求生效"),
        ("【授权】", "授权"),
        ("①专利权的主动放弃", "专利权主动放弃"),
        ("(1) 授权", "授权"),
        ("（２）专利权的恢复", "专利权恢复"),
        ("1. 授权", "授权"),
        ("專利權的主動放棄", "专利权主动放弃"),
        ("专利权 的 转移", "专利权转移"),
        ("ＰＣＴ进入国家阶段", "pct进入国家阶段"),
        ("未缴年费专利权终止，等恢复", "未缴年费专利权终止等恢复"),
    ])
    func normalisation(text: String, normalized: String) {
        #expect(PatentEventClassifier.normalizedWording(text) == normalized)
    }

    @Test func normalisedWordingsAreClassifiedAlike() {
        #expect(Self.meaning("实质审查（请求）的生效").effect == .status(.pending))
        #expect(Self.meaning("①专利权的主动放弃").effect == .status(.surrendered))
        #expect(Self.meaning("（一）专利权有效期届满").effect == .status(.expired))
        #expect(Self.meaning("專利權的主動放棄").effect == .status(.surrendered))
        #expect(Self.meaning("驳回 理由 通知").effect == .status(.pending))
    }

    // MARK: - Free text and unknown wording

    @Test func aGenericTitleIsDecidedByTheFreeText() {
        #expect(Self.meaning("专利权的终止", info: "未缴年费专利权终止。终止日期：2020-06-29").effect == .status(.lapsedFees))
        #expect(Self.meaning("专利权的终止").effect == .unknown)
    }

    @Test func aCombinedRegistrationTitleIsDecidedByTheFreeText() {
        let pledge = "专利权质押合同登记的生效、变更及注销"
        #expect(Self.meaning(pledge, info: "登记生效日：2021-03-01 出质人：某公司").effect == .overlay(.pledged))
        #expect(Self.meaning(pledge, info: "质押合同注销 登记注销日：2022-03-01").effect == .release(.pledged))
        #expect(Self.meaning(pledge, info: "变更事项：质权人").effect == .informational)
        #expect(Self.meaning(pledge).effect == .unknown)
        #expect(Self.meaning(code: "PE01", pledge).effect == .overlay(.pledged))
        let licence = "专利实施许可合同备案的生效、变更及注销"
        #expect(Self.meaning(licence, info: "备案合同注销").effect == .release(.licensed))
        #expect(Self.meaning(licence, info: "合同备案号 生效日").effect == .overlay(.licensed))
    }

    @Test(arguments: ["复审决定撤销驳回决定", "某种新的事务", "专利权终止", "撤回复审请求", "授权书", ""])
    func unknownWordingIsReportedNeverGuessed(title: String) {
        let meaning = Self.meaning(title)
        #expect(meaning.effect == .unknown)
        #expect(!meaning.isKnown)
        #expect(meaning.basis == .none)
    }

    @Test func theEventFormIsReadLikeItsParts() throws {
        let event = try PatentEvent(announced: "2020-01-02", code: nil, title: "专利权的终止", info: "未缴年费专利权终止")
        #expect(Self.classifier.meaning(of: event).effect == .status(.lapsedFees))
    }
}
