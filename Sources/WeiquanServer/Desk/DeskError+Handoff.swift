import WeiquanCore

extension DeskError {
    /// The desk's error for a refusal of the core: a conflict with where the handoff is (409), or a handoff
    /// that belongs to another staff member (403).
    init(_ error: HandoffError) {
        switch error {
        case .notAssignee: self = .forbidden(error.code, error.message)
        default: self = .conflict(error.code, error.message)
        }
    }
}

extension StaffIdentity {
    /// The caller as the core's handoff transitions see them.
    var actor: HandoffRecord.Actor {
        HandoffRecord.Actor(name: self.name, isAdmin: self.role == .admin)
    }
}
