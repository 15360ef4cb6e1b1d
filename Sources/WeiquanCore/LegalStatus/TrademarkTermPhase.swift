/// Where a trademark's current term stands on a given day (``TrademarkTerm/phase(on:)``).
public enum TrademarkTermPhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// In force; renewal is not yet possible.
    case inForce = "in_force"
    /// In force, in the 12 months before expiry: renewal can be filed now.
    case renewalWindowOpen = "renewal_window_open"
    /// Past expiry, within 6 months' grace: renewal is still possible, with a late fee.
    case inGrace = "in_grace"
    /// Past the grace period without renewal: the mark is to be cancelled.
    case expired
}
