/// The figures of one group of a ``CaseReport`` (or of all of it).
///
/// The cases counted are those **filed** in the report's period (a cohort); what happened to them counts only
/// when it happened before the period's end, so a report on a past period reads the same whenever it is made.
/// The handoffs counted are those **requested** in the period. Every "event" below is the first one of that
/// action in the case's timeline before the period's end.
public struct ReportFigures: Codable, Sendable, Equatable {
    /// Cases filed (受理登记).
    public var received: Int
    /// Aid requests with an `accepted` event (受理).
    public var accepted: Int
    /// Aid requests with a `not_accepted` event (不予受理) …
    public var notAccepted: Int
    /// … by the configured reason recorded on the case.
    public var notAcceptedByReason: [String: Int]
    /// Cases ended with an outcome: an aid request's `concluded` event or a complaint's `closed` event (结案/办结) …
    public var concluded: Int
    /// … by ``CaseOutcome/Kind`` (`none` for a complaint closed without an outcome).
    public var concludedByOutcome: [String: Int]
    /// Cases with a `withdrawn` event.
    public var withdrawn: Int
    /// Complaints with a `transferred` event (转交) …
    public var transferred: Int
    /// … and with a `receipt_returned` event (回执).
    public var receiptsReturned: Int
    /// E-commerce cases: aid requests whose `services` answer includes the `ecommerce` option (the complaint form
    /// does not ask, so complaints are never counted here).
    public var ecommerceReceived: Int
    /// E-commerce cases concluded at most 24 hours after they were filed.
    public var ecommerceConcludedWithin24h: Int
    /// ``ecommerceConcludedWithin24h`` ÷ ``ecommerceReceived`` in percent, to two decimals; nil without e-commerce
    /// cases. A case still open counts against it.
    public var ecommerceWithin24hPercent: Double?
    /// From filing to the first `accepted` event.
    public var timeToAccept: ReportSpread
    /// From filing to the conclusion (`concluded` or `closed`).
    public var timeToConclude: ReportSpread
    /// Cases that ended: concluded, closed, not accepted or withdrawn; the follow-up (回访) asks these.
    public var ended: Int
    /// Ended cases the applicant rated (before the period's end).
    public var rated: Int
    /// … of them, how many gave each score: `"1"` to `"5"`, every score present (0 when none gave it).
    public var ratedByScore: [String: Int]
    /// The mean score (1–5) of the rated cases, to two decimals; nil when none was rated.
    public var ratingMean: Double?
    /// ``rated`` ÷ ``ended`` in percent, to two decimals; nil when none ended.
    public var ratingResponseRatePercent: Double?
    /// Handoffs to a person requested in the period (whatever became of them) …
    public var handoffs: Int
    /// … claimed by a staff member before the period's end …
    public var handoffsClaimed: Int
    /// … and how long the applicant waited for the claim.
    public var handoffWait: ReportSpread
    /// Cases filed without a person: the applicant asked for no handoff between their previous case (or the
    /// beginning) and this filing, so the bot took the request alone.
    public var filedWithoutPerson: Int
    /// Cases open at the time the report was made (its `now`) and past the deadline that applies to them then
    /// (``CaseDeadlines``): what is late today, whatever the period.
    public var overdueNow: Int
    /// Cases that were past a deadline at some time before the period's end (or before now, for a period not over
    /// yet): decided, passed on or concluded after the deadline that applied, or still open past it
    /// (``CaseDeadlines/wasOverdue(_:before:)``). A withdrawal is no decision: waiting that ended in one does not
    /// count.
    public var overdueEver: Int
    /// Visits to the account that began in the period (``ConversationSession``: messages until a pause of over half
    /// an hour), and those in which no person was brought in: the conversations the bot resolved alone. Visits
    /// belong to no unit, kind or IP type, so they are counted in the totals of a report on all units only (nil in
    /// rows, and in a report on one unit).
    public var conversations: Int?
    public var conversationsWithoutPerson: Int?

    public init() {
        self.received = 0
        self.accepted = 0
        self.notAccepted = 0
        self.notAcceptedByReason = [:]
        self.concluded = 0
        self.concludedByOutcome = [:]
        self.withdrawn = 0
        self.transferred = 0
        self.receiptsReturned = 0
        self.ecommerceReceived = 0
        self.ecommerceConcludedWithin24h = 0
        self.ecommerceWithin24hPercent = nil
        self.timeToAccept = ReportSpread([])
        self.timeToConclude = ReportSpread([])
        self.ended = 0
        self.rated = 0
        self.ratedByScore = ReportFigures.noScores
        self.ratingMean = nil
        self.ratingResponseRatePercent = nil
        self.handoffs = 0
        self.handoffsClaimed = 0
        self.handoffWait = ReportSpread([])
        self.filedWithoutPerson = 0
        self.overdueNow = 0
        self.overdueEver = 0
        self.conversations = nil
        self.conversationsWithoutPerson = nil
    }

    /// Every score from 1 to 5, none given yet.
    public static let noScores: [String: Int] = Dictionary(uniqueKeysWithValues: (1...5).map { (String($0), 0) })

    /// The outcome keys of ``concludedByOutcome``, in the order the CSV lists them.
    public static let outcomeKeys = CaseOutcome.Kind.allCases.map(\.rawValue) + ["none"]

    enum CodingKeys: String, CodingKey {
        case received, accepted, concluded, withdrawn, transferred, ended, rated, handoffs
        case notAccepted = "not_accepted"
        case notAcceptedByReason = "not_accepted_by_reason"
        case concludedByOutcome = "concluded_by_outcome"
        case receiptsReturned = "receipts_returned"
        case ecommerceReceived = "ecommerce_received"
        case ecommerceConcludedWithin24h = "ecommerce_concluded_within_24h"
        case ecommerceWithin24hPercent = "ecommerce_within_24h_percent"
        case timeToAccept = "time_to_accept"
        case timeToConclude = "time_to_conclude"
        case ratedByScore = "rated_by_score"
        case ratingMean = "rating_mean"
        case ratingResponseRatePercent = "rating_response_rate_percent"
        case handoffsClaimed = "handoffs_claimed"
        case handoffWait = "handoff_wait"
        case filedWithoutPerson = "filed_without_person"
        case overdueNow = "overdue_now"
        case overdueEver = "overdue_ever"
        case conversations
        case conversationsWithoutPerson = "conversations_without_person"
    }

    /// Writes every key, nil figures as `null`, so every row has the same shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.received, forKey: .received)
        try container.encode(self.accepted, forKey: .accepted)
        try container.encode(self.notAccepted, forKey: .notAccepted)
        try container.encode(self.notAcceptedByReason, forKey: .notAcceptedByReason)
        try container.encode(self.concluded, forKey: .concluded)
        try container.encode(self.concludedByOutcome, forKey: .concludedByOutcome)
        try container.encode(self.withdrawn, forKey: .withdrawn)
        try container.encode(self.transferred, forKey: .transferred)
        try container.encode(self.receiptsReturned, forKey: .receiptsReturned)
        try container.encode(self.ecommerceReceived, forKey: .ecommerceReceived)
        try container.encode(self.ecommerceConcludedWithin24h, forKey: .ecommerceConcludedWithin24h)
        try container.encode(self.ecommerceWithin24hPercent, forKey: .ecommerceWithin24hPercent)
        try container.encode(self.timeToAccept, forKey: .timeToAccept)
        try container.encode(self.timeToConclude, forKey: .timeToConclude)
        try container.encode(self.ended, forKey: .ended)
        try container.encode(self.rated, forKey: .rated)
        try container.encode(self.ratedByScore, forKey: .ratedByScore)
        try container.encode(self.ratingMean, forKey: .ratingMean)
        try container.encode(self.ratingResponseRatePercent, forKey: .ratingResponseRatePercent)
        try container.encode(self.handoffs, forKey: .handoffs)
        try container.encode(self.handoffsClaimed, forKey: .handoffsClaimed)
        try container.encode(self.handoffWait, forKey: .handoffWait)
        try container.encode(self.filedWithoutPerson, forKey: .filedWithoutPerson)
        try container.encode(self.overdueNow, forKey: .overdueNow)
        try container.encode(self.overdueEver, forKey: .overdueEver)
        try container.encode(self.conversations, forKey: .conversations)
        try container.encode(self.conversationsWithoutPerson, forKey: .conversationsWithoutPerson)
    }
}
