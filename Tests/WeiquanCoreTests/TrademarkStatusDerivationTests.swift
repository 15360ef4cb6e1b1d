import Testing
import WeiquanCore

/// A trademark's status from its flow rows (legal-status.md §2, §3): every trademark bucket, every overlay, the
/// term applied on the day (renewal window, grace, expiry, renewals extending it), refusal and its 15 days,
/// re-examination, opposition and its three months, revocation, invalidation, surrender, the aggregator's 商标无效
/// resolved, unknown rows, date order, wording normalisation and the holiday shift.
@Suite struct TrademarkStatusDerivationTests {
    static let derivation = TrademarkStatusDerivation()
    static let today = "2026-11-30"

    static func day(_ text: String) -> CalendarDay {
        CalendarDay(text)!
    }

    static func row(_ date: String, _ business: String, _ step: String, _ outcome: String? = nil) -> TrademarkFlowRow {
        TrademarkFlowRow(date: Self.day(date), business: business, step: step, outcome: outcome)
    }

    static func status(
        _ rows: [TrademarkFlowRow], today: String = today, calendar: HolidayCalendar? = nil,
        registrationDate: String? = nil
    ) -> TrademarkStatus {
        TrademarkStatusDerivation(calendar: calendar)
            .status(of: rows, today: Self.day(today), registrationDate: registrationDate.map(Self.day))
    }

    static let application = "商标注册申请"

    /// Filed, accepted, waiting for examination.
    static let filed = [
        row("2018-03-01", application, "申请收文", "结束"),
        row("2018-04-10", application, "受理通知书发文", "结束"),
        row("2018-05-01", application, "等待实质审查"),
    ]

    /// The reference example: registered 2019-10-28, in force to 2029-10-27.
    static let registered =
        filed + [
            row("2019-07-27", application, "初审公告"),
            row("2019-10-28", application, "注册公告"),
            row("2019-11-25", application, "注册证发文", "结束"),
        ]

    // MARK: - Buckets

    @Test func everyTrademarkBucket() {
        let cases: [([TrademarkFlowRow], String, LegalStatusBucket)] = [
            (Self.filed, Self.today, .trademarkPending),
            (
                Self.filed + [Self.row("2026-10-20", Self.application, "初审公告")], Self.today,
                .trademarkPreliminaryApproval
            ),
            (Self.registered, Self.today, .trademarkRegistered),
            (Self.registered, "2028-10-28", .trademarkRenewalWindow),
            (Self.filed + [Self.row("2026-11-20", Self.application, "驳回通知发文")], Self.today, .trademarkRefused),
            (
                Self.registered + [Self.row("2026-06-01", "撤销连续三年不使用注册商标", "申请收文", "结束")], Self.today,
                .trademarkChallenged
            ),
            (
                Self.registered + [Self.row("2026-06-01", "商标注销", "核准通知打印发送", "结束")], Self.today,
                .trademarkNotInForce
            ),
        ]
        let trademarkBuckets = LegalStatusBucket.allCases.filter { $0.rawValue.hasPrefix("trademark_") }
        #expect(Set(cases.map(\.2)) == Set(trademarkBuckets))
        for (rows, today, bucket) in cases {
            let status = Self.status(rows, today: today)
            #expect(status.bucket == bucket, "\(bucket)")
            #expect(status.decidedBy != nil)
            #expect(status.unknownRows.isEmpty)
        }
    }

    @Test func noDecidingRowNoBucket() {
        #expect(Self.status([]).bucket == nil)
        let status = Self.status([
            Self.row("2020-01-01", "变更商标申请人/注册人名义/地址", "申请收文"),
            Self.row("2020-02-01", "某种新业务", "申请收文"),
        ])
        #expect(status.bucket == nil)
        #expect(status.decidedBy == nil)
        #expect(status.unknownRows.map(\.business) == ["某种新业务"])
    }

    @Test func theDecidingRowIsTheOfficialWording() {
        let status = Self.status(Self.registered)
        #expect(status.decidedBy == Self.row("2019-11-25", Self.application, "注册证发文", "结束"))
        #expect(status.registered == Self.day("2019-10-28"))
        #expect(status.renewals == 0)
        #expect(status.term?.expiry == Self.day("2029-10-27"))
        #expect(status.endReason == nil)
        #expect(!status.isAppealable)
    }

    // MARK: - Term, renewal and grace

    @Test(arguments: [
        ("2028-10-27", LegalStatusBucket.trademarkRegistered), ("2028-10-28", .trademarkRenewalWindow),
        ("2029-10-27", .trademarkRenewalWindow), ("2029-10-28", .trademarkRenewalWindow),
        ("2030-04-27", .trademarkRenewalWindow), ("2030-04-28", .trademarkNotInForce),
    ])
    func theTermDecidesOnTheDay(_ today: String, _ bucket: LegalStatusBucket) {
        let status = Self.status(Self.registered, today: today)
        #expect(status.bucket == bucket)
        #expect(status.endReason == (bucket == .trademarkNotInForce ? .expired : nil))
    }

    @Test func aRenewalExtendsTheExpiry() {
        let renewed =
            Self.registered + [
                Self.row("2029-01-10", "商标续展", "申请收文", "结束"),
                Self.row("2029-06-15", "商标续展", "核准通知打印发送", "结束"),
                // The same renewal's certificate: counted once.
                Self.row("2029-07-01", "商标续展", "续展注册证明发文"),
            ]
        let status = Self.status(renewed, today: "2030-04-28")
        #expect(status.renewals == 1)
        #expect(status.bucket == .trademarkRegistered)
        #expect(status.term?.expiry == Self.day("2039-10-27"))
        #expect(status.term?.renewalWindowOpens == Self.day("2038-10-28"))
        #expect(status.decidedBy?.step == "续展注册证明发文")
        #expect(Self.status(renewed, today: "2038-10-28").bucket == .trademarkRenewalWindow)
        // A second renewal ten years on counts again.
        let twice = renewed + [Self.row("2039-03-01", "商标续展", "核准续展注册证明", "核准")]
        #expect(Self.status(twice, today: "2040-01-01").renewals == 2)
        #expect(Self.status(twice, today: "2040-01-01").term?.expiry == Self.day("2049-10-27"))
    }

    @Test func aRenewalFiledOrRefusedChangesNothing() {
        let filed = Self.registered + [Self.row("2029-01-10", "商标续展", "申请收文", "结束")]
        #expect(Self.status(filed, today: "2030-04-28").bucket == .trademarkNotInForce)
        #expect(Self.status(filed, today: "2030-04-28").renewals == 0)
        let refused = filed + [Self.row("2029-05-10", "商标续展", "不予核准通知发文", "结束")]
        #expect(Self.status(refused, today: "2029-06-01").renewals == 0)
        #expect(Self.status(refused, today: "2029-06-01").bucket == .trademarkRenewalWindow)
    }

    @Test func theExportsRegistrationDateWins() {
        let status = Self.status(Self.registered, today: "2029-01-01", registrationDate: "2019-12-28")
        #expect(status.registered == Self.day("2019-12-28"))
        #expect(status.bucket == .trademarkRenewalWindow)
        // Registered by certificate only: the term is unknown, the mark stays registered.
        let certificateOnly = Self.filed + [Self.row("2019-11-25", Self.application, "注册证发文")]
        #expect(Self.status(certificateOnly, today: "2035-01-01").bucket == .trademarkRegistered)
        #expect(Self.status(certificateOnly).registered == nil)
    }

    @Test func theGraceEndMovesWithTheCalendarButTheExpiryDoesNot() {
        // Registered 2016-05-29: in force to 2026-05-28, grace to Saturday 2026-11-28.
        let rows = [Self.row("2016-05-29", Self.application, "注册公告")]
        #expect(Self.status(rows, today: "2026-11-30").bucket == .trademarkNotInForce)
        #expect(Self.status(rows, today: "2026-11-30", calendar: .weekendsOnly).bucket == .trademarkRenewalWindow)
        #expect(Self.status(rows, today: "2026-12-01", calendar: .weekendsOnly).bucket == .trademarkNotInForce)
        #expect(Self.status(rows, today: "2026-05-29", calendar: .weekendsOnly).term?.expiry == Self.day("2026-05-28"))
    }

    // MARK: - Refusal and re-examination

    @Test func aRefusalIsAppealableFor15DaysFromTheRowsDate() {
        let refused = Self.filed + [Self.row("2026-03-02", Self.application, "驳回通知发文", "结束")]
        let onTheLastDay = Self.status(refused, today: "2026-03-17")
        #expect(onTheLastDay.bucket == .trademarkRefused)
        #expect(onTheLastDay.appealEnds == Self.day("2026-03-17"))
        #expect(onTheLastDay.isAppealable)
        let after = Self.status(refused, today: "2026-03-18")
        #expect(after.bucket == .trademarkRefused)
        #expect(!after.isAppealable)
        #expect(after.appealEnds == Self.day("2026-03-17"))
    }

    @Test func theAppealEndMovesPastRestDays() {
        // 2026-11-13 + 15 days = Saturday 2026-11-28.
        let refused = Self.filed + [Self.row("2026-11-13", Self.application, "驳回通知发文")]
        #expect(Self.status(refused, today: "2026-11-30").appealEnds == Self.day("2026-11-28"))
        #expect(!Self.status(refused, today: "2026-11-30").isAppealable)
        let shifted = Self.status(refused, today: "2026-11-30", calendar: .weekendsOnly)
        #expect(shifted.appealEnds == Self.day("2026-11-30"))
        #expect(shifted.isAppealable)
    }

    @Test func aRefusalDecidedButNotYetSentIsAppealableWithoutAnEnd() {
        let status = Self.status(Self.filed + [Self.row("2026-11-20", Self.application, "等待驳回通知发文")])
        #expect(status.bucket == .trademarkRefused)
        #expect(status.isAppealable)
        #expect(status.appealEnds == nil)
    }

    @Test func aReviewUnderWayIsStillARefusalNotAChallenge() {
        let reviewing =
            Self.filed + [
                Self.row("2026-03-02", Self.application, "驳回通知发文"),
                Self.row("2026-03-10", Self.application, "等待驳回复审"),
                Self.row("2026-03-20", Self.application, "驳回复审中"),
            ]
        let status = Self.status(reviewing, today: "2026-03-21")
        #expect(status.bucket == .trademarkRefused)
        #expect(status.isReviewUnderWay)
        #expect(!status.isAppealable)
        #expect(status.appealEnds == nil)
        #expect(status.challenges.isEmpty)
        #expect(status.decidedBy?.step == "驳回复审中")
        // The review's own business, then its outcome.
        let business = Self.filed + [Self.row("2026-03-20", "驳回复审", "申请收文", "结束")]
        #expect(Self.status(business).isReviewUnderWay)
        let upheld = business + [Self.row("2026-09-01", "驳回复审", "裁定文书发文", "驳回")]
        #expect(Self.status(upheld).bucket == .trademarkRefused)
        #expect(!Self.status(upheld).isReviewUnderWay)
        #expect(!Self.status(upheld).isAppealable)
        let approved = business + [Self.row("2026-09-01", "驳回复审", "裁定文书发文", "予以初步审定")]
        #expect(Self.status(approved).bucket == .trademarkPreliminaryApproval)
        let closedWithoutOutcome = business + [Self.row("2026-09-01", "驳回复审", "结案")]
        #expect(Self.status(closedWithoutOutcome).isReviewUnderWay)
    }

    // MARK: - Opposition

    @Test func theOppositionPeriodIsThreeMonthsFromThePreliminaryAnnouncement() {
        let announced = Self.filed + [Self.row("2026-07-01", Self.application, "初审公告")]
        let status = Self.status(announced, today: "2026-09-01")
        #expect(status.bucket == .trademarkPreliminaryApproval)
        #expect(status.oppositionEnds == Self.day("2026-10-01"))
        let shifted = Self.status(announced, today: "2026-09-01", calendar: Self.nationalDay)
        #expect(shifted.oppositionEnds == Self.day("2026-10-08"))
        // Past the period without an opposition: still waiting for the registration announcement.
        #expect(Self.status(announced, today: "2026-12-01").bucket == .trademarkPreliminaryApproval)
    }

    @Test func anOppositionChallengesThenDecides() {
        let announced = Self.filed + [Self.row("2026-07-01", Self.application, "初审公告")]
        let opposed = announced + [Self.row("2026-08-01", "商标异议申请", "申请收文", "结束")]
        let underWay = Self.status(opposed)
        #expect(underWay.bucket == .trademarkChallenged)
        #expect(underWay.challenges == [.opposition])
        #expect(underWay.decidedBy?.business == "商标异议申请")
        let upheld = opposed + [Self.row("2026-11-20", "商标异议申请", "决定书发文", "不予注册")]
        let refused = Self.status(upheld, today: "2026-11-30")
        #expect(refused.bucket == .trademarkRefused)
        #expect(refused.appealEnds == Self.day("2026-12-05"))
        #expect(refused.isAppealable)
        #expect(refused.challenges.isEmpty)
        let rejected = opposed + [Self.row("2026-11-20", "商标异议申请", "决定书发文", "准予注册")]
        #expect(Self.status(rejected).bucket == .trademarkPreliminaryApproval)
        let thenRegistered = rejected + [Self.row("2026-11-27", Self.application, "注册公告")]
        #expect(Self.status(thenRegistered).bucket == .trademarkRegistered)
        #expect(Self.status(thenRegistered).registered == Self.day("2026-11-27"))
    }

    // MARK: - Revocation, invalidation, surrender

    @Test func aNonUseRevocationChallengesThenEndsFromItsAnnouncement() {
        let business = "撤销连续三年不使用注册商标"
        let filed =
            Self.registered + [
                Self.row("2025-05-01", business, "申请收文", "结束"),
                Self.row("2025-06-01", business, "撤销连续三年不使用注册商标提供证据通知发文"),
            ]
        let underWay = Self.status(filed)
        #expect(underWay.bucket == .trademarkChallenged)
        #expect(underWay.challenges == [.revocation])
        #expect(underWay.decidedBy?.date == Self.day("2025-06-01"))
        let revoked = Self.status(filed + [Self.row("2026-01-10", business, "决定书发文", "撤销")])
        #expect(revoked.bucket == .trademarkNotInForce)
        #expect(revoked.endReason == .revoked)
        #expect(revoked.challenges.isEmpty)
        #expect(revoked.decidedBy?.date == Self.day("2026-01-10"))
        let kept = Self.status(filed + [Self.row("2026-01-10", business, "决定书发文", "不予撤销")])
        #expect(kept.bucket == .trademarkRegistered)
        #expect(kept.challenges.isEmpty)
        let partly = Self.status(filed + [Self.row("2026-01-10", business, "决定书发文", "部分撤销")])
        #expect(partly.bucket == .trademarkRegistered)
        // A closing step without an outcome decides nothing: still under way.
        let closed = Self.status(filed + [Self.row("2026-01-10", business, "结案")])
        #expect(closed.bucket == .trademarkChallenged)
    }

    @Test func anInvalidationChallengesThenVoidsTheMark() {
        let business = "商标无效宣告"
        let filed = Self.registered + [Self.row("2025-05-01", business, "申请收文", "结束")]
        #expect(Self.status(filed).bucket == .trademarkChallenged)
        #expect(Self.status(filed).challenges == [.invalidation])
        let void = Self.status(filed + [Self.row("2026-02-01", business, "裁定文书发文", "宣告无效")])
        #expect(void.bucket == .trademarkNotInForce)
        #expect(void.endReason == .invalidated)
        let upheld = Self.status(filed + [Self.row("2026-02-01", business, "裁定文书发文", "维持")])
        #expect(upheld.bucket == .trademarkRegistered)
        let partly = Self.status(filed + [Self.row("2026-02-01", business, "裁定文书发文", "部分无效")])
        #expect(partly.bucket == .trademarkRegistered)
        // Rows after the end do not revive the challenge.
        let after = Self.status(
            filed + [
                Self.row("2026-02-01", business, "裁定文书发文", "宣告无效"),
                Self.row("2026-03-01", business, "补充材料收文"),
            ])
        #expect(after.bucket == .trademarkNotInForce)
        #expect(after.challenges.isEmpty)
    }

    @Test func twoChallengesAtOnceCloseSeparately() {
        let rows =
            Self.registered + [
                Self.row("2025-05-01", "商标无效宣告", "申请收文"),
                Self.row("2025-06-01", "撤销连续三年不使用注册商标", "申请收文"),
                Self.row("2026-01-01", "商标无效宣告", "裁定文书发文", "维持"),
            ]
        let status = Self.status(rows)
        #expect(status.bucket == .trademarkChallenged)
        #expect(status.challenges == [.revocation])
        #expect(status.decidedBy?.business == "撤销连续三年不使用注册商标")
    }

    @Test func aChallengeDuringTheRenewalWindowIsChallengedAndExpiryEndsIt() {
        let rows = Self.registered + [Self.row("2028-12-01", "商标无效宣告", "申请收文")]
        #expect(Self.status(rows, today: "2029-01-01").bucket == .trademarkChallenged)
        let expired = Self.status(rows, today: "2030-05-01")
        #expect(expired.bucket == .trademarkNotInForce)
        #expect(expired.endReason == .expired)
        #expect(expired.challenges.isEmpty)
    }

    @Test func challengeRowsAloneSayThereIsAChallengedMark() {
        let status = Self.status([Self.row("2025-05-01", "撤销连续三年不使用注册商标", "申请收文")])
        #expect(status.bucket == .trademarkChallenged)
        #expect(status.decidedBy?.date == Self.day("2025-05-01"))
    }

    @Test func aSurrenderCountsOnceGranted() {
        let filed = Self.registered + [Self.row("2026-05-01", "商标注销", "申请收文", "结束")]
        #expect(Self.status(filed).bucket == .trademarkRegistered)
        let granted = Self.status(filed + [Self.row("2026-07-01", "商标注销", "核准通知打印发送", "结束")])
        #expect(granted.bucket == .trademarkNotInForce)
        #expect(granted.endReason == .surrendered)
        let partly = Self.status(filed + [Self.row("2026-07-01", "商标注销", "部分注销核准通知打印发送", "结束")])
        #expect(partly.bucket == .trademarkRegistered)
    }

    /// An aggregator's 商标无效 is any of four ends: the rows tell which.
    @Test func theAggregatorsAmbiguousNotInForceIsResolvedFromTheRows() {
        let cases: [(TrademarkFlowRow, TrademarkStatus.EndReason)] = [
            (Self.row("2030-06-01", "注册商标注销（期满未续展）", "注销公告"), .expired),
            (Self.row("2026-07-01", "商标注销", "核准通知打印发送", "结束"), .surrendered),
            (Self.row("2026-07-01", "撤销连续三年不使用注册商标", "决定书发文", "撤销"), .revoked),
            (Self.row("2026-07-01", "商标无效宣告", "裁定文书发文", "宣告无效"), .invalidated),
        ]
        #expect(Set(cases.map(\.1)) == Set(TrademarkStatus.EndReason.allCases))
        for (end, reason) in cases {
            let status = Self.status(Self.registered + [end], today: "2030-07-01")
            #expect(status.bucket == .trademarkNotInForce, "\(reason)")
            #expect(status.endReason == reason)
            #expect(status.decidedBy == end)
        }
    }

    // MARK: - Overlays

    @Test func everyOverlaySetAndReleased() {
        let rows =
            Self.registered + [
                Self.row("2021-01-01", "商标转让", "申请收文", "结束"),
                Self.row("2021-03-01", "商标转让", "核准转让证明打印发送", "结束"),
                Self.row("2021-04-01", "商标专用权质权登记", "申请收文", "结束"),
                Self.row("2021-05-01", "商标专用权质权登记", "质权登记证发文", "结束"),
                Self.row("2021-06-01", "商标使用许可备案", "申请收文"),
                Self.row("2021-07-01", "商标使用许可备案", "备案通知书发文", "结束"),
                Self.row("2021-08-01", "商标专用权冻结", "协助执行通知书收文"),
            ]
        let status = Self.status(rows)
        #expect(status.overlays == Set(LegalStatusOverlay.allCases))
        #expect(status.bucket == .trademarkRegistered)
        let released =
            rows + [
                Self.row("2022-01-01", "商标专用权质权登记注销", "核准通知打印发送", "结束"),
                Self.row("2022-02-01", "商标使用许可备案", "许可终止备案通知发文", "结束"),
                Self.row("2022-03-01", "商标专用权冻结", "解除冻结"),
            ]
        #expect(Self.status(released).overlays == [.transferred])
        let moved = Self.status(Self.registered + [Self.row("2021-03-01", "商标移转", "核准移转证明打印发送")])
        #expect(moved.overlays == [.transferred])
    }

    @Test func requestsFiledOrRefusedSetNoOverlay() {
        let rows =
            Self.registered + [
                Self.row("2021-01-01", "商标转让", "申请收文", "结束"),
                Self.row("2021-02-01", "商标专用权质权登记", "受理通知书发文"),
                Self.row("2021-03-01", "商标使用许可备案", "不予备案通知发文"),
                Self.row("2021-04-01", "商标转让", "转让不予核准通知发文", "结束"),
            ]
        #expect(Self.status(rows).overlays.isEmpty)
        #expect(Self.status(rows).unknownRows.isEmpty)
    }

    // MARK: - Unknown rows, order, wording

    @Test func unknownRowsAreListedAndChangeNothing() {
        let odd = [
            Self.row("2020-01-01", "马德里国际注册", "申请收文"),
            Self.row("2020-02-01", Self.application, "某个新环节"),
            Self.row("2020-03-01", "撤回商标注册申请", "申请收文"),
            Self.row("2020-04-01", "商标续展", "某个新环节"),
        ]
        let status = Self.status(Self.registered + odd)
        #expect(status.bucket == .trademarkRegistered)
        #expect(status.unknownRows == odd)
        #expect(odd.allSatisfy { !TrademarkFlowClassifier().meaning(of: $0).isKnown })
    }

    @Test func rowsOutOfOrderAreSortedByDateAndTiesKeepListOrder() {
        let shuffled = Self.registered.reversed().map { $0 }
        #expect(Self.status(shuffled) == Self.status(Self.registered))
        #expect(Self.status(shuffled).bucket == .trademarkRegistered)
        let sameDay = [
            Self.row("2026-01-01", Self.application, "初审公告"),
            Self.row("2026-01-01", Self.application, "注册公告"),
        ]
        #expect(Self.status(sameDay).bucket == .trademarkRegistered)
        #expect(Self.status(sameDay.reversed()).bucket == .trademarkPreliminaryApproval)
    }

    @Test func wordingIsNormalisedAsPatentWordingIs() {
        let rows = [
            Self.row("2019-10-28", " 商标 注册 申请 ", "注册　公告"),
            Self.row("2029-06-01", "商標續展", "核准續展注冊證明", "核准"),
            Self.row("2040-06-01", "注册商标注销(期满未续展)", "公告"),
        ]
        let status = Self.status(Array(rows.prefix(2)), today: "2030-01-01")
        #expect(status.bucket == .trademarkRegistered)
        #expect(status.renewals == 1)
        #expect(status.unknownRows.isEmpty)
        #expect(Self.status(rows, today: "2041-01-01").endReason == .expired)
    }

    static let nationalDay = HolidayCalendar(
        holidays: Set(
            ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"].map(day)),
        workingDays: [day("2026-09-20"), day("2026-10-10")])
}
