import WeiquanCore

/// The imported registry in memory: a ``RegistryBatch`` (every source merged) answering lookups by number.
///
/// A lookup finds the right by binary search on its key and derives its status from the events for the day asked
/// (``PatentStatusDerivation``; trademarks from their flow rows): the bucket, the overlays, the deadlines — so an
/// answer is never staler than the data, and a deadline that passed since the import reads as passed.
public struct CompactRegistry: LegalStatusRegistry {
    package let batch: RegistryBatch
    /// The derivation of patents' status (with the centre's holiday calendar, appeal ends move past rest days).
    public let derivation: PatentStatusDerivation
    /// The derivation of trademarks' status.
    public let trademarkDerivation: TrademarkStatusDerivation
    /// What each event wording (code and title) means without free text: read once, not at every lookup.
    private let kindMeanings: [PatentEventMeaning]
    /// What each flow wording (business, step, outcome) means.
    let flowMeanings: [TrademarkFlowMeaning]

    /// An empty registry.
    public init(calendar: HolidayCalendar? = nil) {
        self.init(batch: RegistryBatch(), calendar: calendar)
    }

    /// The registry of a batch; `calendar` moves the ends of periods (appeal, restoration, grace) past rest days.
    package init(batch: RegistryBatch, calendar: HolidayCalendar? = nil) {
        self.batch = batch
        self.derivation = PatentStatusDerivation(calendar: calendar)
        self.trademarkDerivation = TrademarkStatusDerivation(calendar: calendar)
        let classifier = self.derivation.classifier
        let flowClassifier = self.trademarkDerivation.classifier
        self.flowMeanings = batch.flowKindBusiness.indices.map { kind in
            flowClassifier.meaning(
                business: batch.pool.string(batch.flowKindBusiness[kind]) ?? "",
                step: batch.pool.string(batch.flowKindStep[kind]) ?? "",
                outcome: batch.pool.string(batch.flowKindOutcome[kind]))
        }
        self.kindMeanings = batch.eventKindCode.indices.map { kind in
            classifier.meaning(
                code: batch.pool.string(batch.eventKindCode[kind]),
                title: batch.pool.string(batch.eventKindTitle[kind]) ?? "")
        }
    }

    /// The same registry with another holiday calendar.
    public func with(calendar: HolidayCalendar?) -> CompactRegistry {
        CompactRegistry(batch: self.batch, calendar: calendar)
    }

    /// Patents held.
    public var patentCount: Int { self.batch.patentCount }
    /// Trademarks held.
    public var trademarkCount: Int { self.batch.trademarkCount }
    /// Patent events and trademark flow rows held.
    public var eventCount: Int { self.batch.eventAnnounced.count + self.batch.rowDate.count }
    /// The bytes the registry's columns hold.
    public var memoryBytes: Int { self.batch.memoryBytes }

    public func record(kind: LegalStatusRecord.RightKind, number: String, today: CalendarDay) -> LegalStatusRecord? {
        switch kind {
        case .patent:
            guard case .valid(let parsed) = PatentNumberParser.parse(number, currentYear: today.year) else {
                return nil
            }
            return self.patent(parsed, today: today)
        case .trademark:
            guard let parsed = TrademarkNumberParser.parse(number) else { return nil }
            return self.trademark(parsed, today: today)
        }
    }

    /// The record of a number as someone wrote it: `ZL 2013 1 0268509.X`, `CN201310268509X`, full-width digits,
    /// an old 8-digit number, a trademark's `第12345678号` or `G1234567`.
    public func record(written: String, today: CalendarDay) -> LegalStatusRecord? {
        // Eight digits may be an old patent number or a trademark's: whichever the registry holds answers.
        if case .valid(let number) = PatentNumberParser.parse(written, currentYear: today.year),
            let record = self.patent(number, today: today)
        {
            return record
        }
        return TrademarkNumberParser.parse(written).flatMap { self.trademark($0, today: today) }
    }

    /// The record of a patent, derived from its events for `today`; nil when the registry does not hold it or its
    /// events decide no status (only informational ones).
    public func patent(_ number: PatentApplicationNumber, today: CalendarDay) -> LegalStatusRecord? {
        guard let index = self.batch.patents.index(of: RegistryKey.patent(number)) else { return nil }
        let batch = self.batch
        let held = self.events(at: batch.events(ofPatent: index))
        let events = held.map(\.event)
        let meanings = held.map { position, event in
            // Free text can change what a wording means (a pledge registered or released): read those anew.
            batch.eventInfo[position] == 0
                ? self.kindMeanings[Int(batch.eventKind[position])] : self.derivation.classifier.meaning(of: event)
        }
        let filing = Self.day(batch.patents.dates[index])
        var status = self.derivation.status(of: events, meanings: meanings, today: today)
        var restorationEnds: CalendarDay?
        if let lapse = status.feeLapse {
            // The unpaid fee: the last one whose grace had ended when the lapse was announced.
            var unpaid: AnnualFee?
            if let filing {
                let schedule = AnnualFeeSchedule(kind: number.kind, filingDate: filing)
                var year = 1
                while let fee = schedule.fee(year: year), fee.graceEnd < lapse.announced {
                    unpaid = fee
                    year += 1
                }
                if let due = unpaid?.dueDate {
                    status = self.derivation.status(of: events, meanings: meanings, today: today, lapseDueDate: due)
                }
            }
            if status.isRestorable {
                // The lapse announcement is the notice: restoration within two months of its presumed receipt.
                let received = AnnualFeeRestoration.presumedReceipt(sentOn: lapse.announced)
                var ends = received.adding(months: AnnualFeeRestoration.windowMonths)
                if let calendar = self.derivation.calendar { ends = calendar.deadline(ends) }
                if today <= ends { restorationEnds = ends }
            }
        }
        guard let bucket = status.legalStatusBucket, let decided = status.decidedBy else { return nil }
        return LegalStatusRecord(
            number: number.canonical, kind: .patent, title: batch.pool.string(batch.patents.titles[index]),
            holder: batch.pool.string(batch.patents.holders[index]), bucket: bucket,
            officialWording: decided.title.isEmpty ? (decided.code ?? "") : decided.title,
            date: filing?.description, dataDate: CalendarDay(dayNumber: Int(batch.patents.asOf[index])).description,
            overlays: LegalStatusOverlay.allCases.filter { overlay in
                status.overlays.contains { LegalStatusOverlay($0) == overlay }
            },
            appealEnds: status.isAppealable ? status.appealEnds?.description : nil,
            lapsedFrom: status.feeLapse?.endsFrom?.description, restorationEnds: restorationEnds?.description)
    }

    /// The patent events held for a number (for staff and tests), in the order held (by announcement).
    public func events(of number: PatentApplicationNumber) -> [PatentEvent]? {
        guard let index = self.batch.patents.index(of: RegistryKey.patent(number)) else { return nil }
        return self.events(at: self.batch.events(ofPatent: index)).map(\.event)
    }

    /// The events at these positions, each with its position (an event the import let in always makes one again).
    private func events(at positions: Range<Int>) -> [(position: Int, event: PatentEvent)] {
        let batch = self.batch
        return positions.compactMap { position in
            let kind = Int(batch.eventKind[position])
            let event = try? PatentEvent(
                announced: CalendarDay(dayNumber: Int(batch.eventAnnounced[position])),
                code: batch.pool.string(batch.eventKindCode[kind]),
                title: batch.pool.string(batch.eventKindTitle[kind]) ?? "",
                info: batch.pool.string(batch.eventInfo[position]),
                effective: Self.day(batch.eventEffective[position]))
            return event.map { (position, $0) }
        }
    }

    /// The flow rows held for a trademark, in date order.
    public func flowRows(of number: TrademarkNumber) -> [TrademarkFlowRow]? {
        guard let index = self.batch.trademarks.index(of: RegistryKey.trademark(number)) else { return nil }
        let batch = self.batch
        return batch.rows(ofTrademark: index).map { position in
            let kind = Int(batch.rowKind[position])
            return TrademarkFlowRow(
                date: CalendarDay(dayNumber: Int(batch.rowDate[position])),
                business: batch.pool.string(batch.flowKindBusiness[kind]) ?? "",
                step: batch.pool.string(batch.flowKindStep[kind]) ?? "",
                outcome: batch.pool.string(batch.flowKindOutcome[kind]))
        }
    }

    static func day(_ value: Int32) -> CalendarDay? {
        value == RegistryBatch.noDay ? nil : CalendarDay(dayNumber: Int(value))
    }
}
