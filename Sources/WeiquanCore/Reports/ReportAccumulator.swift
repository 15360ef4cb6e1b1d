import Foundation

/// The raw tallies of one group while a ``CaseReport`` is built: counts, and the durations its spreads are
/// taken from at the end.
struct ReportAccumulator {
    /// Twenty-four hours, the e-commerce promise (Guangxi: e-commerce patent cases handled within 24 hours).
    static let ecommerceLimit: TimeInterval = 24 * 3600

    var figures = ReportFigures()
    var acceptSeconds: [Int] = []
    var concludeSeconds: [Int] = []
    var waitSeconds: [Int] = []
    var scoreSum = 0

    /// Counts one case filed in the period; `end` is the period's end, `withoutPerson` whether the applicant asked
    /// for no person before filing it, `overdueNow` and `overdueEver` what its deadlines say
    /// (``CaseDeadlines/isOverdue(_:at:)``, ``CaseDeadlines/wasOverdue(_:before:)``).
    mutating func add(_ facts: CaseFacts, end: Date, withoutPerson: Bool, overdueNow: Bool, overdueEver: Bool) {
        self.figures.received += 1
        if withoutPerson { self.figures.filedWithoutPerson += 1 }
        let before = { (date: Date?) in date.flatMap { $0 < end ? $0 : nil } }
        let concluded = before(facts.concludedAt)
        let notAccepted = before(facts.notAcceptedAt) != nil
        let withdrawn = before(facts.withdrawnAt) != nil
        if let accepted = before(facts.acceptedAt) {
            self.figures.accepted += 1
            self.acceptSeconds.append(Self.seconds(from: facts.createdAt, to: accepted))
        }
        if notAccepted {
            self.figures.notAccepted += 1
            self.figures.notAcceptedByReason[facts.notAcceptedReason ?? "unknown", default: 0] += 1
        }
        if let concluded {
            self.figures.concluded += 1
            self.figures.concludedByOutcome[facts.outcome?.rawValue ?? "none", default: 0] += 1
            self.concludeSeconds.append(Self.seconds(from: facts.createdAt, to: concluded))
        }
        if withdrawn { self.figures.withdrawn += 1 }
        if before(facts.transferredAt) != nil { self.figures.transferred += 1 }
        if before(facts.receiptReturnedAt) != nil { self.figures.receiptsReturned += 1 }
        if facts.isEcommerce {
            self.figures.ecommerceReceived += 1
            if let concluded, concluded.timeIntervalSince(facts.createdAt) <= Self.ecommerceLimit {
                self.figures.ecommerceConcludedWithin24h += 1
            }
        }
        if concluded != nil || notAccepted || withdrawn {
            self.figures.ended += 1
            if let score = facts.ratingScore, let at = facts.ratedAt, at < end {
                self.figures.rated += 1
                self.figures.ratedByScore[String(score), default: 0] += 1
                self.scoreSum += score
            }
        }
        if overdueNow { self.figures.overdueNow += 1 }
        if overdueEver { self.figures.overdueEver += 1 }
    }

    /// Counts one handoff requested in the period.
    mutating func add(_ handoff: HandoffFacts, end: Date) {
        self.figures.handoffs += 1
        if let claimed = handoff.claimedAt, claimed < end {
            self.figures.handoffsClaimed += 1
            self.waitSeconds.append(Self.seconds(from: handoff.requestedAt, to: claimed))
        }
    }

    /// The figures, with the spreads, means and rates taken from the tallies.
    func finished() -> ReportFigures {
        var figures = self.figures
        figures.timeToAccept = ReportSpread(self.acceptSeconds)
        figures.timeToConclude = ReportSpread(self.concludeSeconds)
        figures.handoffWait = ReportSpread(self.waitSeconds)
        figures.ecommerceWithin24hPercent = Self.percent(
            figures.ecommerceConcludedWithin24h, of: figures.ecommerceReceived)
        figures.ratingResponseRatePercent = Self.percent(figures.rated, of: figures.ended)
        figures.ratingMean = figures.rated == 0 ? nil : Self.twoDecimals(Double(self.scoreSum) / Double(figures.rated))
        return figures
    }

    static func seconds(from start: Date, to end: Date) -> Int {
        Int(end.timeIntervalSince(start).rounded())
    }

    static func percent(_ part: Int, of whole: Int) -> Double? {
        whole == 0 ? nil : Self.twoDecimals(100 * Double(part) / Double(whole))
    }

    /// Rounded half away from zero to two decimals.
    static func twoDecimals(_ value: Double) -> Double {
        (value * 100).rounded() / 100
    }
}
