import Foundation

/// What a ``CaseReport`` and the deadlines need to know of one case, taken from its record once: who filed it,
/// when and where, its kind and IP type, the first time each counted action happened, the rating, and the stages
/// its deadline went through. Pure: the same record always gives the same facts.
///
/// A service keeps these in memory for every case (they are a few hundred bytes, the record's JSON a few
/// kilobytes), so a report over a year's cases need not decode them.
public struct CaseFacts: Sendable, Equatable {
    /// From ``at`` on, the case had `status` and the applicant's legal deadline `legalDeadline`: what its deadline
    /// follows from (``CaseDeadlines``). A new stage starts whenever either changes.
    public struct Stage: Sendable, Equatable {
        public var at: Date
        public var status: CaseStatus
        /// `yyyy-MM-dd`, as ``CaseRecord/legalDeadline``.
        public var legalDeadline: String?

        public init(at: Date, status: CaseStatus, legalDeadline: String?) {
            self.at = at
            self.status = status
            self.legalDeadline = legalDeadline
        }
    }

    public var id: CaseID
    public var applicant: ApplicantID
    public var kind: CaseKind
    /// The status as the record has it now.
    public var status: CaseStatus
    public var createdAt: Date
    /// The unit the case is at now.
    public var unit: UnitID?
    /// The `ip_type` answer.
    public var ipType: String?
    /// What shortens its deadline (``CaseRecord/flags``).
    public var flags: CaseFlags
    /// The applicant's legal deadline as the record has it now.
    public var legalDeadline: String?
    /// An aid request whose `services` answer includes `ecommerce` (either separator, `,` or the older `、`).
    public var isEcommerce: Bool
    /// The first `accepted` event.
    public var acceptedAt: Date?
    /// The first `not_accepted` event, and the reason recorded on the case.
    public var notAcceptedAt: Date?
    public var notAcceptedReason: String?
    /// The first `concluded` or `closed` event, and the kind of outcome recorded on the case (nil: none).
    public var concludedAt: Date?
    public var outcome: CaseOutcome.Kind?
    /// The first `withdrawn`, `transferred` and `receipt_returned` events.
    public var withdrawnAt: Date?
    public var transferredAt: Date?
    public var receiptReturnedAt: Date?
    /// The applicant's score (1–5) and when it was given.
    public var ratingScore: Int?
    public var ratedAt: Date?
    /// The stages of the deadline, oldest first; the first starts at the filing.
    public var stages: [Stage]

    /// The facts of `record`.
    public init(_ record: CaseRecord) {
        self.id = record.id
        self.applicant = record.applicant
        self.kind = record.kind
        self.status = record.status
        self.createdAt = record.createdAt
        self.unit = record.unit
        self.ipType = record.fields["ip_type"]
        self.flags = record.flags
        self.legalDeadline = record.legalDeadline
        self.isEcommerce = Self.isEcommerce(record)
        self.notAcceptedReason = record.notAcceptedReason
        self.outcome = record.outcome?.kind
        self.ratingScore = record.rating?.score
        self.ratedAt = record.rating?.at
        let recordsLegalDeadline = record.timeline.contains { $0.action == .legalDeadlineRecorded }
        var stage = Stage(
            at: record.createdAt, status: record.timeline.first?.from ?? record.status,
            legalDeadline: recordsLegalDeadline ? nil : record.legalDeadline)
        var stages = [stage]
        for event in record.timeline {
            switch event.action {
            case .accepted: self.acceptedAt = self.acceptedAt ?? event.at
            case .notAccepted: self.notAcceptedAt = self.notAcceptedAt ?? event.at
            case .concluded, .closed: self.concludedAt = self.concludedAt ?? event.at
            case .withdrawn: self.withdrawnAt = self.withdrawnAt ?? event.at
            case .transferred: self.transferredAt = self.transferredAt ?? event.at
            case .receiptReturned: self.receiptReturnedAt = self.receiptReturnedAt ?? event.at
            case .filed, .started, .archived, .referred, .assigned, .noted, .legalDeadlineRecorded: break
            }
            var next = stage
            next.status = event.to
            if event.action == .legalDeadlineRecorded { next.legalDeadline = Self.legalDeadline(of: event) }
            if next.status != stage.status || next.legalDeadline != stage.legalDeadline {
                next.at = event.at
                stages.append(next)
                stage = next
            }
        }
        self.stages = stages
    }

    /// Whether the applicant asked for e-commerce aid: the `services` answer holds the option ids picked, joined
    /// with `,` (older records: `、`). The complaint form does not ask.
    static func isEcommerce(_ record: CaseRecord) -> Bool {
        guard record.kind == .aidRequest, let services = record.fields["services"] else { return false }
        return services.split(whereSeparator: { $0 == "," || $0 == "、" }).contains { $0 == "ecommerce" }
    }

    /// The day a `legal_deadline_recorded` event set (its detail is the day or `-`, then `；` and the note, if
    /// any); nil when it cleared the deadline.
    static func legalDeadline(of event: CaseEvent) -> String? {
        guard let detail = event.detail else { return nil }
        let day = String(detail.prefix { $0 != "；" })
        return CivilDay.parse(day) == nil ? nil : day
    }
}
