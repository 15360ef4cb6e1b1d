/// One entry of a legal-status registry: what the official record said on a given day.
public struct LegalStatusRecord: Codable, Sendable, Equatable {
    /// What kind of right the number names.
    public enum RightKind: String, Codable, Sendable {
        case patent
        case trademark
    }

    /// Canonical number: `201310268509.X` for patents, digits (with `G` for Madrid) for trademarks.
    public var number: String
    public var kind: RightKind
    public var title: String?
    public var holder: String?
    public var bucket: LegalStatusBucket
    /// The official wording, shown as is (for example `未缴年费终止失效`).
    public var officialWording: String
    /// Filing date (patents) or registration date (trademarks), `yyyy-MM-dd`, if known.
    public var date: String?
    /// The day the data was taken from the official source, `yyyy-MM-dd`; always quoted to the user.
    public var dataDate: String

    public init(
        number: String, kind: RightKind, title: String? = nil, holder: String? = nil, bucket: LegalStatusBucket,
        officialWording: String, date: String? = nil, dataDate: String
    ) {
        self.number = number
        self.kind = kind
        self.title = title
        self.holder = holder
        self.bucket = bucket
        self.officialWording = officialWording
        self.date = date
        self.dataDate = dataDate
    }

    enum CodingKeys: String, CodingKey {
        case number, kind, title, holder, bucket, date
        case officialWording = "official_wording"
        case dataDate = "data_date"
    }
}
