/// A reminder an applicant asked for after a legal-status answer: before an annual fee falls due, or when a
/// trademark's renewal window opens (issue 14).
///
/// The machine makes it (``ConversationMachine`` offers it as a numbered choice and emits
/// ``ConversationEffect/scheduleReminder(_:)`` when it is taken); the service stores it and sends it on
/// ``remindOn`` through the outbox — or, when WeChat's 48-hour window is closed then, gives it with the reply to
/// the applicant's next message. Its text is rendered from the reply book when it is sent (``textKey`` with
/// ``values``), so the centre's wording applies.
public struct Reminder: Codable, Sendable, Equatable {
    /// What the applicant is reminded of.
    public enum Subject: String, Codable, Sendable, CaseIterable {
        /// A patent's next annual fee (`values`: year, amount, due, grace_end).
        case annualFee = "annual_fee"
        /// A trademark's renewal (`values`: expiry, window, grace_end).
        case renewal
    }

    /// Who asked; empty while the reminder is only offered (filled in when the applicant takes it).
    public var applicant: ApplicantID
    /// The canonical number of the right.
    public var number: String
    public var kind: LegalStatusRecord.RightKind
    public var subject: Subject
    /// The day (Asia/Shanghai) the reminder is due.
    public var remindOn: CalendarDay
    /// The day it is about: the fee's due date, or the first day of the renewal window (or the expiry, once the
    /// window is open).
    public var deadline: CalendarDay
    /// The reply-book key of the reminder's text (`reminder.annual_fee`, `reminder.renewal`).
    public var textKey: String
    /// The values of the text's placeholders, as computed when the reminder was set.
    public var values: [String: String]

    public init(
        applicant: ApplicantID = ApplicantID(rawValue: ""), number: String, kind: LegalStatusRecord.RightKind,
        subject: Subject, remindOn: CalendarDay, deadline: CalendarDay, values: [String: String]
    ) {
        self.applicant = applicant
        self.number = number
        self.kind = kind
        self.subject = subject
        self.remindOn = remindOn
        self.deadline = deadline
        self.textKey = "reminder.\(subject.rawValue)"
        self.values = values
    }

    /// One reminder per applicant, right and subject: asking again replaces the earlier one.
    public var id: String { "\(self.kind.rawValue):\(self.number):\(self.subject.rawValue)" }

    enum CodingKeys: String, CodingKey {
        case applicant, number, kind, subject, values
        case remindOn = "remind_on"
        case deadline
        case textKey = "text_key"
    }
}
