/// Derives a trademark's status from its flow rows (legal-status.md §2, §3). Pure: the day is passed in.
///
/// - Rows are read in date order; rows of the same day keep their order in the list.
/// - The latest deciding row wins: 申请收文, 受理通知书发文, 等待实质审查 → pending; 初审公告 → preliminary approval
///   (three months' opposition, ``TrademarkStatus/oppositionEnds``); 驳回通知发文 → refused, appealable for 15 days
///   counted from the row's date; 注册公告, 注册证发文 → registered; a completed 注销, a 宣告无效 outcome, a 撤销
///   outcome → not in force, with the ``TrademarkStatus/EndReason`` (so an aggregator's ambiguous 商标无效 is
///   resolved from the rows).
/// - A re-examination under way (驳回复审中) is still a refusal (``LegalStatusBucket/trademarkRefused``, with
///   ``TrademarkStatus/isReviewUnderWay``), not a challenge: nothing is registered to challenge, and the office has
///   not yet decided the applicant's request. ``LegalStatusBucket/trademarkChallenged`` is for procedures *against*
///   a mark: an opposition, an invalidation or a revocation under way.
/// - A completed renewal adds one to ``TrademarkStatus/renewals``; the rows of one renewal (核准通知, 续展注册证明)
///   within ``renewalRowsYears`` of the one counted before count once.
/// - The term then applies on `today` to a registered mark: in the renewal window or in the 6 months' grace after
///   expiry → ``LegalStatusBucket/trademarkRenewalWindow`` (renewal is still possible in the grace, with a late
///   fee, and just as urgent); past the grace without renewal → not in force, expired. Without a registration date
///   the term is unknown and the mark stays registered.
/// - Overlays: a completed transfer (转让, 移转), a registered pledge (质权登记), a recorded licence (使用许可备案),
///   a court's preservation (冻结); a pledge, licence or preservation counts until a row releases it.
/// - With a ``calendar``, a period ending on a rest day (the appeal, the opposition, the renewal grace) ends on the
///   next working day; the term's last day never moves.
/// - Rows that are not understood change nothing and are listed.
public struct TrademarkStatusDerivation: Sendable {
    /// Years within which completion rows of a renewal are the same renewal: two renewals are ten years apart.
    public static let renewalRowsYears = 5

    /// Reads what each row means.
    public var classifier: TrademarkFlowClassifier
    /// The rest days that move the end of a period; nil leaves each on its corresponding day.
    public var calendar: HolidayCalendar?

    public init(classifier: TrademarkFlowClassifier = TrademarkFlowClassifier(), calendar: HolidayCalendar? = nil) {
        self.classifier = classifier
        self.calendar = calendar
    }

    /// The status the rows give on `today`.
    ///
    /// - Parameter registrationDate: the registration date when the export gives it (a 注册日 column); otherwise
    ///   the latest 注册公告 row's date is used.
    public func status(
        of rows: [TrademarkFlowRow], today: CalendarDay, registrationDate: CalendarDay? = nil
    ) -> TrademarkStatus {
        self.status(
            of: rows, meanings: rows.map(self.classifier.meaning(of:)), today: today,
            registrationDate: registrationDate)
    }

    /// The status the rows give on `today`, their meanings read already (`meanings[i]` is what `rows[i]` means): a
    /// registry holding millions of rows classifies each wording once, not at every lookup.
    public func status(
        of rows: [TrademarkFlowRow], meanings: [TrademarkFlowMeaning], today: CalendarDay,
        registrationDate: CalendarDay? = nil
    ) -> TrademarkStatus {
        guard meanings.count == rows.count else {
            return self.status(of: rows, today: today, registrationDate: registrationDate)
        }
        let order = rows.indices.sorted { (rows[$0].date, $0) < (rows[$1].date, $1) }

        var result = TrademarkStatus()
        var stage: Stage?
        var challenges: [TrademarkStatus.Challenge: TrademarkFlowRow] = [:]
        var lastRenewal: CalendarDay?
        for index in order {
            let row = rows[index]
            let meaning = meanings[index]
            switch meaning {
            case .pending:
                stage = Stage(kind: .pending, row: row)
            case .preliminaryApproval:
                stage = Stage(kind: .preliminaryApproval, row: row)
            case .refused(let refusal):
                stage = Stage(kind: .refused(refusal), row: row)
                // An opposition upheld decided the opposition; a refused application has nothing left to challenge.
                challenges = [:]
            case .reviewUnderWay:
                stage = Stage(kind: .reviewUnderWay, row: row)
            case .registered(let isAnnouncement):
                stage = Stage(kind: .registered, row: row)
                if isAnnouncement {
                    result.registered = row.date
                }
                challenges[.opposition] = nil
            case .renewed:
                // A later row of the same renewal (the certificate after the approval) is its latest wording.
                if lastRenewal.map({ row.date >= $0.adding(years: Self.renewalRowsYears) }) ?? true {
                    lastRenewal = row.date
                    result.renewals += 1
                }
                if stage?.isEnded != true {
                    stage = Stage(kind: .registered, row: row)
                }
            case .ended(let reason):
                stage = Stage(kind: .ended(reason), row: row)
                challenges = [:]
            case .challengeOpened(let challenge):
                if stage?.isEnded == true { continue }
                challenges[challenge] = row
            case .challengeClosed(let challenge):
                challenges[challenge] = nil
            case .overlay(let overlay):
                result.overlays.insert(overlay)
            case .release(let overlay):
                result.overlays.remove(overlay)
            case .informational:
                break
            case .unknown:
                result.unknownRows.append(row)
            }
        }
        if let registrationDate {
            result.registered = registrationDate
        }
        self.apply(stage, challenges: challenges, to: &result, today: today)
        return result
    }

    private func apply(
        _ stage: Stage?, challenges: [TrademarkStatus.Challenge: TrademarkFlowRow], to result: inout TrademarkStatus,
        today: CalendarDay
    ) {
        let challengeRow = challenges.values.max { ($0.date, $0.step) < ($1.date, $1.step) }
        result.challenges = Set(challenges.keys)
        guard let stage else {
            // Only a procedure against the mark: there is a mark, and it is challenged.
            if let challengeRow {
                result.bucket = .trademarkChallenged
                result.decidedBy = challengeRow
            }
            return
        }
        result.bucket = stage.bucket
        result.decidedBy = stage.row
        switch stage.kind {
        case .pending:
            break
        case .ended(let reason):
            result.endReason = reason
        case .preliminaryApproval:
            result.oppositionEnds =
                self.calendar.map { TrademarkTerm.oppositionEnd(announcedOn: stage.row.date, in: $0) }
                ?? TrademarkTerm.oppositionEnd(announcedOn: stage.row.date)
            if let challengeRow {
                result.bucket = .trademarkChallenged
                result.decidedBy = challengeRow
            }
        case .refused(let refusal):
            switch refusal {
            case .decided:
                result.isAppealable = true
            case .notified:
                let ends =
                    self.calendar.map { TrademarkTerm.rejectionReviewEnd(receivedOn: stage.row.date, in: $0) }
                    ?? TrademarkTerm.rejectionReviewEnd(receivedOn: stage.row.date)
                result.appealEnds = ends
                result.isAppealable = today <= ends
            case .final:
                break
            }
        case .reviewUnderWay:
            result.isReviewUnderWay = true
        case .registered:
            let phase = result.term.map { term in
                self.calendar.map { term.phase(on: today, in: $0) } ?? term.phase(on: today)
            }
            if phase == .expired {
                result.bucket = .trademarkNotInForce
                result.endReason = .expired
                result.challenges = []
            } else if let challengeRow {
                result.bucket = .trademarkChallenged
                result.decidedBy = challengeRow
            } else if phase == .renewalWindowOpen || phase == .inGrace {
                result.bucket = .trademarkRenewalWindow
            }
        }
    }

    /// The stage decided so far and the row that decided it.
    private struct Stage {
        enum Kind {
            case pending, preliminaryApproval, reviewUnderWay, registered
            case refused(TrademarkFlowMeaning.Refusal)
            case ended(TrademarkStatus.EndReason)
        }

        var kind: Kind
        var row: TrademarkFlowRow

        var isEnded: Bool {
            if case .ended = self.kind { return true }
            return false
        }

        /// The bucket before the term and the challenges are applied.
        var bucket: LegalStatusBucket {
            switch self.kind {
            case .pending: .trademarkPending
            case .preliminaryApproval: .trademarkPreliminaryApproval
            case .refused, .reviewUnderWay: .trademarkRefused
            case .registered: .trademarkRegistered
            case .ended: .trademarkNotInForce
            }
        }
    }
}
