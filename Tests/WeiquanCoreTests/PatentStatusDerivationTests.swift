import Testing
import WeiquanCore

/// A patent's status from its events (legal-status.md §2): every bucket and its reply bucket, the latest decisive
/// event winning (ties in list order), restoration undoing a lapse or withdrawal, overlays set and released,
/// the flags and their windows, the traps in sequence, and refused dates.
@Suite struct PatentStatusDerivationTests {
    static let derivation = PatentStatusDerivation()
    static let today = "2026-11-30"

    static func day(_ text: String) -> CalendarDay {
        CalendarDay(text)!
    }

    static func event(
        _ announced: String, _ code: String? = nil, _ title: String = "", info: String? = nil, effective: String? = nil
    ) throws -> PatentEvent {
        try PatentEvent(announced: announced, code: code, title: title, info: info, effective: effective)
    }

    static func status(
        _ events: [PatentEvent], today: String = today, lapseDueDate: String? = nil
    ) throws -> PatentStatus {
        Self.derivation.status(of: events, today: Self.day(today), lapseDueDate: lapseDueDate.map(Self.day))
    }

    /// Published, examined, granted: the common history.
    static func granted() throws -> [PatentEvent] {
        [
            try Self.event("2014-01-01", "PB01", "公开"),
            try Self.event("2014-02-05", "SE01", "实质审查的生效"),
            try Self.event("2016-05-04", "GR01", "授权"),
        ]
    }

    // MARK: - Buckets

    @Test func everyBucketAndItsReplyBucket() throws {
        let cases: [(PatentEvent, PatentStatus.Bucket, LegalStatusBucket)] = [
            (try Self.event("2020-01-01", "SE01", "实质审查的生效"), .pending, .pending),
            (try Self.event("2020-01-01", "GR01", "授权"), .inForce, .inForce),
            (try Self.event("2020-01-01", "CF01", "未缴年费专利权终止"), .lapsedFees, .lapsedUnpaidFees),
            (try Self.event("2020-01-01", "AV01", "专利权的主动放弃"), .surrendered, .withdrawn),
            (try Self.event("2020-01-01", "CX01", "专利权有效期届满"), .expired, .expired),
            (try Self.event("2020-01-01", "IW01", "专利权全部无效"), .invalidated, .invalidated),
            (try Self.event("2020-01-01", nil, "撤回专利申请"), .withdrawn, .withdrawn),
            (try Self.event("2020-01-01", nil, "驳回"), .rejected, .rejected),
        ]
        #expect(Set(cases.map(\.1)) == Set(PatentStatus.Bucket.allCases))
        for (decisive, bucket, reply) in cases {
            let status = try Self.status(Array(try Self.granted().dropLast()) + [decisive])
            #expect(status.bucket == bucket, "\(decisive.title)")
            #expect(status.legalStatusBucket == reply, "\(decisive.title)")
            #expect(status.decidedBy == decisive)
        }
    }

    @Test func noDecisiveEventNoBucket() throws {
        #expect(try Self.status([]).bucket == nil)
        let status = try Self.status([
            try Self.event("2020-01-01", "CB03", "著录事项变更"), try Self.event("2020-02-01", nil, "某种新的事务"),
        ])
        #expect(status.bucket == nil)
        #expect(status.legalStatusBucket == nil)
        #expect(status.decidedBy == nil)
        #expect(status.unknownEvents.map(\.title) == ["某种新的事务"])
    }

    @Test func theReplyBucketCarriesTheNotes() throws {
        let deemed = try Self.status([try Self.event("2020-01-01", "C02", "发明专利申请公布后的视为撤回")])
        #expect(deemed.isDeemedWithdrawn)
        #expect(deemed.legalStatusBucket == .deemedWithdrawn)
        let imminent = try Self.status([try Self.event("2020-01-01", nil, "等年登印费")])
        #expect(imminent.isGrantImminent)
        #expect(imminent.legalStatusBucket == .grantPending)
        let avoided = try Self.status([try Self.event("2020-01-01", "C25", "避免重复授权放弃专利权")])
        #expect(avoided.bucket == .surrendered)
        let never = try Self.status([try Self.event("2020-01-01", nil, "视为放弃取得专利权的权利")])
        #expect(never.bucket == .withdrawn)
        #expect(never.legalStatusBucket == .withdrawn)
    }

    // MARK: - Order

    @Test func theLatestDecisiveEventWinsWhateverTheListOrder() throws {
        let events = try Self.granted() + [try Self.event("2019-08-01", "CF01", "未缴年费专利权终止")]
        #expect(try Self.status(events).bucket == .lapsedFees)
        #expect(try Self.status(events.reversed()).bucket == .lapsedFees)
        // Later informational and overlay events do not decide.
        let later =
            events + [
                try Self.event("2020-01-01", "CB03", "著录事项变更"), try Self.event("2020-02-01", "TR01", "专利权的转移"),
            ]
        let status = try Self.status(later)
        #expect(status.bucket == .lapsedFees)
        #expect(status.decidedBy?.code == "CF01")
    }

    @Test func eventsOnTheSameDayKeepTheirListOrder() throws {
        let grant = try Self.event("2020-01-01", "GR01", "授权")
        let lapse = try Self.event("2020-01-01", "CF01", "未缴年费专利权终止")
        #expect(try Self.status([grant, lapse]).bucket == .lapsedFees)
        #expect(try Self.status([lapse, grant]).bucket == .inForce)
        // An earlier day still comes first, wherever it is listed.
        let earlier = try Self.event("2019-12-31", "SE01", "实质审查的生效")
        #expect(try Self.status([grant, lapse, earlier]).bucket == .lapsedFees)
    }

    // MARK: - Restoration

    @Test func aRestorationUndoesAFeeLapse() throws {
        let lapse = try Self.event("2019-08-01", "CF01", "未缴年费专利权终止")
        let restoration = try Self.event("2019-10-09", "RR01", "专利权的恢复")
        let status = try Self.status(try Self.granted() + [lapse, restoration])
        #expect(status.bucket == .inForce)
        #expect(status.legalStatusBucket == .inForce)
        #expect(status.decidedBy == restoration)
        #expect(status.feeLapse == nil)
        #expect(!status.isRestorable)
    }

    @Test func aRestorationUndoesAWithdrawalBackToPending() throws {
        let events = [
            try Self.event("2014-01-01", "PB01", "公开"), try Self.event("2014-02-05", "SE01", "实质审查的生效"),
            try Self.event("2015-03-01", "C02", "发明专利申请公布后的视为撤回"), try Self.event("2015-06-01", "RR01", "权利的恢复"),
        ]
        let status = try Self.status(events)
        #expect(status.bucket == .pending)
        #expect(!status.isDeemedWithdrawn)
    }

    @Test func aRestorationWithoutTheEarlierHistoryStillRestores() throws {
        let lapse = try Self.status([
            try Self.event("2019-08-01", "N", "未缴年费终止"), try Self.event("2019-10-09", "P", "恢复"),
        ])
        #expect(lapse.bucket == .inForce)
        let withdrawal = try Self.status([
            try Self.event("2019-08-01", "G", "视为撤回"), try Self.event("2019-10-09", "P", "恢复"),
        ])
        #expect(withdrawal.bucket == .pending)
    }

    @Test func aRestorationBringsBackTheStatusBeforeTheLapseWithItsNotes() throws {
        let events =
            try Self.granted() + [
                try Self.event("2018-01-01", "IW01", "宣告专利权部分无效"), try Self.event("2019-08-01", "CF01", "未缴年费专利权终止"),
                try Self.event("2019-10-09", "RR01", "专利权的恢复"),
            ]
        let status = try Self.status(events)
        #expect(status.bucket == .inForce)
        #expect(status.isPartiallyInvalidated)
        #expect(status.legalStatusBucket == .partiallyInvalidated)
    }

    @Test func aRestorationUndoesNothingElse() throws {
        let expired = try Self.event("2020-01-01", "CX01", "专利权有效期届满")
        let status = try Self.status(try Self.granted() + [expired, try Self.event("2020-03-01", "RR01", "权利的恢复")])
        #expect(status.bucket == .expired)
        #expect(status.decidedBy == expired)
        let inForce = try Self.status(try Self.granted() + [try Self.event("2020-03-01", "RR01", "权利的恢复")])
        #expect(inForce.decidedBy?.code == "GR01")
    }

    @Test func aRestorationAfterTheGracePeriodClearsTheGrace() throws {
        let events =
            try Self.granted() + [
                try Self.event("2019-07-01", nil, "等年费滞纳金"), try Self.event("2019-12-01", "CF01", "未缴年费专利权终止"),
                try Self.event("2020-02-01", "RR01", "专利权的恢复"),
            ]
        let status = try Self.status(events)
        #expect(status.bucket == .inForce)
        #expect(!status.isFeeGraceRunning)
        #expect(status.legalStatusBucket == .inForce)
        // A second lapse after the restoration is undone back to in force, not to the first lapse.
        let again =
            events + [
                try Self.event("2021-01-01", "CF01", "未缴年费专利权终止"), try Self.event("2021-03-01", "RR01", "专利权的恢复"),
            ]
        #expect(try Self.status(again).bucket == .inForce)
        let twice =
            try Self.granted() + [
                try Self.event("2021-01-01", "CF01", "未缴年费专利权终止"), try Self.event("2021-02-01", "CF01", "未缴年费专利权终止"),
                try Self.event("2021-03-01", "RR01", "专利权的恢复"),
            ]
        #expect(try Self.status(twice).bucket == .inForce)
    }

    // MARK: - Flags

    @Test func aLapseAwaitingRestorationIsRestorableUntilRestored() throws {
        let lapse = try Self.event("2019-08-01", nil, "未缴年费专利权终止，等恢复")
        let status = try Self.status(try Self.granted() + [lapse])
        #expect(status.bucket == .lapsedFees)
        #expect(status.isRestorable)
        #expect(status.legalStatusBucket == .restorable)
        let restored = try Self.status(try Self.granted() + [lapse, try Self.event("2019-10-01", "RR01", "专利权的恢复")])
        #expect(!restored.isRestorable)
        #expect(restored.legalStatusBucket == .inForce)
        // A bare 等恢复 marks the status it follows.
        let bare = try Self.status([
            try Self.event("2019-08-01", "CF01", "未缴年费专利权终止"), try Self.event("2019-08-02", nil, "等恢复"),
        ])
        #expect(bare.bucket == .lapsedFees)
        #expect(bare.isRestorable)
        // A later decisive event drops it.
        let later = try Self.status([lapse, try Self.event("2033-06-29", "CX01", "专利权有效期届满")])
        #expect(!later.isRestorable)
    }

    @Test func aFeeLapseTakesEffectFromTheDueDateAndKeepsItsAnnouncement() throws {
        let events = try Self.granted() + [try Self.event("2020-01-10", "CF01", "未缴年费专利权终止")]
        let unknown = try Self.status(events)
        #expect(unknown.feeLapse == PatentStatus.FeeLapse(announced: Self.day("2020-01-10"), endsFrom: nil))
        let known = try Self.status(events, lapseDueDate: "2019-06-29")
        #expect(
            known.feeLapse == PatentStatus.FeeLapse(announced: Self.day("2020-01-10"), endsFrom: Self.day("2019-06-29"))
        )
        #expect(try Self.status(try Self.granted(), lapseDueDate: "2019-06-29").feeLapse == nil)
    }

    /// legal-status.md §4's shape (synthetic events): filed 2013-06-29, granted 2016-05-04, the year-4 fee due
    /// 2016-06-29 unpaid, the termination announced months later and dated back to the due date.
    @Test func theWorkedExampleLapsesFromTheYearFourDueDate() throws {
        let schedule = AnnualFeeSchedule(kind: .invention, filingDate: Self.day("2013-06-29"))
        let due = try #require(schedule.dueDate(year: 4))
        #expect(due == Self.day("2016-06-29"))
        let events = [
            try Self.event("2013-10-23", "PB01", "公开"), try Self.event("2013-11-20", "SE01", "实质审查的生效"),
            try Self.event("2016-05-04", "GR01", "授权"), try Self.event("2017-02-15", "CF01", "未缴年费专利权终止"),
        ]
        let status = Self.derivation.status(of: events, today: Self.day("2017-03-01"), lapseDueDate: due)
        #expect(status.bucket == .lapsedFees)
        #expect(status.feeLapse?.announced == Self.day("2017-02-15"))
        #expect(status.feeLapse?.endsFrom == Self.day("2016-06-29"))
    }

    @Test func aFeeGraceRunningIsInForceAtRisk() throws {
        let status = try Self.status(try Self.granted() + [try Self.event("2019-07-01", nil, "等年费滞纳金")])
        #expect(status.bucket == .inForce)
        #expect(status.isFeeGraceRunning)
        #expect(status.legalStatusBucket == .inForceFeeDue)
        #expect(status.legalStatusBucket?.isUrgent == true)
        #expect(!(try Self.status(try Self.granted())).isFeeGraceRunning)
    }

    @Test func aRejectionIsAppealableForThreeMonthsFromItsAnnouncement() throws {
        let rejection = [try Self.event("2026-08-31", nil, "发明专利申请公布后的驳回")]
        let open = try Self.status(rejection, today: "2026-11-30")
        #expect(open.bucket == .rejected)
        // 08-31 + 3 months: November has no 31st, so its last day.
        #expect(open.appealEnds?.description == "2026-11-30")
        #expect(open.isAppealable)
        let closed = try Self.status(rejection, today: "2026-12-01")
        #expect(!closed.isAppealable)
        #expect(closed.appealEnds?.description == "2026-11-30")
        let january = try Self.status([try Self.event("2025-11-15", "E", "驳回")], today: "2026-02-15")
        #expect(january.appealEnds?.description == "2026-02-15")
        #expect(january.isAppealable)
    }

    @Test func aRejectionReversedOnReExaminationIsNotAppealable() throws {
        let events = [
            try Self.event("2024-01-01", nil, "驳回"), try Self.event("2025-01-01", "GR01", "授权"),
        ]
        let status = try Self.status(events, today: "2025-01-02")
        #expect(status.bucket == .inForce)
        #expect(!status.isAppealable)
        #expect(status.appealEnds == nil)
    }

    @Test func aTermCompensationIsNoted() throws {
        let events = try Self.granted() + [try Self.event("2017-01-01", nil, "专利权期限补偿")]
        let status = try Self.status(events)
        #expect(status.hasTermCompensation)
        #expect(status.decidedBy?.code == "GR01")
        #expect(!(try Self.status(try Self.granted())).hasTermCompensation)
    }

    // MARK: - Traps in sequence

    @Test func aNoticeOfReasonsForRejectionLeavesItPending() throws {
        let events = Array(try Self.granted().dropLast()) + [try Self.event("2015-01-01", nil, "驳回理由通知")]
        let status = try Self.status(events, today: "2015-01-02")
        #expect(status.bucket == .pending)
        #expect(!status.isAppealable)
        #expect(status.legalStatusBucket == .pending)
    }

    @Test func aPartialInvalidationKeepsItInForceAndAFullOneEndsIt() throws {
        let partial = try Self.granted() + [try Self.event("2018-01-01", "IW01", "宣告专利权部分无效")]
        let status = try Self.status(partial)
        #expect(status.bucket == .inForce)
        #expect(status.isPartiallyInvalidated)
        #expect(status.legalStatusBucket == .partiallyInvalidated)
        let full = try Self.status(partial + [try Self.event("2019-01-01", "IW01", "宣告专利权全部无效")])
        #expect(full.bucket == .invalidated)
        #expect(!full.isPartiallyInvalidated)
    }

    // MARK: - Overlays

    @Test func aTransferCountsFromItsEffectiveDate() throws {
        let past = try Self.event("2020-03-01", "TR01", "专利权的转移", effective: "2020-02-20")
        let status = try Self.status(try Self.granted() + [past])
        #expect(status.overlays == [.transferred])
        #expect(
            status.transfer
                == PatentStatus.Transfer(announced: Self.day("2020-03-01"), effective: Self.day("2020-02-20")))
        let future = try Self.event("2026-11-20", "C41", "专利申请权的转移", effective: "2026-12-15")
        let pending = try Self.status(try Self.granted() + [future], today: "2026-11-30")
        #expect(pending.overlays.isEmpty)
        #expect(pending.transfer?.effective?.description == "2026-12-15")
        #expect(try Self.status(try Self.granted() + [future], today: "2026-12-15").overlays == [.transferred])
        let undated = try Self.status(try Self.granted() + [try Self.event("2020-03-01", nil, "专利权的转移")])
        #expect(undated.overlays == [.transferred])
        #expect(undated.transfer?.effective == nil)
    }

    @Test(arguments: [
        (PatentStatus.Overlay.pledged, "PE01", "PC01"), (.licensed, "EE01", "EC01"), (.preserved, "PP01", "PD01"),
    ])
    func anOverlayIsSetAndReleased(overlay: PatentStatus.Overlay, set: String, release: String) throws {
        let registered = try Self.granted() + [try Self.event("2020-01-01", set, "某登记")]
        #expect(try Self.status(registered).overlays == [overlay])
        let released = registered + [try Self.event("2021-01-01", release, "某注销")]
        #expect(try Self.status(released).overlays.isEmpty)
        // Registered again after the release.
        #expect(try Self.status(released + [try Self.event("2022-01-01", set, "某登记")]).overlays == [overlay])
    }

    @Test func overlaysByWordingStandBesideAnyBucketAndAReleaseReleasesOnlyItsOwn() throws {
        let events =
            try Self.granted() + [
                try Self.event("2018-01-01", nil, "专利权质押合同登记的生效"),
                try Self.event("2018-02-01", nil, "专利实施许可合同备案的生效"),
                try Self.event("2018-03-01", nil, "专利权的保全"),
                try Self.event("2018-04-01", nil, "专利权的转移"),
                try Self.event("2019-01-01", nil, "专利实施许可合同备案的注销"),
                try Self.event("2019-08-01", "CF01", "未缴年费专利权终止"),
            ]
        let status = try Self.status(events)
        #expect(status.bucket == .lapsedFees)
        #expect(status.overlays == [.pledged, .preserved, .transferred])
        let released = try Self.status(events + [try Self.event("2019-09-01", nil, "专利权保全的解除")])
        #expect(released.overlays == [.pledged, .transferred])
        // A release without a registration changes nothing.
        #expect(try Self.status(try Self.granted() + [try Self.event("2019-01-01", "PC01", "注销")]).overlays.isEmpty)
    }

    @Test func informationalAndUnknownEventsChangeNothing() throws {
        let base = try Self.status(try Self.granted())
        let noise =
            try Self.granted() + [
                try Self.event("2017-01-01", "CB03", "著录事项变更"), try Self.event("2017-02-01", nil, "更正"),
                try Self.event("2017-03-01", "DD01", "公告送达"), try Self.event("2017-04-01", nil, "复审决定撤销驳回决定"),
            ]
        var status = try Self.status(noise)
        #expect(status.unknownEvents.map(\.title) == ["复审决定撤销驳回决定"])
        status.unknownEvents = []
        #expect(status == base)
    }

    // MARK: - Dates refused

    @Test(arguments: ["2026-02-30", "2026/01/01", "20260101", "2026-1-1", ""])
    func anUnreadableAnnouncementIsRefused(text: String) {
        #expect(throws: PatentEventError.unreadableDate(field: .announced, text: text)) {
            try PatentEvent(announced: text, code: "GR01", title: "授权")
        }
    }

    @Test func otherRefusals() throws {
        #expect(throws: PatentEventError.unreadableDate(field: .effective, text: "2020-13-01")) {
            try PatentEvent(announced: "2020-01-01", code: "TR01", title: "专利权的转移", effective: "2020-13-01")
        }
        #expect(throws: PatentEventError.missingTitleAndCode) {
            try PatentEvent(announced: "2020-01-01", code: " ", title: "  ")
        }
        #expect(try PatentEvent(announced: "2024-02-29", code: "GR01", title: "").code == "GR01")
        let event = try PatentEvent(announced: Self.day("2020-01-01"), code: "GR01", title: "授权")
        #expect(try PatentEvent(announced: "2020-01-01", code: "GR01", title: "授权") == event)
        #expect(throws: PatentEventError.missingTitleAndCode) {
            try PatentEvent(announced: Self.day("2020-01-01"), code: nil, title: "")
        }
        #expect(PatentEventError.missingTitleAndCode.code == "missing_title_and_code")
        #expect(PatentEventError.unreadableDate(field: .effective, text: "x").message.contains("effective"))
    }
}
