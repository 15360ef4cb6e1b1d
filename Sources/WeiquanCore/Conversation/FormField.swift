/// One question of a form: what it asks for and how answers are checked.
///
/// Its wording lives in the reply book: `ask.<id>` (the question), `label.<id>` (the name in the
/// summary), `invalid.<id>` (why an answer was refused), `example.<id>` (shown when the retry budget
/// runs out) and `option.<id>.<value>` for each option.
public struct FormField: Sendable, Equatable {
    /// How an answer is read and checked.
    public enum Kind: Sendable, Equatable {
        /// The personal-information notice: agree or not.
        case consent
        /// One of several options, by number or by one of the option's words.
        case choice([String])
        /// Any number of options, by numbers ("1 3") or words.
        case multipleChoice([String])
        /// Free text of at least this many characters.
        case text(minimumLength: Int)
        /// A mainland mobile number.
        case mobile
        /// A region of the org directory, or `other`.
        case region
        /// One of the IP types.
        case ipType
        /// The number of the right; checked as a patent or trademark number when the IP type says so.
        case ipNumber
    }

    public let id: String
    public let kind: Kind
    public let isOptional: Bool

    public init(_ id: String, _ kind: Kind, optional: Bool = false) {
        self.id = id
        self.kind = kind
        self.isOptional = optional
    }
}

/// The forms the bot fills in with an applicant.
public enum FormKind: String, Codable, Sendable, CaseIterable {
    /// 维权援助申请
    case aidRequest = "aid_request"
    /// 举报投诉
    case complaint

    /// The questions in the order they are asked.
    public var fields: [FormField] {
        switch self {
        case .aidRequest:
            [
                FormField("consent", .consent),
                FormField("applicant_type", .choice(["natural_person", "enterprise", "organisation"])),
                FormField("name", .text(minimumLength: 2)),
                FormField("phone", .mobile),
                FormField("region", .region),
                FormField("ip_type", .ipType),
                FormField("ip_number", .ipNumber, optional: true),
                FormField("other_party", .text(minimumLength: 2)),
                FormField("facts", .text(minimumLength: 10)),
                FormField(
                    "services",
                    .multipleChoice([
                        "consultation", "infringement_opinion", "mediation", "ecommerce", "exhibition", "overseas",
                    ])
                ),
                FormField("evidence", .text(minimumLength: 2), optional: true),
            ]
        case .complaint:
            [
                FormField("subject", .text(minimumLength: 4)),
                FormField("location", .text(minimumLength: 2)),
                FormField("ip_type", .ipType),
                FormField("ip_number", .ipNumber, optional: true),
                FormField("contact", .mobile, optional: true),
            ]
        }
    }

    public func field(_ id: String) -> FormField? { self.fields.first { $0.id == id } }

    /// What a filed form becomes.
    public var caseKind: CaseKind {
        switch self {
        case .aidRequest: .aidRequest
        case .complaint: .complaint
        }
    }
}
