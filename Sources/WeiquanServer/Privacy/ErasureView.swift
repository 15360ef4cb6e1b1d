import Foundation
import Hummingbird
import WeiquanCore

/// An erasure request as staff see it: while it waits, the applicant's OpenID and the cases the confirmation would
/// anonymise (open ones are withdrawn); once done, only the pseudonym and what was anonymised.
struct ErasureView: Encodable, ResponseEncodable, Sendable {
    var id: String
    var status: ErasureRequest.Status
    var applicant: ApplicantID
    var requestedAt: Date
    var decidedBy: String?
    var decidedAt: Date?
    var reason: String?
    var casesAnonymised: Int
    var handoffsAnonymised: Int
    /// The applicant's cases now (pending requests only).
    var cases: [CaseSummaryView]?

    /// A case of the applicant, in the pending request's view.
    struct CaseSummaryView: Encodable, Sendable {
        var id: CaseID
        var kind: CaseKind
        var status: CaseStatus
        var unit: UnitID?
    }

    init(_ request: ErasureRequest, cases: [CaseSummary]?) {
        self.id = request.id
        self.status = request.status
        self.applicant = request.applicant
        self.requestedAt = request.requestedAt
        self.decidedBy = request.decidedBy
        self.decidedAt = request.decidedAt
        self.reason = request.reason
        self.casesAnonymised = request.casesAnonymised
        self.handoffsAnonymised = request.handoffsAnonymised
        self.cases = cases?.map { CaseSummaryView(id: $0.id, kind: $0.kind, status: $0.status, unit: $0.unit) }
    }

    enum CodingKeys: String, CodingKey {
        case id, status, applicant, reason, cases
        case requestedAt = "requested_at"
        case decidedBy = "decided_by"
        case decidedAt = "decided_at"
        case casesAnonymised = "cases_anonymised"
        case handoffsAnonymised = "handoffs_anonymised"
    }
}

/// `GET /api/v1/erasures`'s body.
struct ErasureListing: ResponseEncodable, Sendable {
    var erasures: [ErasureView]
}
