import WeiquanCore

extension CompactRegistry {
    /// The record of a trademark, derived from its flow rows for `today` (``TrademarkStatusDerivation``); nil when
    /// the registry does not hold it or its rows decide no status.
    public func trademark(_ number: TrademarkNumber, today: CalendarDay) -> LegalStatusRecord? {
        guard let index = self.batch.trademarks.index(of: RegistryKey.trademark(number)),
            let rows = self.flowRows(of: number)
        else { return nil }
        let batch = self.batch
        let meanings = batch.rows(ofTrademark: index).map { self.flowMeanings[Int(batch.rowKind[$0])] }
        let status = self.trademarkDerivation.status(
            of: rows, meanings: meanings, today: today, registrationDate: Self.day(batch.trademarks.dates[index]))
        guard let bucket = status.bucket, let decided = status.decidedBy else { return nil }
        return LegalStatusRecord(
            number: number.canonical, kind: .trademark, title: batch.pool.string(batch.trademarks.titles[index]),
            holder: batch.pool.string(batch.trademarks.holders[index]), bucket: bucket,
            officialWording: Self.wording(of: decided), date: status.registered?.description,
            dataDate: CalendarDay(dayNumber: Int(batch.trademarks.asOf[index])).description,
            overlays: LegalStatusOverlay.allCases.filter(status.overlays.contains),
            appealEnds: status.isAppealable ? status.appealEnds?.description : nil,
            renewals: status.registered == nil ? nil : status.renewals)
    }

    /// A flow row as the official record writes it: `商标续展 核准续展注册证明发文 结束`.
    static func wording(of row: TrademarkFlowRow) -> String {
        ([row.business, row.step] + (row.outcome.map { [$0] } ?? [])).filter { !$0.isEmpty }.joined(separator: " ")
    }
}
