import Foundation
import Hummingbird
import WeiquanCore

/// A case as the desk shows it: the stored record with the names a person reads (status, unit), the deadline that
/// applies now (``CaseDeadlines``) and, in the detail, the timeline.
struct CaseView: Encodable, ResponseEncodable, Sendable {
    var id: CaseID
    var kind: CaseKind
    var status: CaseStatus
    var statusText: String
    var applicant: ApplicantID
    var unit: UnitID?
    var unitName: String
    var createdAt: Date
    var assignee: String?
    var experts: [String]
    var fields: [String: String]
    var attachments: [String]
    var notAcceptedReason: String?
    var outcome: CaseOutcome?
    var transfer: CaseTransfer?
    /// The applicant's legal deadline as staff recorded it (`yyyy-MM-dd`).
    var legalDeadline: String?
    /// When the case is due now, and for what; nil when nothing is due (finished, passed on, no conclusion limit).
    var dueAt: Date?
    var dueKind: CaseDeadline.Kind?
    /// Whether ``dueAt`` has passed.
    var overdue: Bool
    /// The whole timeline in the detail; nil in lists.
    var timeline: [CaseEvent]?
    /// In the detail: other applicants' cases on the same patent or trademark number (related cases).
    var related: [CaseID]?
    /// What became of each piece of media evidence (fetched, or why not); absent until the first is done.
    var evidence: [CaseEvidence]?
    /// The applicant's rating, once given.
    var rating: CaseRating?
    /// In the detail: what the registry says about the case's right, when it holds it.
    var rightStatus: CaseRightStatus?

    init(
        _ record: CaseRecord, machine: ConversationMachine, withTimeline: Bool, deadline: CaseDeadline?, now: Date
    ) {
        self.id = record.id
        self.kind = record.kind
        self.status = record.status
        self.statusText = machine.replies.render("case.status.\(record.status.rawValue)")
        self.applicant = record.applicant
        self.unit = record.unit
        self.unitName = machine.unitName(record.unit ?? "centre")
        self.createdAt = record.createdAt
        self.assignee = record.assignee
        self.experts = record.experts
        self.fields = record.fields
        self.attachments = record.attachments
        self.notAcceptedReason = record.notAcceptedReason
        self.outcome = record.outcome
        self.transfer = record.transfer
        self.legalDeadline = record.legalDeadline
        self.dueAt = deadline?.dueAt
        self.dueKind = deadline?.kind
        self.overdue = deadline?.isOverdue(at: now) ?? false
        self.evidence = record.evidence.isEmpty ? nil : record.evidence
        self.rating = record.rating
        self.timeline = withTimeline ? record.timeline : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, status, applicant, unit, assignee, experts, fields, attachments, outcome, transfer, timeline
        case related, evidence, rating
        case overdue
        case rightStatus = "right_status"
        case legalDeadline = "legal_deadline"
        case dueAt = "due_at"
        case dueKind = "due_kind"
        case statusText = "status_text"
        case unitName = "unit_name"
        case createdAt = "created_at"
        case notAcceptedReason = "not_accepted_reason"
    }
}

/// A page of cases.
struct CaseListing: ResponseEncodable, Sendable {
    var cases: [CaseView]
    var total: Int
}
