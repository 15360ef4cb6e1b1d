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
    /// for no person before filing it.
    mutating func add(_ record: CaseRecord, end: Date, withoutPerson: Bool) {
        self.figures.received += 1
        if withoutPerson { self.figures.filedWithoutPerson += 1 }
        var accepted: Date?
        var notAccepted = false
        var concluded: Date?
        var withdrawn = false
        var transferred = false
        var receipt = false
        for event in record.timeline where event.at < end {
            switch event.action {
            case .accepted: accepted = accepted ?? event.at
            case .notAccepted: notAccepted = true
            case .concluded, .closed: concluded = concluded ?? event.at
            case .withdrawn: withdrawn = true
            case .transferred: transferred = true
            case .receiptReturned: receipt = true
            case .filed, .started, .archived, .referred, .assigned, .noted, .legalDeadlineRecorded: break
            }
        }
        if let accepted {
            self.figures.accepted += 1
            self.acceptSeconds.append(Self.seconds(from: record.createdAt, to: accepted))
        }
        if notAccepted {
            self.figures.notAccepted += 1
            self.figures.notAcceptedByReason[record.notAcceptedReason ?? "unknown", default: 0] += 1
        }
        if let concluded {
            self.figures.concluded += 1
            self.figures.concludedByOutcome[record.outcome?.kind.rawValue ?? "none", default: 0] += 1
            self.concludeSeconds.append(Self.seconds(from: record.createdAt, to: concluded))
        }
        if withdrawn { self.figures.withdrawn += 1 }
        if transferred { self.figures.transferred += 1 }
        if receipt { self.figures.receiptsReturned += 1 }
        if Self.isEcommerce(record) {
            self.figures.ecommerceReceived += 1
            if let concluded, concluded.timeIntervalSince(record.createdAt) <= Self.ecommerceLimit {
                self.figures.ecommerceConcludedWithin24h += 1
            }
        }
        if concluded != nil || notAccepted || withdrawn {
            self.figures.ended += 1
            if let rating = record.rating, rating.at < end {
                self.figures.rated += 1
                self.scoreSum += rating.score
            }
        }
    }

    /// Counts one handoff requested in the period.
    mutating func add(_ handoff: HandoffRecord, end: Date) {
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

    /// Whether the applicant asked for e-commerce aid: the `services` answer holds the option ids the applicant
    /// picked, joined with `,` (older records: `、`).
    static func isEcommerce(_ record: CaseRecord) -> Bool {
        guard record.kind == .aidRequest, let services = record.fields["services"] else { return false }
        return services.split(whereSeparator: { $0 == "," || $0 == "、" }).contains { $0 == "ecommerce" }
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
