/// What the entity extractors found in one message.
///
/// The JSON keys are the ones `weiquan classify` prints; absent values are left out.
public struct ExtractedEntities: Codable, Sendable, Equatable {
    /// A patent application number whose check digit is right, in canonical form (`201310268509.X`, `97101765.4`).
    public var patentNumber: String?
    /// Something written like a patent number whose check digit (or year/type) is wrong, as the user wrote its digits.
    public var patentNumberInvalid: String?
    /// A trademark registration number: digits, with `G` kept for Madrid designations and A/B suffixes kept.
    public var trademarkNumber: String?
    public var ipType: IPType?
    /// A mainland mobile number, 11 digits, without `+86`.
    public var phone: String?
    /// The canonical name of a region from the org directory (for example `南宁市`).
    public var region: String?
    /// A case id in canonical (upper-case) form.
    public var caseID: CaseID?

    public init(
        patentNumber: String? = nil, patentNumberInvalid: String? = nil, trademarkNumber: String? = nil,
        ipType: IPType? = nil, phone: String? = nil, region: String? = nil, caseID: CaseID? = nil
    ) {
        self.patentNumber = patentNumber
        self.patentNumberInvalid = patentNumberInvalid
        self.trademarkNumber = trademarkNumber
        self.ipType = ipType
        self.phone = phone
        self.region = region
        self.caseID = caseID
    }

    public var isEmpty: Bool { self == ExtractedEntities() }

    enum CodingKeys: String, CodingKey {
        case patentNumber = "patent_number"
        case patentNumberInvalid = "patent_number_invalid"
        case trademarkNumber = "trademark_number"
        case ipType = "ip_type"
        case phone
        case region
        case caseID = "case_id"
    }
}
