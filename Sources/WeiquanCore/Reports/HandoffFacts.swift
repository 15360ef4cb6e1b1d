import Foundation

/// What a ``CaseReport`` needs to know of one handoff, taken from its record once: whose, where, when it was asked
/// for and claimed, and the form open when the applicant asked. Pure, like ``CaseFacts``.
public struct HandoffFacts: Sendable, Equatable {
    public var applicant: ApplicantID
    /// The unit whose queue it is in now.
    public var unit: UnitID
    public var requestedAt: Date
    public var claimedAt: Date?
    /// The kind of the form open when the applicant asked, and its `ip_type` answer; nil when none was open.
    public var kind: CaseKind?
    public var ipType: String?

    /// The facts of `record`.
    public init(_ record: HandoffRecord) {
        self.applicant = record.applicant
        self.unit = record.unit
        self.requestedAt = record.requestedAt
        self.claimedAt = record.claimedAt
        self.kind = record.form?.kind.caseKind
        self.ipType = record.form?.values["ip_type"]
    }
}
