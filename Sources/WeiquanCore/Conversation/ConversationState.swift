import Foundation

/// Everything the machine remembers about one applicant between messages.
///
/// Small and `Codable`: it is stored after every message, so it stays a few hundred bytes at rest.
public struct ConversationState: Codable, Sendable, Equatable {
    /// What the conversation is in the middle of.
    public enum Phase: Codable, Sendable, Equatable {
        /// Nothing open: the next message is understood afresh.
        case idle
        /// A form is being filled in.
        case form(FormProgress)
        /// The applicant asked to leave a form with content; waiting for them to confirm.
        case confirmingCancel(FormProgress)
        /// A legal-status query is waiting for the number.
        case awaitingNumber(attempts: Int)
        /// Nobody can take the conversation now: waiting for the question the applicant wants to leave.
        case leavingQuestion(HandoffRequest)
        /// Nobody can take the conversation now: waiting for the number to call back.
        case awaitingCallbackNumber(HandoffRequest, attempts: Int)
    }

    public var phase: Phase
    /// What the numbers in the bot's last message stand for; empty when it listed none.
    public var choices: [Choice]
    /// Messages in a row the bot could not understand.
    public var consecutiveFallbacks: Int
    /// When the applicant last wrote; drives form expiry.
    public var lastActivity: Date?
    /// Signs of urgency seen so far (传票, 3天内 …), each offered a person once; cleared with the conversation.
    public var urgent: [String]

    public init() {
        self.phase = .idle
        self.choices = []
        self.consecutiveFallbacks = 0
        self.lastActivity = nil
        self.urgent = []
    }

    enum CodingKeys: String, CodingKey {
        case phase, choices
        /// `true` in place of `choices` when they are the main menu's, as after most messages: the six choices
        /// written out were a third of a conversation's JSON and of its encoding time.
        case mainMenu = "menu"
        case consecutiveFallbacks = "fallbacks"
        case lastActivity = "last_activity"
        case urgent
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.phase = try container.decodeIfPresent(Phase.self, forKey: .phase) ?? .idle
        if try container.decodeIfPresent(Bool.self, forKey: .mainMenu) == true {
            self.choices = ConversationMachine.menu
        } else {
            self.choices = try container.decodeIfPresent([Choice].self, forKey: .choices) ?? []
        }
        self.consecutiveFallbacks = try container.decodeIfPresent(Int.self, forKey: .consecutiveFallbacks) ?? 0
        self.lastActivity = try container.decodeIfPresent(Date.self, forKey: .lastActivity)
        self.urgent = try container.decodeIfPresent([String].self, forKey: .urgent) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if self.phase != .idle { try container.encode(self.phase, forKey: .phase) }
        if self.choicesAreMainMenu {
            try container.encode(true, forKey: .mainMenu)
        } else if !self.choices.isEmpty {
            try container.encode(self.choices, forKey: .choices)
        }
        if self.consecutiveFallbacks != 0 {
            try container.encode(self.consecutiveFallbacks, forKey: .consecutiveFallbacks)
        }
        try container.encodeIfPresent(self.lastActivity, forKey: .lastActivity)
        if !self.urgent.isEmpty { try container.encode(self.urgent, forKey: .urgent) }
    }

    /// Whether the choices are the main menu's, stored as `"menu": true` in their place.
    package var choicesAreMainMenu: Bool { self.choices == ConversationMachine.menu }

    /// The open form, if any (also while a cancel is being confirmed, or a message for staff is being
    /// left in the middle of it).
    public var form: FormProgress? {
        switch self.phase {
        case .form(let progress), .confirmingCancel(let progress): progress
        case .leavingQuestion(let request), .awaitingCallbackNumber(let request, _): request.form
        case .idle, .awaitingNumber: nil
        }
    }
}
