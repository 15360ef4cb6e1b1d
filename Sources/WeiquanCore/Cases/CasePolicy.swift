/// How cases are worked, set in the `cases` section of the config: the reasons a request may be refused for,
/// and the directory of experts who can be recorded on a case.
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

    /// The reasons the demo configuration lists, after the aid-centre rules in policy-notes.md.
    public static let defaultReasons = [
        "不属于知识产权纠纷", "不属于本中心服务范围", "未提供权利证明且逾期未补正", "已进入司法程序，本中心不宜介入",
        "重复申请", "申请材料虚假",
    ]

    public init(
        notAcceptedReasons: [String] = CasePolicy.defaultReasons, experts: [Expert] = [], duplicateWindowDays: Int = 30
    ) {
        self.notAcceptedReasons = notAcceptedReasons
        self.experts = experts
        self.duplicateWindowDays = duplicateWindowDays
    }

    enum CodingKeys: String, CodingKey {
        case notAcceptedReasons = "not_accepted_reasons"
        case experts
        case duplicateWindowDays = "duplicate_window_days"
    }

    /// Decodes the `cases` object; every key may be left out and takes its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.notAcceptedReasons =
            try container.decodeIfPresent([String].self, forKey: .notAcceptedReasons) ?? Self.defaultReasons
        self.experts = try container.decodeIfPresent([Expert].self, forKey: .experts) ?? []
        self.duplicateWindowDays = try container.decodeIfPresent(Int.self, forKey: .duplicateWindowDays) ?? 30
    }
}
