/// What an intent does in a conversation, which decides how the conversation machine treats it.
public enum IntentKind: String, Codable, Sendable, CaseIterable, Hashable {
    /// Starts or continues a guided flow: aid request, complaint, legal-status query, case progress.
    case flow
    /// A global command that works in every state: help, human, cancel, back.
    case command
    /// Greetings and thanks: answered briefly, never start a flow.
    case smalltalk
    /// A frequently asked question answered with the intent's own `answer` text.
    case faq
}
