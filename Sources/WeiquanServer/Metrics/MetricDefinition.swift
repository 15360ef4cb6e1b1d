/// One metric the service exports at `/metrics`: its Prometheus name, type, help text and label names.
///
/// Every metric is defined once, in the catalogue below; ``Metrics`` and ``PrometheusCatalogueFactory`` take
/// the help text, label names and buckets from here, so that a name cannot drift between the code that
/// counts and the page that shows the count.
public struct MetricDefinition: Sendable, Hashable {
    /// What kind of Prometheus metric it is.
    public enum Kind: Sendable, Hashable {
        /// A count that only grows.
        case counter
        /// A value read at scrape time.
        case gauge
        /// Observations (seconds) in buckets with these upper bounds.
        case histogram(buckets: [Double])
    }

    /// The Prometheus name, such as `weiquan_messages_total`.
    public let name: String
    public let kind: Kind
    /// The `# HELP` line: what the metric means.
    public let help: String
    /// The names of its labels, in the order their values are given; empty for a metric without labels.
    public let labels: [String]

    /// A metric from its parts; the service's own are all in the catalogue below.
    init(_ name: String, _ kind: Kind, help: String, labels: [String] = []) {
        self.name = name
        self.kind = kind
        self.help = help
        self.labels = labels
    }

    /// The buckets' upper bounds of a histogram; nil for other kinds.
    public var buckets: [Double]? {
        guard case .histogram(let buckets) = self.kind else { return nil }
        return buckets
    }

    /// The label names paired with these values, as swift-metrics takes them.
    func dimensions(_ values: [String]) -> [(String, String)] {
        Array(zip(self.labels, values))
    }
}

extension MetricDefinition {
    /// Every metric the service defines, for looking one up by name.
    public static let catalogue: [MetricDefinition] = [
        .messages, .replies, .dedupeHits, .lateReplies, .signatureFailures, .badRequests, .casesFiled, .handlerSeconds,
        .storeFlushSeconds, .storeConflicts, .outboxSent, .outboxFailed, .outboxHeld, .outboxDeliveredInReply,
        .outboxWithheld,
        .tokenRefreshes, .tokenRefreshFailures, .handoffs, .handoffWaitSeconds, .handoffsWaiting, .casesOverdue,
        .questionsQueued, .questionsOldestQueuedSeconds, .questionFirstAnswerSeconds, .questionReviewSeconds,
        .httpRequests,
        .httpRequestSeconds,
    ]

    /// The catalogue by name.
    static let byName: [String: MetricDefinition] = Dictionary(
        MetricDefinition.catalogue.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }
    )

    // MARK: - The webhook

    public static let messages = MetricDefinition(
        "weiquan_messages_total", .counter, help: "Inbound WeChat messages by type.", labels: ["type"]
    )
    public static let replies = MetricDefinition(
        "weiquan_replies_total", .counter, help: "Replies by kind (text, success, duplicate, error).", labels: ["kind"]
    )
    public static let dedupeHits = MetricDefinition(
        "weiquan_dedupe_hits_total", .counter,
        help: "Retries answered from the dedupe memory without running the conversation."
    )
    public static let lateReplies = MetricDefinition(
        "weiquan_late_replies_total", .counter,
        help: "Messages whose handling took longer than WeChat's 5-second window."
    )
    public static let signatureFailures = MetricDefinition(
        "weiquan_signature_failures_total", .counter, help: "Requests refused for a missing or wrong signature."
    )
    public static let badRequests = MetricDefinition(
        "weiquan_bad_requests_total", .counter, help: "Requests refused as malformed (400) or too large (413).",
        labels: ["status"]
    )
    public static let casesFiled = MetricDefinition(
        "weiquan_cases_filed_total", .counter, help: "Cases filed, by kind.", labels: ["kind"]
    )
    public static let handlerSeconds = MetricDefinition(
        "weiquan_handler_seconds", .histogram(buckets: Metrics.bounds), help: "Time to handle one webhook message."
    )

    // MARK: - The store

    public static let storeFlushSeconds = MetricDefinition(
        "weiquan_store_flush_seconds", .histogram(buckets: Metrics.bounds),
        help: "Time of one group commit of the store (write and fsync)."
    )

    public static let storeConflicts = MetricDefinition(
        "weiquan_store_conflicts_total", .counter,
        help:
            "Pieces of work run again because an id they were offered was taken meanwhile (by this or another instance)."
    )

    // MARK: - The outbox and the WeChat API

    public static let outboxSent = MetricDefinition(
        "weiquan_outbox_sent_total", .counter, help: "Messages delivered through the customer-service API."
    )
    public static let outboxFailed = MetricDefinition(
        "weiquan_outbox_failed_total", .counter, help: "Outbox messages given up, by WeChat error code.",
        labels: ["code"]
    )
    public static let outboxHeld = MetricDefinition(
        "weiquan_outbox_held_total", .counter,
        help: "Outbox messages held because the applicant's 48-hour window was closed."
    )
    public static let outboxDeliveredInReply = MetricDefinition(
        "weiquan_outbox_delivered_in_reply_total", .counter,
        help: "Held outbox messages delivered with a passive reply."
    )
    public static let outboxWithheld = MetricDefinition(
        "weiquan_outbox_withheld_total", .counter,
        help: "Bot or queue messages not sent because staff (or the bot) owned the conversation by then."
    )
    public static let tokenRefreshes = MetricDefinition(
        "weiquan_token_refreshes_total", .counter, help: "Access-token refreshes."
    )
    public static let tokenRefreshFailures = MetricDefinition(
        "weiquan_token_refresh_failures_total", .counter, help: "Failed access-token refreshes."
    )

    // MARK: - The staff desk

    public static let handoffs = MetricDefinition(
        "weiquan_handoffs_total", .counter,
        help: "Handoffs opened, by status: waiting (queued), question or callback (outside office hours).",
        labels: ["status"]
    )
    public static let handoffWaitSeconds = MetricDefinition(
        "weiquan_handoff_wait_seconds", .histogram(buckets: Metrics.waitBounds),
        help: "Time from asking for a person to a staff member's claim."
    )
    public static let handoffsWaiting = MetricDefinition(
        "weiquan_handoffs_waiting", .gauge, help: "Applicants waiting for a person now, by unit.", labels: ["unit"]
    )

    // MARK: - Cases

    public static let casesOverdue = MetricDefinition(
        "weiquan_cases_overdue", .gauge,
        help: "Open cases past their deadline (acceptance, review, conclusion or the applicant's legal one), by unit.",
        labels: ["unit"]
    )

    // MARK: - The volunteer queue

    public static let questionsQueued = MetricDefinition(
        "weiquan_questions_queued", .gauge, help: "Questions waiting for a volunteer now, by IP type (none: unknown).",
        labels: ["ip_type"]
    )
    public static let questionsOldestQueuedSeconds = MetricDefinition(
        "weiquan_questions_oldest_queued_seconds", .gauge,
        help: "Age of the oldest question waiting for a volunteer, by IP type (none: unknown).", labels: ["ip_type"]
    )
    public static let questionFirstAnswerSeconds = MetricDefinition(
        "weiquan_question_first_answer_seconds", .histogram(buckets: MetricDefinition.questionBounds),
        help: "Time from a question being asked to a volunteer's first answer."
    )
    public static let questionReviewSeconds = MetricDefinition(
        "weiquan_question_review_seconds", .histogram(buckets: MetricDefinition.questionBounds),
        help: "Time from a volunteer's answer to staff's review, by decision (approved, returned).",
        labels: ["decision"]
    )
    /// Upper bounds (seconds) for the volunteer queue's times, which run from minutes to days.
    static let questionBounds: [Double] = [
        600, 1_800, 3_600, 4 * 3_600, 12 * 3_600, 86_400, 2 * 86_400, 4 * 86_400, 7 * 86_400,
    ]

    // MARK: - HTTP

    /// Labels: the method, the route template (`/api/v1/handoffs/{id}`, or `unmatched`) and the status code.
    public static let httpRequests = MetricDefinition(
        "weiquan_http_requests_total", .counter, help: "HTTP requests answered, by method, route and status.",
        labels: ["method", "route", "status"]
    )
    public static let httpRequestSeconds = MetricDefinition(
        "weiquan_http_request_seconds", .histogram(buckets: Metrics.bounds),
        help: "Time from an HTTP request's arrival to its response, by method, route and status.",
        labels: ["method", "route", "status"]
    )
}
