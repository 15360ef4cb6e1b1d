/// How conversations are handed to staff, set in the `desk` section of the config.
public struct DeskPolicy: Codable, Sendable, Equatable {
    /// When staff answer; outside these hours the bot offers to take a question or a call-back number.
    public var officeHours: OfficeHours
    /// Minutes in the queue after which the bot offers to leave a question or a call-back number instead.
    public var maxWaitMinutes: Int
    /// Minutes without a message from either side after which a claimed conversation goes back to the bot.
    public var idleReleaseMinutes: Int
    /// A deadline within this many days counts as urgent, and the bot offers a person at once.
    public var urgentDeadlineDays: Int
    /// The applicant is told their place in the queue when it improved by at least this many places, or reached 1.
    public var positionNoticeStep: Int

    /// Makes a policy; the defaults are the ones the demo config uses.
    public init(
        officeHours: OfficeHours = OfficeHours(), maxWaitMinutes: Int = 10, idleReleaseMinutes: Int = 30,
        urgentDeadlineDays: Int = 7, positionNoticeStep: Int = 3
    ) {
        self.officeHours = officeHours
        self.maxWaitMinutes = maxWaitMinutes
        self.idleReleaseMinutes = idleReleaseMinutes
        self.urgentDeadlineDays = urgentDeadlineDays
        self.positionNoticeStep = positionNoticeStep
    }

    enum CodingKeys: String, CodingKey {
        case officeHours = "office_hours"
        case maxWaitMinutes = "max_wait_minutes"
        case idleReleaseMinutes = "idle_release_minutes"
        case urgentDeadlineDays = "urgent_deadline_days"
        case positionNoticeStep = "position_notice_step"
    }

    /// Decodes the `desk` object; every key may be left out and takes its default.
    public init(from decoder: any Decoder) throws {
        let defaults = DeskPolicy()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.officeHours = try container.decodeIfPresent(OfficeHours.self, forKey: .officeHours) ?? defaults.officeHours
        self.maxWaitMinutes =
            try container.decodeIfPresent(Int.self, forKey: .maxWaitMinutes) ?? defaults.maxWaitMinutes
        self.idleReleaseMinutes =
            try container.decodeIfPresent(Int.self, forKey: .idleReleaseMinutes) ?? defaults.idleReleaseMinutes
        self.urgentDeadlineDays =
            try container.decodeIfPresent(Int.self, forKey: .urgentDeadlineDays) ?? defaults.urgentDeadlineDays
        self.positionNoticeStep =
            try container.decodeIfPresent(Int.self, forKey: .positionNoticeStep) ?? defaults.positionNoticeStep
    }

    /// What is wrong with the values, one readable sentence each, starting with `desk.<key>`.
    public func problems() -> [String] {
        var problems: [String] = []
        let numbers: [(key: String, value: Int)] = [
            ("max_wait_minutes", self.maxWaitMinutes), ("idle_release_minutes", self.idleReleaseMinutes),
            ("urgent_deadline_days", self.urgentDeadlineDays), ("position_notice_step", self.positionNoticeStep),
        ]
        for (key, value) in numbers where value < 1 {
            problems.append("desk.\(key) must be at least 1, got \(value)")
        }
        return problems + self.officeHours.problems()
    }
}
