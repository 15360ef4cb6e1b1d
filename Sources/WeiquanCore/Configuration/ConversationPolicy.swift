/// Tunable limits of the conversation machine, set in the `conversation` section of the config.
public struct ConversationPolicy: Codable, Sendable, Equatable {
    /// Invalid answers to one question before the bot explains with an example and offers a way out.
    public var retryBudget: Int
    /// Minutes a started form may stay untouched before it expires.
    public var formExpiryMinutes: Int
    /// Longest free-text answer kept, in characters; longer answers are refused politely.
    public var maxAnswerLength: Int
    /// Messages up to this many characters may be global commands (取消, 返回, 人工 …) inside a form.
    public var commandMaxLength: Int
    /// The version of the personal-information notice shown before an aid request; recorded on the case.
    public var consentNoticeVersion: String
    /// Years case data is kept after the case ended, quoted in the notice; then the case is anonymised.
    public var retentionYears: Int
    /// The answers an anonymised case keeps, for the reports: none that names or reaches a person.
    public var anonymisedFieldsKept: [String]
    /// A legal-status answer from registry data older than this many days warns that the status may have changed.
    public var legalStatusStaleDays: Int
    /// A reminder of an annual fee (or of a trademark's expiry once its renewal window is open) comes this many days
    /// before the date.
    public var reminderDaysBeforeDue: Int
    /// A reminder of a trademark's renewal comes this many days before its renewal window opens (0: the day it
    /// opens).
    public var reminderDaysBeforeRenewal: Int

    /// What the demo keeps: the applicant's type, the region, the IP type, the services asked for.
    public static let defaultFieldsKept = ["applicant_type", "region", "ip_type", "services"]

    public init(
        retryBudget: Int = 3, formExpiryMinutes: Int = 24 * 60, maxAnswerLength: Int = 500, commandMaxLength: Int = 8,
        consentNoticeVersion: String = "2026-11", retentionYears: Int = 3,
        anonymisedFieldsKept: [String] = ConversationPolicy.defaultFieldsKept, legalStatusStaleDays: Int = 60,
        reminderDaysBeforeDue: Int = 30, reminderDaysBeforeRenewal: Int = 0
    ) {
        self.retryBudget = retryBudget
        self.formExpiryMinutes = formExpiryMinutes
        self.maxAnswerLength = maxAnswerLength
        self.commandMaxLength = commandMaxLength
        self.consentNoticeVersion = consentNoticeVersion
        self.retentionYears = retentionYears
        self.anonymisedFieldsKept = anonymisedFieldsKept
        self.legalStatusStaleDays = legalStatusStaleDays
        self.reminderDaysBeforeDue = reminderDaysBeforeDue
        self.reminderDaysBeforeRenewal = reminderDaysBeforeRenewal
    }

    enum CodingKeys: String, CodingKey {
        case retryBudget = "retry_budget"
        case formExpiryMinutes = "form_expiry_minutes"
        case maxAnswerLength = "max_answer_length"
        case commandMaxLength = "command_max_length"
        case consentNoticeVersion = "consent_notice_version"
        case retentionYears = "retention_years"
        case anonymisedFieldsKept = "anonymised_fields_kept"
        case legalStatusStaleDays = "legal_status_stale_days"
        case reminderDaysBeforeDue = "reminder_days_before_due"
        case reminderDaysBeforeRenewal = "reminder_days_before_renewal"
    }

    public init(from decoder: any Decoder) throws {
        let defaults = ConversationPolicy()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.retryBudget = try container.decodeIfPresent(Int.self, forKey: .retryBudget) ?? defaults.retryBudget
        self.formExpiryMinutes =
            try container.decodeIfPresent(Int.self, forKey: .formExpiryMinutes) ?? defaults.formExpiryMinutes
        self.maxAnswerLength =
            try container.decodeIfPresent(Int.self, forKey: .maxAnswerLength) ?? defaults.maxAnswerLength
        self.commandMaxLength =
            try container.decodeIfPresent(Int.self, forKey: .commandMaxLength) ?? defaults.commandMaxLength
        self.consentNoticeVersion =
            try container.decodeIfPresent(String.self, forKey: .consentNoticeVersion) ?? defaults.consentNoticeVersion
        self.retentionYears =
            try container.decodeIfPresent(Int.self, forKey: .retentionYears) ?? defaults.retentionYears
        self.anonymisedFieldsKept =
            try container.decodeIfPresent([String].self, forKey: .anonymisedFieldsKept)
            ?? defaults.anonymisedFieldsKept
        self.legalStatusStaleDays =
            try container.decodeIfPresent(Int.self, forKey: .legalStatusStaleDays) ?? defaults.legalStatusStaleDays
        guard self.legalStatusStaleDays >= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .legalStatusStaleDays, in: container,
                debugDescription: "conversation.legal_status_stale_days must be at least 1")
        }
        self.reminderDaysBeforeDue =
            try container.decodeIfPresent(Int.self, forKey: .reminderDaysBeforeDue) ?? defaults.reminderDaysBeforeDue
        self.reminderDaysBeforeRenewal =
            try container.decodeIfPresent(Int.self, forKey: .reminderDaysBeforeRenewal)
            ?? defaults.reminderDaysBeforeRenewal
        for (key, days) in [
            (CodingKeys.reminderDaysBeforeDue, self.reminderDaysBeforeDue),
            (.reminderDaysBeforeRenewal, self.reminderDaysBeforeRenewal),
        ] where !(0...366).contains(days) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "conversation.\(key.rawValue) must be 0 to 366 days")
        }
    }
}
