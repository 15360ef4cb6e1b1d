/// Where a question left for the volunteers is.
///
/// ```
/// queued ──claim──▶ claimed ──answer──▶ answered ──approve──▶ delivered ──rate──▶ closed
///   ▲                 │  ▲                  │
///   └─put back/lease──┘  └──── return ──────┘
///                     │  ▲
///          follow-up  ▼  │ reply, or the wait lapses
///               awaiting_applicant
/// ```
/// Any open status goes to `withdrawn` when the applicant cancels.
public enum QuestionStatus: String, Codable, Sendable, CaseIterable {
    /// Waiting for a volunteer.
    case queued
    /// A volunteer holds it under a lease.
    case claimed
    /// The volunteer asked the applicant a follow-up question; the lease waits for the reply.
    case awaitingApplicant = "awaiting_applicant"
    /// Answered; waits for staff's review (or is delivered at once when no review is required).
    case answered
    /// The answer went to the applicant; the bot waits for their rating.
    case delivered
    /// The applicant cancelled it.
    case withdrawn
    /// Rated: nothing more happens to it.
    case closed

    /// The statuses in which the volunteer holding it counts it among their open claims.
    public static let holding: Set<QuestionStatus> = [.claimed, .awaitingApplicant]

    /// Whether the applicant may still withdraw it (nothing was delivered yet).
    public var isOpen: Bool {
        switch self {
        case .queued, .claimed, .awaitingApplicant, .answered: true
        case .delivered, .withdrawn, .closed: false
        }
    }
}
