/// Everything a centre configures about itself: contact details, its network, and conversation limits.
///
/// Decoded from the `centre`, `directory`, `conversation` and `desk` sections of the config file; every
/// section but `centre` and `directory` may be left out and takes its defaults.
public struct CentreConfiguration: Codable, Sendable, Equatable {
    public var contact: ContactInfo
    public var directory: OrgDirectory
    public var conversation: ConversationPolicy
    /// Handoff to staff: office hours, queue and urgency limits.
    public var desk: DeskPolicy

    public init(
        contact: ContactInfo, directory: OrgDirectory, conversation: ConversationPolicy = ConversationPolicy(),
        desk: DeskPolicy = DeskPolicy()
    ) {
        self.contact = contact
        self.directory = directory
        self.conversation = conversation
        self.desk = desk
    }

    enum CodingKeys: String, CodingKey {
        case contact = "centre"
        case directory
        case conversation
        case desk
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.contact = try container.decode(ContactInfo.self, forKey: .contact)
        self.directory = try container.decode(OrgDirectory.self, forKey: .directory)
        self.conversation =
            try container.decodeIfPresent(ConversationPolicy.self, forKey: .conversation) ?? ConversationPolicy()
        self.desk = try container.decodeIfPresent(DeskPolicy.self, forKey: .desk) ?? DeskPolicy()
    }
}
