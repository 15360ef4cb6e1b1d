import Foundation

/// The date a case is due by now, and what is due: worked out by ``CaseDeadlines`` from the case, its status,
/// the `cases` policy and the office-hours calendar.
public struct CaseDeadline: Sendable, Equatable {
    /// What has to happen by ``dueAt``.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The decision on an aid request: accepted or not (受理审查).
        case acceptance
        /// The first step on a complaint: passed on to the authority or handled directly.
        case review
        /// The end of an e-commerce or exhibition case (结案).
        case conclusion
        /// A legal deadline of the applicant's (a hearing, a response deadline), earlier than the service's own.
        case legal
    }

    public var kind: Kind
    public var dueAt: Date

    public init(kind: Kind, dueAt: Date) {
        self.kind = kind
        self.dueAt = dueAt
    }

    /// Whether the deadline has passed at `now` (``dueAt`` itself is already too late).
    public func isOverdue(at now: Date) -> Bool {
        now >= self.dueAt
    }

    /// Whether the deadline has not passed at `now` but will within `window`.
    public func isDueSoon(at now: Date, within window: Duration) -> Bool {
        !self.isOverdue(at: now) && self.dueAt.timeIntervalSince(now) <= window.inSeconds
    }
}
