import Foundation
import WeiquanCore

/// A handoff as the desk API shows it: the record, where it stands, and a context summary for staff.
public struct HandoffView: Codable, Sendable, Equatable {
    /// What staff need to know before they write the first word.
    public struct Summary: Codable, Sendable, Equatable {
        /// What the applicant's recent messages were understood as, oldest first.
        public var intents: [String]
        /// The form open when they asked: its kind, the answers by field id, and the question it stopped at.
        public var formKind: String?
        public var fields: [String: String]
        public var currentField: String?
        /// Evidence sent with the form (MediaIds or URLs).
        public var evidence: [String]
        /// The applicant's last few messages.
        public var lastMessages: [HandoffMessage]
    }

    public var id: HandoffID
    public var conversation: ApplicantID
    public var unit: UnitID
    public var unitName: String
    public var status: HandoffRecord.Status
    public var reason: HandoffRequest.Reason
    public var urgent: [String]
    public var requestedAt: Date
    public var claimedAt: Date?
    public var endedAt: Date?
    public var assignee: String?
    public var outcome: HandoffRecord.Outcome?
    /// Place in the unit's queue while waiting (1 = next).
    public var position: Int?
    /// Seconds since the request (until the claim, or until now while waiting).
    public var waitSeconds: Int
    public var callbackPhone: String?
    public var question: String?
    public var summary: Summary
    /// The whole transcript, notes included; only in the single-handoff view.
    public var messages: [HandoffMessage]?

    init(_ record: HandoffRecord, unitName: String, position: Int?, now: Date, transcript: Bool) {
        self.id = record.id
        self.conversation = record.applicant
        self.unit = record.unit
        self.unitName = unitName
        self.status = record.status
        self.reason = record.reason
        self.urgent = record.urgent
        self.requestedAt = record.requestedAt
        self.claimedAt = record.claimedAt
        self.endedAt = record.endedAt
        self.assignee = record.assignee
        self.outcome = record.outcome
        self.position = position
        let waitedUntil = record.claimedAt ?? record.endedAt ?? now
        self.waitSeconds = max(0, Int(waitedUntil.timeIntervalSince(record.requestedAt)))
        self.callbackPhone = record.callbackPhone
        self.question = record.question
        self.summary = Summary(
            intents: record.intents, formKind: record.form?.kind.rawValue,
            fields: (record.form?.values ?? [:]).filter { $0.key != "consent" }, currentField: record.form?.current,
            evidence: record.form?.attachments ?? [],
            lastMessages: Array(record.messages.filter { $0.from == .applicant }.suffix(3))
        )
        self.messages = transcript ? record.messages : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, conversation, unit, status, reason, urgent, assignee, outcome, position, question, summary, messages
        case unitName = "unit_name"
        case requestedAt = "requested_at"
        case claimedAt = "claimed_at"
        case endedAt = "ended_at"
        case waitSeconds = "wait_seconds"
        case callbackPhone = "callback_phone"
    }
}

extension HandoffView.Summary {
    enum CodingKeys: String, CodingKey {
        case intents, fields, evidence
        case formKind = "form_kind"
        case currentField = "current_field"
        case lastMessages = "last_messages"
    }
}
