/// Derives a patent's status from its dated events (legal-status.md §2). Pure: the day is passed in.
///
/// - Events are read in announcement order; events announced the same day keep their order in the list.
/// - The latest decisive event decides the bucket, and the notes of its wording (grant imminent, fee grace
///   running, partial invalidation, restorable) go with it.
/// - A restoration (权利的恢复, RR01) undoes the fee lapse or withdrawal before it: the status before that lapse or
///   withdrawal comes back (in force, or pending, when the events do not show what it was).
/// - Overlays: a transfer counts from its effective date when one is given; a pledge, licence or preservation
///   counts until an event releases it.
/// - A rejection may be appealed (re-examination) for three months from its announcement; with a ``calendar``, a
///   period ending on a rest day ends on the next working day (Rule 5).
/// - Events that are not understood change nothing and are listed in the result.
public struct PatentStatusDerivation: Sendable {
    /// Reads what each event means.
    public var classifier: PatentEventClassifier
    /// Months after a rejection's announcement in which re-examination may be requested.
    public var appealMonths: Int
    /// The rest days that move the end of the appeal period (Rule 5); nil leaves it on the corresponding day
    /// (the behaviour before holidays were configured).
    public var calendar: HolidayCalendar?

    public init(
        classifier: PatentEventClassifier = PatentEventClassifier(), appealMonths: Int = 3,
        calendar: HolidayCalendar? = nil
    ) {
        self.classifier = classifier
        self.appealMonths = appealMonths
        self.calendar = calendar
    }

    /// The status the events give on `today`.
    ///
    /// - Parameter lapseDueDate: the unpaid fee's due date (from ``AnnualFee``), quoted as the day a fee lapse took
    ///   effect; without it the result says only that the right ended from the fee's due date.
    public func status(
        of events: [PatentEvent], today: CalendarDay, lapseDueDate: CalendarDay? = nil
    ) -> PatentStatus {
        self.status(
            of: events, meanings: events.map(self.classifier.meaning(of:)), today: today, lapseDueDate: lapseDueDate)
    }

    /// The status the events give on `today`, their meanings read already (`meanings[i]` is what `events[i]`
    /// means): a registry holding millions of events classifies each wording once, not at every lookup.
    public func status(
        of events: [PatentEvent], meanings: [PatentEventMeaning], today: CalendarDay, lapseDueDate: CalendarDay? = nil
    ) -> PatentStatus {
        guard meanings.count == events.count else {
            return self.status(of: events, today: today, lapseDueDate: lapseDueDate)
        }
        let ordered = events.indices.sorted {
            (events[$0].announced, $0) < (events[$1].announced, $1)
        }

        var current: Decision?
        var beforeLapse: Decision?
        var result = PatentStatus()
        for index in ordered {
            let event = events[index]
            let meaning = meanings[index]
            switch meaning.effect {
            case .status(let bucket):
                let next = Decision(bucket: bucket, notes: meaning.notes, event: event)
                if next.isUndoable, current?.isUndoable != true {
                    beforeLapse = current
                }
                current = next
            case .restoration:
                guard let lapsed = current, lapsed.isUndoable else { continue }
                var restored =
                    beforeLapse
                    ?? Decision(bucket: lapsed.bucket == .lapsedFees ? .inForce : .pending, notes: [], event: event)
                restored.event = event
                // Restored means the arrears were paid: no grace running, nothing left to restore.
                restored.notes.subtract([.feeGraceRunning, .restorable])
                current = restored
                beforeLapse = nil
            case .restorable:
                current?.notes.insert(.restorable)
            case .overlay(let overlay):
                if overlay == .transferred {
                    result.transfer = PatentStatus.Transfer(announced: event.announced, effective: event.effective)
                    if let effective = event.effective, effective > today { continue }
                }
                result.overlays.insert(overlay)
            case .release(let overlay):
                result.overlays.remove(overlay)
            case .informational:
                if meaning.notes.contains(.termCompensation) {
                    result.hasTermCompensation = true
                }
            case .unknown:
                result.unknownEvents.append(event)
            }
        }
        if let current {
            self.apply(current, to: &result, today: today, lapseDueDate: lapseDueDate)
        }
        return result
    }

    private func apply(
        _ decision: Decision, to result: inout PatentStatus, today: CalendarDay, lapseDueDate: CalendarDay?
    ) {
        result.bucket = decision.bucket
        result.decidedBy = decision.event
        result.isRestorable = decision.notes.contains(.restorable)
        result.isGrantImminent = decision.bucket == .pending && decision.notes.contains(.grantImminent)
        result.isFeeGraceRunning = decision.bucket == .inForce && decision.notes.contains(.feeGraceRunning)
        result.isPartiallyInvalidated = decision.bucket == .inForce && decision.notes.contains(.partialInvalidation)
        result.isDeemedWithdrawn = decision.bucket == .withdrawn && decision.notes.contains(.deemedWithdrawal)
        switch decision.bucket {
        case .lapsedFees:
            result.feeLapse = PatentStatus.FeeLapse(announced: decision.event.announced, endsFrom: lapseDueDate)
        case .rejected:
            let plainEnd = decision.event.announced.adding(months: self.appealMonths)
            let ends = self.calendar?.deadline(plainEnd) ?? plainEnd
            result.appealEnds = ends
            result.isAppealable = today <= ends
        default:
            break
        }
    }

    /// The bucket decided so far, its notes and the event that decided it.
    private struct Decision {
        var bucket: PatentStatus.Bucket
        var notes: Set<PatentEventMeaning.Note>
        var event: PatentEvent

        /// A fee lapse or withdrawal: what a restoration undoes.
        var isUndoable: Bool { self.bucket == .lapsedFees || self.bucket == .withdrawn }
    }
}
