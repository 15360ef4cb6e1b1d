/// A rating the bot asked for after the applicant's case ended: whichever message comes next, a score (1–5)
/// goes to this case; anything else is answered as usual, with one reminder at most.
public struct AwaitedRating: Codable, Sendable, Equatable {
    public var caseID: CaseID
    /// Whether the applicant was reminded once already (after a message that was not a rating).
    public var reminded: Bool

    public init(caseID: CaseID, reminded: Bool = false) {
        self.caseID = caseID
        self.reminded = reminded
    }

    enum CodingKeys: String, CodingKey {
        case caseID = "case_id"
        case reminded
    }
}
