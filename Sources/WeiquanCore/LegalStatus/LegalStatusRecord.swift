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
    /// What is registered on the right beside its status (transfer, pledge, licence, preservation).
    public var overlays: [LegalStatusOverlay]
    /// A rejection: the last day to request re-examination (patents 3 months, trademarks 15 days), `yyyy-MM-dd`.
    public var appealEnds: String?
    /// A patent ended for unpaid annual fees: the fee's due date, from which the right ended, `yyyy-MM-dd`.
    public var lapsedFrom: String?
    /// A lapse that may be undone: the last day to request restoration, `yyyy-MM-dd`.
    public var restorationEnds: String?
    /// A trademark: how many renewals are registered (each adds ten years to the expiry).
    public var renewals: Int?

    public init(
        number: String, kind: RightKind, title: String? = nil, holder: String? = nil, bucket: LegalStatusBucket,
        officialWording: String, date: String? = nil, dataDate: String, overlays: [LegalStatusOverlay] = [],
        appealEnds: String? = nil, lapsedFrom: String? = nil, restorationEnds: String? = nil, renewals: Int? = nil
    ) {
        self.number = number
        self.kind = kind
        self.title = title
        self.holder = holder
        self.bucket = bucket
        self.officialWording = officialWording
        self.date = date
        self.dataDate = dataDate
        self.overlays = overlays
        self.appealEnds = appealEnds
        self.lapsedFrom = lapsedFrom
        self.restorationEnds = restorationEnds
        self.renewals = renewals
    }

    enum CodingKeys: String, CodingKey {
        case number, kind, title, holder, bucket, date
        case officialWording = "official_wording"
        case dataDate = "data_date"
        case overlays
        case appealEnds = "appeal_ends"
        case lapsedFrom = "lapsed_from"
        case restorationEnds = "restoration_ends"
        case renewals
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.number = try container.decode(String.self, forKey: .number)
        self.kind = try container.decode(RightKind.self, forKey: .kind)
        self.title = try container.decodeIfPresent(String.self, forKey: .title)
        self.holder = try container.decodeIfPresent(String.self, forKey: .holder)
        self.bucket = try container.decode(LegalStatusBucket.self, forKey: .bucket)
        self.officialWording = try container.decode(String.self, forKey: .officialWording)
        self.date = try container.decodeIfPresent(String.self, forKey: .date)
        self.dataDate = try container.decode(String.self, forKey: .dataDate)
        self.overlays = try container.decodeIfPresent([LegalStatusOverlay].self, forKey: .overlays) ?? []
        self.appealEnds = try container.decodeIfPresent(String.self, forKey: .appealEnds)
        self.lapsedFrom = try container.decodeIfPresent(String.self, forKey: .lapsedFrom)
        self.restorationEnds = try container.decodeIfPresent(String.self, forKey: .restorationEnds)
        self.renewals = try container.decodeIfPresent(Int.self, forKey: .renewals)
    }
}
