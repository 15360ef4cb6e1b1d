/// What the machine asks the service to do; the service performs effects in order, durable ones first.
public enum ConversationEffect: Sendable, Equatable {
    /// Send this text to the applicant. At most one per event: a passive WeChat reply is one message.
    case reply(String)
    /// Store a new case. The reply that confirms it must not leave before the case is durable.
    case fileCase(CaseRecord)
    /// Put the conversation in its unit's queue for a person at `position` (1: next), as the reply tells
    /// the applicant (office hours only; outside them the machine offers ``leaveQuestion(_:text:)`` and
    /// ``requestCallback(_:phone:)`` instead).
    case requestHandoff(HandoffRequest, position: Int)
    /// The applicant left the queue: the conversation goes back to the bot.
    case leaveQueue
    /// The applicant left a question for staff (or, later, volunteers) to answer.
    case leaveQuestion(HandoffRequest, text: String)
    /// The applicant asked to be called back on this number.
    case requestCallback(HandoffRequest, phone: String)
    /// The applicant left (unfollowed): close the conversation.
    case closeConversation
    /// The applicant confirmed withdrawing their case: the service applies the core's `withdraw` transition.
    case withdrawCase(CaseID)
    /// The applicant rated the service on their finished case.
    case rateCase(CaseID, score: Int, comment: String?)
    /// The applicant confirmed asking for their personal data to be deleted: the service files the request for
    /// staff to decide on.
    case requestErasure
    /// The applicant answered a volunteer's follow-up question on their question.
    case replyToQuestion(QuestionID, text: String)
    /// The applicant said whether the volunteers' answer helped.
    case rateAnswer(QuestionID, helpful: Bool, comment: String?)
    /// The applicant asked to be reminded (before a fee's due date, when a renewal window opens): the service stores
    /// the reminder and sends it on its day.
    case scheduleReminder(Reminder)
    /// The applicant cancelled their reminders: those about this number, or all of them (nil).
    case cancelReminders(number: String?)
}

/// Why and with what the bot asks for a person.
public struct HandoffRequest: Codable, Sendable, Equatable {
    /// What made the bot ask for a person.
    public enum Reason: String, Codable, Sendable, CaseIterable {
        /// The applicant asked (人工, menu choice).
        case requested
        /// Two or more messages in a row were not understood.
        case notUnderstood = "not_understood"
        /// An answer kept failing its check.
        case retriesExhausted = "retries_exhausted"
        /// A staff member took the conversation over without being asked.
        case staffTakeover = "staff_takeover"
    }

    public var reason: Reason
    /// The form open at the time, so staff see what was already answered and it can be resumed.
    public var form: FormProgress?
    /// The unit whose queue it goes to (org directory id).
    public var unit: UnitID
    /// What made it urgent (传票, 3天内 …); empty when nothing did.
    public var urgent: [String]

    public init(reason: Reason, form: FormProgress?, unit: UnitID = "", urgent: [String] = []) {
        self.reason = reason
        self.form = form
        self.unit = unit
        self.urgent = urgent
    }

    enum CodingKeys: String, CodingKey {
        case reason, form, unit, urgent
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.reason = try container.decode(Reason.self, forKey: .reason)
        self.form = try container.decodeIfPresent(FormProgress.self, forKey: .form)
        self.unit = try container.decodeIfPresent(UnitID.self, forKey: .unit) ?? ""
        self.urgent = try container.decodeIfPresent([String].self, forKey: .urgent) ?? []
    }
}
