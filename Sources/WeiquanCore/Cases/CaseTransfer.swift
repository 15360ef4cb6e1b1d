/// A complaint passed on to the competent authority (转交), and the authority's receipt (回执).
public struct CaseTransfer: Codable, Sendable, Equatable {
    /// The authority's name, e.g. 南宁市市场监督管理局.
    public var authority: String
    /// The day the transfer letter was sent, `yyyy-MM-dd`.
    public var date: String
    /// The transfer letter's number.
    public var letterNumber: String
    /// The day the signed receipt came back, `yyyy-MM-dd`.
    public var receiptDate: String?

    public init(authority: String, date: String, letterNumber: String, receiptDate: String? = nil) {
        self.authority = authority
        self.date = date
        self.letterNumber = letterNumber
        self.receiptDate = receiptDate
    }

    enum CodingKeys: String, CodingKey {
        case authority, date
        case letterNumber = "letter_number"
        case receiptDate = "receipt_date"
    }
}
