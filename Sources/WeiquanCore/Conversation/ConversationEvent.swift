/// Something the applicant did, as the channel reports it.
public enum ConversationEvent: Sendable, Equatable {
    /// A text message (voice messages arrive here with their recognised text).
    case text(String)
    /// A menu click or other channel action that names an intent directly.
    case command(IntentID)
    /// A location; `label` is the place name or address the channel gives.
    case location(label: String?)
    /// A picture, video, file or link; `reference` is its MediaId or URL.
    case media(kind: String, reference: String)
    /// A voice message with no recognised text.
    case voiceWithoutText
    /// The applicant followed the account.
    case subscribed
    /// The applicant unfollowed the account: the conversation is closed.
    case unsubscribed
}
