/// How a case ended (结案方式).
public struct CaseOutcome: Codable, Sendable, Equatable {
    /// The kinds of outcome the yearly evaluation counts.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A reference opinion (咨询意见书) was issued; ``CaseOutcome/number`` is its number.
        case opinionIssued = "opinion_issued"
        /// The parties settled through mediation (调解).
        case mediated
        /// The applicant was given guidance (维权指导).
        case guidanceGiven = "guidance_given"
        /// Referred to a court.
        case referredToCourt = "referred_to_court"
        /// Referred to arbitration.
        case referredToArbitration = "referred_to_arbitration"
        /// Referred to administrative enforcement.
        case referredToEnforcement = "referred_to_enforcement"
        /// The applicant stopped answering.
        case noResponse = "no_response"
        /// Anything else; ``CaseOutcome/text`` says what.
        case other
    }

    public var kind: Kind
    /// The opinion's number, for ``Kind/opinionIssued``.
    public var number: String?
    /// What happened, for ``Kind/other`` (and any remark on the others).
    public var text: String?

    public init(_ kind: Kind, number: String? = nil, text: String? = nil) {
        self.kind = kind
        self.number = number
        self.text = text
    }

    /// What is missing for this kind: an opinion needs its number, `other` needs a text.
    public var problem: String? {
        switch self.kind {
        case .opinionIssued where (self.number ?? "").isEmpty: "an opinion_issued outcome needs the opinion's number"
        case .other where (self.text ?? "").isEmpty: "an outcome of kind other needs a text"
        default: nil
        }
    }
}
