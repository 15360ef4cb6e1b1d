import WeiquanCore

/// The imported registry in memory: a ``RegistryBatch`` (every source merged) answering lookups by number.
///
/// A lookup finds the right by binary search on its key and derives its status from the events for the day asked
/// (``PatentStatusDerivation``; trademarks from their flow rows): the bucket, the overlays, the deadlines — so an
/// answer is never staler than the data, and a deadline that passed since the import reads as passed.
public struct CompactRegistry: LegalStatusRegistry {
    package let batch: RegistryBatch
    /// The derivation of patents' status.
    public var derivation = PatentStatusDerivation()

    /// An empty registry.
    public init() {
        self.batch = RegistryBatch()
    }

    package init(batch: RegistryBatch) {
        self.batch = batch
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
        switch PatentNumberParser.parse(written, currentYear: today.year) {
        case .valid(let number): return self.patent(number, today: today)
        case .invalid: return nil
        case .notAPatentNumber: break
        }
        return TrademarkNumberParser.parse(written).flatMap { self.trademark($0, today: today) }
    }

    /// The record of a patent, derived from its events for `today`; nil when the registry does not hold it or its
    /// events decide no status (only informational ones).
    public func patent(_ number: PatentApplicationNumber, today: CalendarDay) -> LegalStatusRecord? {
        guard let index = self.batch.patentIndex(RegistryKey.patent(number)) else { return nil }
        let batch = self.batch
        let events = batch.events(ofPatent: index).compactMap { position -> PatentEvent? in
            let kind = Int(batch.eventKind[position])
            let effective = batch.eventEffective[position]
            return try? PatentEvent(
                announced: CalendarDay(dayNumber: Int(batch.eventAnnounced[position])),
                code: batch.pool.string(batch.eventKindCode[kind]),
                title: batch.pool.string(batch.eventKindTitle[kind]) ?? "",
                info: batch.pool.string(batch.eventInfo[position]),
                effective: effective == RegistryBatch.noDay ? nil : CalendarDay(dayNumber: Int(effective)))
        }
        let filing = Self.day(batch.patentDate[index])
        var status = self.derivation.status(of: events, today: today)
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
                    status = self.derivation.status(of: events, today: today, lapseDueDate: due)
                }
            }
            if status.isRestorable {
                // The lapse announcement is the notice: restoration within two months of its presumed receipt.
                let received = AnnualFeeRestoration.presumedReceipt(sentOn: lapse.announced)
                let ends = received.adding(months: AnnualFeeRestoration.windowMonths)
                if today <= ends { restorationEnds = ends }
            }
        }
        guard let bucket = status.legalStatusBucket, let decided = status.decidedBy else { return nil }
        return LegalStatusRecord(
            number: number.canonical, kind: .patent, title: batch.pool.string(batch.patentTitle[index]),
            holder: batch.pool.string(batch.patentHolder[index]), bucket: bucket,
            officialWording: decided.title.isEmpty ? (decided.code ?? "") : decided.title,
            date: filing?.description, dataDate: CalendarDay(dayNumber: Int(batch.patentAsOf[index])).description,
            overlays: LegalStatusOverlay.allCases.filter { overlay in
                status.overlays.contains { LegalStatusOverlay($0) == overlay }
            },
            appealEnds: status.isAppealable ? status.appealEnds?.description : nil,
            lapsedFrom: status.feeLapse?.endsFrom?.description, restorationEnds: restorationEnds?.description)
    }

    /// The patent events held for a number (for staff and tests), in announcement order.
    public func events(of number: PatentApplicationNumber) -> [PatentEvent]? {
        guard let index = self.batch.patentIndex(RegistryKey.patent(number)) else { return nil }
        let batch = self.batch
        return batch.events(ofPatent: index).compactMap { position in
            let kind = Int(batch.eventKind[position])
            return try? PatentEvent(
                announced: CalendarDay(dayNumber: Int(batch.eventAnnounced[position])),
                code: batch.pool.string(batch.eventKindCode[kind]),
                title: batch.pool.string(batch.eventKindTitle[kind]) ?? "",
                info: batch.pool.string(batch.eventInfo[position]),
                effective: Self.day(batch.eventEffective[position]))
        }
    }

    /// The flow rows held for a trademark, in date order.
    public func flowRows(of number: TrademarkNumber) -> [TrademarkFlowRow]? {
        guard let index = self.batch.trademarkIndex(RegistryKey.trademark(number)) else { return nil }
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
