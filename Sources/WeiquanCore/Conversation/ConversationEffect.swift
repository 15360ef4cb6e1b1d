/// What the machine asks the service to do; the service performs effects in order, durable ones first.
public enum ConversationEffect: Sendable, Equatable {
    /// Send this text to the applicant. At most one per event: a passive WeChat reply is one message.
    case reply(String)
    /// Store a new case. The reply that confirms it must not leave before the case is durable.
    case fileCase(CaseRecord)
    /// Hand the conversation to staff.
    case requestHandoff(HandoffRequest)
    /// The applicant left (unfollowed): close the conversation.
    case closeConversation
}

/// Why and with what the bot asks for a person.
public struct HandoffRequest: Codable, Sendable, Equatable {
    /// What made the bot ask for a person.
    public enum Reason: String, Codable, Sendable {
        /// The applicant asked (人工, menu choice).
        case requested
        /// Two or more messages in a row were not understood.
        case notUnderstood = "not_understood"
        /// An answer kept failing its check.
        case retriesExhausted = "retries_exhausted"
    }

    public var reason: Reason
    /// The form open at the time, so staff see what was already answered.
    public var form: FormProgress?

    public init(reason: Reason, form: FormProgress?) {
        self.reason = reason
        self.form = form
    }
}
