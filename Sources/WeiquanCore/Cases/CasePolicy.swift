/// How cases are worked, set in the `cases` section of the config: the reasons a request may be refused for,
/// the directory of experts who can be recorded on a case, and the deadlines (``CaseDeadlines`` says how they
/// are counted and where the default figures come from).
///
/// ```json
/// { "acceptance_working_days": 15, "complaint_review_working_days": 5, "ecommerce_hours": 24,
///   "exhibition_same_day": true }
/// ```
public struct CasePolicy: Codable, Sendable, Equatable {
    /// An expert of the directory: recorded on cases, not a user of the service.
    public struct Expert: Codable, Sendable, Equatable {
        public var name: String
        /// Fields of expertise (专利, 商标, 电商 …).
        public var fields: [String]
        /// The units the expert works with; empty: all.
        public var units: [UnitID]

        public init(name: String, fields: [String] = [], units: [UnitID] = []) {
            self.name = name
            self.fields = fields
            self.units = units
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.name = try container.decode(String.self, forKey: .name)
            self.fields = try container.decodeIfPresent([String].self, forKey: .fields) ?? []
            self.units = try container.decodeIfPresent([UnitID].self, forKey: .units) ?? []
        }
    }

    /// The reasons for not accepting an aid request (不予受理); staff pick one.
    public var notAcceptedReasons: [String]
    public var experts: [Expert]
    /// A request for the same right by the same applicant within this many days is answered with the case
    /// already open instead of a second filing.
    public var duplicateWindowDays: Int
    /// Working days after the filing day within which an aid request is accepted or not (受理审查).
    public var acceptanceWorkingDays: Int
    /// Working days after the filing day within which a complaint is passed on or taken up.
    public var complaintReviewWorkingDays: Int
    /// Hours after filing within which an e-commerce dispute is concluded.
    public var ecommerceHours: Int
    /// Whether an exhibition case is concluded the day it is filed.
    public var exhibitionSameDay: Bool

    /// The reasons the demo configuration lists, after the aid-centre rules in policy-notes.md.
    public static let defaultReasons = [
        "不属于知识产权纠纷", "不属于本中心服务范围", "未提供权利证明且逾期未补正", "已进入司法程序，本中心不宜介入",
        "重复申请", "申请材料虚假",
    ]

    public init(
        notAcceptedReasons: [String] = CasePolicy.defaultReasons, experts: [Expert] = [], duplicateWindowDays: Int = 30,
        acceptanceWorkingDays: Int = 15, complaintReviewWorkingDays: Int = 5, ecommerceHours: Int = 24,
        exhibitionSameDay: Bool = true
    ) {
        self.notAcceptedReasons = notAcceptedReasons
        self.experts = experts
        self.duplicateWindowDays = duplicateWindowDays
        self.acceptanceWorkingDays = acceptanceWorkingDays
        self.complaintReviewWorkingDays = complaintReviewWorkingDays
        self.ecommerceHours = ecommerceHours
        self.exhibitionSameDay = exhibitionSameDay
    }

    enum CodingKeys: String, CodingKey {
        case notAcceptedReasons = "not_accepted_reasons"
        case experts
        case duplicateWindowDays = "duplicate_window_days"
        case acceptanceWorkingDays = "acceptance_working_days"
        case complaintReviewWorkingDays = "complaint_review_working_days"
        case ecommerceHours = "ecommerce_hours"
        case exhibitionSameDay = "exhibition_same_day"
    }

    /// Decodes the `cases` object; every key may be left out and takes its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.notAcceptedReasons =
            try container.decodeIfPresent([String].self, forKey: .notAcceptedReasons) ?? Self.defaultReasons
        self.experts = try container.decodeIfPresent([Expert].self, forKey: .experts) ?? []
        self.duplicateWindowDays = try container.decodeIfPresent(Int.self, forKey: .duplicateWindowDays) ?? 30
        let defaults = CasePolicy()
        self.acceptanceWorkingDays =
            try container.decodeIfPresent(Int.self, forKey: .acceptanceWorkingDays) ?? defaults.acceptanceWorkingDays
        self.complaintReviewWorkingDays =
            try container.decodeIfPresent(Int.self, forKey: .complaintReviewWorkingDays)
            ?? defaults.complaintReviewWorkingDays
        self.ecommerceHours =
            try container.decodeIfPresent(Int.self, forKey: .ecommerceHours) ?? defaults.ecommerceHours
        self.exhibitionSameDay =
            try container.decodeIfPresent(Bool.self, forKey: .exhibitionSameDay) ?? defaults.exhibitionSameDay
    }

    /// What is wrong with the values, one readable sentence each, starting with `cases.<key>`.
    public func problems() -> [String] {
        var problems: [String] = []
        let days: [(key: String, value: Int)] = [
            ("acceptance_working_days", self.acceptanceWorkingDays),
            ("complaint_review_working_days", self.complaintReviewWorkingDays),
        ]
        for (key, value) in days where !(1...CaseDeadlines.maximumWorkingDays).contains(value) {
            problems.append("cases.\(key) must be from 1 to \(CaseDeadlines.maximumWorkingDays), got \(value)")
        }
        if !(1...720).contains(self.ecommerceHours) {
            problems.append("cases.ecommerce_hours must be from 1 to 720, got \(self.ecommerceHours)")
        }
        if !(0...3_650).contains(self.duplicateWindowDays) {
            problems.append("cases.duplicate_window_days must be from 0 to 3650, got \(self.duplicateWindowDays)")
        }
        return problems
    }
}
