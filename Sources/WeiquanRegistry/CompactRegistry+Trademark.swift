import WeiquanCore

extension CompactRegistry {
    /// The record of a trademark, derived from its flow rows for `today`.
    public func trademark(_ number: TrademarkNumber, today: CalendarDay) -> LegalStatusRecord? {
        // Derived from the flow rows once the trademark derivation lands (issue 14).
        nil
    }
}
