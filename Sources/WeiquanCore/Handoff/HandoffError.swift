/// Why a change to a handoff is refused. The HTTP edge decides what status each case is answered with.
public enum HandoffError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Somebody claimed it first.
    case alreadyClaimed(handoff: HandoffID, assignee: String?)
    /// Only a waiting handoff can be claimed.
    case notWaiting(handoff: HandoffID, status: HandoffRecord.Status)
    /// It waits in the queue: claim it before writing to the applicant or handing it to a person.
    case notClaimed(handoff: HandoffID)
    /// It is over.
    case ended(handoff: HandoffID)
    /// Another staff member owns it.
    case notAssignee(handoff: HandoffID, assignee: String?)
    /// It does not own the conversation (a question or call-back, or over), so it cannot move or go back.
    case notOpen(handoff: HandoffID, status: HandoffRecord.Status)
    /// The conversation was handed over meanwhile (a takeover racing a claim or a request).
    case conversationTaken(applicant: ApplicantID, handoff: HandoffID?, assignee: String?)

    /// Stable and machine-readable: clients branch on it.
    public var code: String {
        switch self {
        case .alreadyClaimed, .conversationTaken: "already_claimed"
        case .notWaiting: "not_waiting"
        case .notClaimed: "not_claimed"
        case .ended: "ended"
        case .notAssignee: "not_assignee"
        case .notOpen: "not_open"
        }
    }

    /// For people: what went wrong.
    public var message: String {
        switch self {
        case .alreadyClaimed(let id, let assignee):
            "handoff \(id) was claimed by \(assignee ?? "someone")"
        case .notWaiting(let id, let status):
            "handoff \(id) is \(status.rawValue), not waiting"
        case .notClaimed(let id):
            "claim handoff \(id) before writing to the applicant or handing it on"
        case .ended(let id):
            "handoff \(id) has ended"
        case .notAssignee(let id, let assignee):
            "handoff \(id) belongs to \(assignee ?? "someone else")"
        case .notOpen(let id, let status):
            "handoff \(id) is \(status.rawValue); only a waiting or claimed handoff owns the conversation"
        case .conversationTaken(_, let handoff, let assignee):
            "the conversation belongs to \(assignee ?? "someone")" + (handoff.map { " (handoff \($0))" } ?? "")
        }
    }

    public var description: String { "\(self.code): \(self.message)" }
}
