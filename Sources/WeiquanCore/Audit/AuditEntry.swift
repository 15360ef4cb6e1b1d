/// One entry for the audit trail as the core decides it: what was done, by whom, to what. The service
/// stamps it with an id, the time and the conversation when it stores it.
public struct AuditEntry: Sendable, Equatable {
    /// Who acted when it was not a staff member: the bot, the applicant, or the desk's timers.
    public static let bot = "bot"
    public static let applicant = "applicant"
    public static let desk = "desk"

    public var action: AuditAction
    /// `bot`, `applicant`, `desk`, or a staff token's name.
    public var actor: String
    public var caseID: CaseID?
    public var handoffID: HandoffID?
    /// What else the action needs to be understood (`to=nanning`, `resume=true`); never message text.
    public var detail: String?

    public init(
        _ action: AuditAction, actor: String = AuditEntry.bot, caseID: CaseID? = nil, handoffID: HandoffID? = nil,
        detail: String? = nil
    ) {
        self.action = action
        self.actor = actor
        self.caseID = caseID
        self.handoffID = handoffID
        self.detail = detail
    }
}
