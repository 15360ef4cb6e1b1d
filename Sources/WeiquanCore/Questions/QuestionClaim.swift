import Foundation

/// A volunteer's hold on a question: who, since when, until when the lease runs, and their declaration that they
/// have no conflict of interest with the parties.
public struct QuestionClaim: Codable, Sendable, Equatable {
    /// The volunteer's desk token name.
    public var volunteer: String
    public var claimedAt: Date
    /// When the lease runs out unless renewed; it does not run while a follow-up waits for the applicant.
    public var leaseUntil: Date
    /// The length of the lease granted (seconds): a reply to a follow-up or a return by review grants it again.
    public var leaseSeconds: Int
    /// The volunteer declared they have no conflict of interest (always true: a claim without it is refused).
    public var conflictDeclared: Bool

    public init(volunteer: String, claimedAt: Date, leaseUntil: Date, leaseSeconds: Int, conflictDeclared: Bool) {
        self.volunteer = volunteer
        self.claimedAt = claimedAt
        self.leaseUntil = leaseUntil
        self.leaseSeconds = leaseSeconds
        self.conflictDeclared = conflictDeclared
    }

    enum CodingKeys: String, CodingKey {
        case volunteer
        case claimedAt = "claimed_at"
        case leaseUntil = "lease_until"
        case leaseSeconds = "lease_seconds"
        case conflictDeclared = "conflict_declared"
    }
}
