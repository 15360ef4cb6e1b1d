import Foundation

/// Why a change to a question is refused. The HTTP edge decides the status each is answered with.
public enum QuestionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another volunteer holds it (or held it until it was answered).
    case alreadyClaimed(question: QuestionID, volunteer: String)
    /// It waits in the queue: claim it first.
    case notClaimed(question: QuestionID)
    /// The claim's lease ran out; the question goes back to the queue.
    case leaseExpired(question: QuestionID, at: Date)
    /// Another volunteer holds it.
    case notYours(question: QuestionID, volunteer: String)
    /// The action is not possible from the question's status.
    case illegalTransition(question: QuestionID, action: String, status: QuestionStatus)
    /// Something the action needs is missing or malformed (an empty text).
    case missing(question: QuestionID, what: String)
    /// A claim needs the volunteer's declaration that they have no conflict of interest.
    case conflictNotDeclared(question: QuestionID)
    /// The answer needs staff's approval before it is delivered.
    case notApproved(question: QuestionID)
    /// A timer's change came early: the lease still runs, or the follow-up's reply is still awaited.
    case notDue(question: QuestionID, action: String, due: Date)
    /// The volunteer holds as many questions as they may.
    case tooManyClaims(volunteer: String, limit: Int)

    /// Stable and machine-readable: clients branch on it.
    public var code: String {
        switch self {
        case .alreadyClaimed: "already_claimed"
        case .notClaimed: "not_claimed"
        case .leaseExpired: "lease_expired"
        case .notYours: "not_yours"
        case .illegalTransition: "illegal_transition"
        case .missing: "missing_field"
        case .conflictNotDeclared: "conflict_not_declared"
        case .notApproved: "not_approved"
        case .notDue: "not_due"
        case .tooManyClaims: "too_many_claims"
        }
    }

    /// For people: what went wrong.
    public var message: String {
        switch self {
        case .alreadyClaimed(let id, let volunteer):
            "question \(id) was claimed by \(volunteer)"
        case .notClaimed(let id):
            "question \(id) waits in the queue: claim it first"
        case .leaseExpired(let id, let at):
            "the claim on question \(id) ran out at \(at.formatted(.iso8601)); it goes back to the queue"
        case .notYours(let id, let volunteer):
            "question \(id) is claimed by \(volunteer)"
        case .illegalTransition(let id, let action, let status):
            "question \(id) is \(status.rawValue): \(action) is not possible now"
        case .missing(let id, let what):
            "question \(id): \(what)"
        case .conflictNotDeclared(let id):
            "declare that you have no conflict of interest with the parties of question \(id) to claim it"
        case .notApproved(let id):
            "the answer to question \(id) needs a reviewer's approval before it is delivered"
        case .notDue(let id, let action, let due):
            "question \(id): \(action) is due only at \(due.formatted(.iso8601))"
        case .tooManyClaims(let volunteer, let limit):
            "\(volunteer) holds \(limit) questions already, the most one may hold: answer or put one back first"
        }
    }

    public var description: String { "\(self.code): \(self.message)" }
}
