/// Everything a centre configures about itself: contact details, its network, and conversation limits.
///
/// Decoded from the `centre`, `directory`, `conversation`, `desk`, `cases`, `volunteer` and `holidays` sections of
/// the config file; every section but `centre` and `directory` may be left out and takes its defaults.
public struct CentreConfiguration: Codable, Sendable, Equatable {
    public var contact: ContactInfo
    public var directory: OrgDirectory
    public var conversation: ConversationPolicy
    /// Handoff to staff: office hours, queue and urgency limits.
    public var desk: DeskPolicy
    /// Working cases: the reasons for not accepting, the expert directory.
    public var cases: CasePolicy
    /// The volunteer queue: review, leases, claims, follow-ups, the team's signature.
    public var volunteer: VolunteerPolicy
    /// The public holidays and make-up working days that move the end of a legal period (Rule 5); weekends only
    /// when the section is left out. Not the desk's opening days (`desk.office_hours`): the centre may close on
    /// other days, which do not move an official deadline.
    public var holidays: HolidayCalendar

    public init(
        contact: ContactInfo, directory: OrgDirectory, conversation: ConversationPolicy = ConversationPolicy(),
        desk: DeskPolicy = DeskPolicy(), cases: CasePolicy = CasePolicy(),
        volunteer: VolunteerPolicy = VolunteerPolicy(), holidays: HolidayCalendar = .weekendsOnly
    ) {
        self.contact = contact
        self.directory = directory
        self.conversation = conversation
        self.desk = desk
        self.cases = cases
        self.volunteer = volunteer
        self.holidays = holidays
    }

    enum CodingKeys: String, CodingKey {
        case contact = "centre"
        case directory
        case conversation
        case desk
        case cases
        case volunteer
        case holidays
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.contact = try container.decode(ContactInfo.self, forKey: .contact)
        self.directory = try container.decode(OrgDirectory.self, forKey: .directory)
        self.conversation =
            try container.decodeIfPresent(ConversationPolicy.self, forKey: .conversation) ?? ConversationPolicy()
        self.desk = try container.decodeIfPresent(DeskPolicy.self, forKey: .desk) ?? DeskPolicy()
        self.cases = try container.decodeIfPresent(CasePolicy.self, forKey: .cases) ?? CasePolicy()
        self.volunteer = try container.decodeIfPresent(VolunteerPolicy.self, forKey: .volunteer) ?? VolunteerPolicy()
        self.holidays = try container.decodeIfPresent(HolidayCalendar.self, forKey: .holidays) ?? .weekendsOnly
    }
}
